import type { Kysely } from "kysely";
import type { Audience, Database } from "#db/schema.ts";
import { askForChange } from "#app/bookings/changes.server.ts";
import { createBookingRequest } from "#app/bookings/requests.server.ts";
import { saveCoordinatorContact } from "#app/settings/settings.server.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { newSessionUid } from "#app/calendar/ical.server.ts";
import { assignTrainer, respondToAssignment } from "#app/scheduling/assignments.server.ts";
import type { AccessFeature } from "#app/scheduling/room-access.ts";
import { sendDueReminders } from "#app/scheduling/reminders.server.ts";
import { createOpenSession } from "#app/signup/open-sessions.server.ts";
import { register } from "#app/signup/registrations.server.ts";
import { addClosurePeriod, closureCalendar } from "#app/scheduling/closures.server.ts";
import { cancelSession, declineRequest, rescheduleSession, scheduleRequest } from "#app/scheduling/sessions.server.ts";
import { addDays, londonDateOf, londonWallTimeToUtc, londonWeekday, utcToLondonWallTime } from "#app/utils/dates.ts";
import { DAY, MINUTE } from "#app/utils/time.ts";

/**
 * A term of realistic activity around `now`: delivered sessions since the start of term, and ahead
 * of it requests waiting, sessions scheduled with trainers accepted or still to answer, one moved,
 * one cancelled, one declined. Future activity goes through the real booking and scheduling
 * functions, so the outbox holds every kind of message.
 */
export async function seedDemoTerm(db: Kysely<Database>, now: Date) {
  const users = await db
    .selectFrom("users")
    .innerJoin("user_roles", "user_roles.user_id", "users.id")
    .select(["users.id", "users.email", "users.name", "user_roles.role"])
    .execute();
  const person = (email: string): SessionUser => {
    const rows = users.filter((u) => u.email === email);
    if (!rows.length) throw new Error(`Demo user ${email} is missing`);
    return { id: rows[0]!.id, email, name: rows[0]!.name, roles: rows.map((r) => r.role) };
  };
  const coordinator = person("coordinator@neverok.example");
  // Whom bookers contact: on their booking pages and in the emails that tell them what to do.
  await saveCoordinatorContact(db, coordinator, { name: "Alex Morgan", email: "training@neverok.example", phone: "0113 496 0000" });
  const courses = new Map((await db.selectFrom("courses").select(["id", "name", "duration_minutes"]).execute()).map((c) => [c.name, c]));
  const rooms = new Map((await db.selectFrom("rooms").select(["id", "name", "capacity"]).execute()).map((r) => [r.name, r]));
  const orgs = new Map((await db.selectFrom("organisations").select(["id", "name"]).execute()).map((o) => [o.name, o.id]));
  const course = (name: string) => courses.get(name)!;
  const room = (name: string) => rooms.get(name)!;
  const trainerIds = new Map(users.filter((u) => u.role === "trainer").map((u) => [u.email, u.id]));

  // Weekly availability and limits for every trainer; one has time off next month.
  const patterns: Record<string, number[]> = {
    "tom.hughes@neverok.example": [1, 3, 5],
    "aisha.rahman@neverok.example": [2, 3, 4],
  };
  for (const [email, id] of trainerIds) {
    const days = patterns[email] ?? [1, 2, 3, 4, 5];
    await db
      .insertInto("trainer_availability")
      .values(days.map((weekday) => ({ trainer_id: id, weekday, start_time: "09:00", end_time: "17:30" })))
      .execute();
  }
  // Everyone follows the default weekly limit in the settings, except Tom, who works part-time and has his own.
  const tom = trainerIds.get("tom.hughes@neverok.example");
  if (tom)
    await db.insertInto("trainer_profiles").values({ user_id: tom, max_sessions_per_week: 3, feed_token_hash: null, feed_token_created_at: null }).execute();

  // The university's Christmas closure, this winter's and next: nothing is booked from Christmas Eve to New Year's Day.
  const christmasYear = Number(londonDateOf(now).slice(0, 4)) - (londonDateOf(now).slice(5) < "02" ? 1 : 0);
  for (const year of [christmasYear, christmasYear + 1]) {
    await addClosurePeriod(db, coordinator, { name: "Christmas closure", first: `${year}-12-24`, last: `${year + 1}-01-01` });
  }
  const closures = await closureCalendar(db);

  /** The n-th open weekday (Mon–Fri, not a closure day) after today at a London time; a negative n counts back from today. */
  const weekdayAt = (n: number, time: string) => {
    let d = now;
    for (let count = 0; count < Math.abs(n);) {
      d = new Date(d.getTime() + Math.sign(n) * DAY);
      if (londonWeekday(d) <= 5 && !closures.on(londonDateOf(d))) count++;
    }
    return londonWallTimeToUtc(londonDateOf(d), time);
  };

  await db
    .insertInto("trainer_time_off")
    .values({
      trainer_id: trainerIds.get("trainer@neverok.example")!,
      starts_at: weekdayAt(15, "00:00").toISOString(),
      ends_at: weekdayAt(17, "00:00").toISOString(),
      reason: "Annual leave",
      created_at: now.toISOString(),
    })
    .execute();

  // ---- Delivered since the start of term (history, written directly) --------------------------
  const past: [string, string, string, string[], number, Audience][] = [
    ["Active Bystander", "Freshers' Week Captains", "Lecture Theatre 2", ["trainer@neverok.example", "chloe.bennett@neverok.example"], 38, "students"],
    ["Active Bystander", "Hall Reps", "The Forum Suite", ["tom.hughes@neverok.example"], 34, "students"],
    ["Unconscious Bias", "Department of Psychology", "Seminar Room 1.14", ["aisha.rahman@neverok.example"], 32, "students"],
    ["Consent", "Rugby Club", "Meeting Room 3", ["marcus.reid@neverok.example"], 19, "students"],
    ["Handling Disclosures", "Hall Reps", "Room 4.02", ["trainer@neverok.example", "marcus.reid@neverok.example"], 16, "students"],
    ["Active Bystander", "Moles", "", ["chloe.bennett@neverok.example"], 14, "venue_staff"],
    ["Unconscious Bias", "School of Management", "Lecture Theatre 2", ["chloe.bennett@neverok.example"], 40, "students"],
    ["Active Bystander", "Komedia", "", ["tom.hughes@neverok.example"], 12, "venue_staff"],
    ["Consent", "Drama Society", "Meeting Room 3", ["trainer@neverok.example"], 18, "students"],
    ["Active Bystander", "The Plug (Students' Union venue) and its security team", "The Forum Suite", ["aisha.rahman@neverok.example"], 22, "venue_staff"],
    ["Handling Disclosures", "Advice and Support Centre", "Room 4.02", ["aisha.rahman@neverok.example", "marcus.reid@neverok.example"], 12, "staff"],
    ["Unconscious Bias", "Department of Computer Science", "Seminar Room 1.14", ["aisha.rahman@neverok.example"], 36, "students"],
    ["Active Bystander", "Netball Club", "Training Room", ["tom.hughes@neverok.example"], 21, "students"],
    ["Consent", "Department of Health", "Seminar Room 1.14", ["marcus.reid@neverok.example"], 30, "students"],
  ];
  const addresses: Record<string, string> = {
    Moles: "Moles, 14 George Street, Bath BA1 2EN",
    Komedia: "Komedia, 22–23 Westgate Street, Bath BA1 1EP",
  };
  /**
   * A request the coordinator scheduled, written directly because the booking functions refuse a time
   * already past: the request with its one preferred time, the session, and its trainers, who accepted.
   */
  const writeScheduledRequest = async (r: {
    course: string;
    organisation: string;
    requestedBy: number;
    groupSize: number;
    audience: Audience;
    notes: string | null;
    start: Date;
    place: { room: string } | { address: string };
    trainers: string[];
    status: "delivered" | "scheduled";
    created: Date;
  }) => {
    const c = course(r.course);
    const end = new Date(r.start.getTime() + c.duration_minutes * MINUTE);
    const created = r.created.toISOString();
    const address = "address" in r.place ? r.place.address : null;
    const request = await db
      .insertInto("booking_requests")
      .values({
        organisation_id: orgs.get(r.organisation)!,
        requested_by: r.requestedBy,
        course_id: c.id,
        group_size: r.groupSize,
        audience: r.audience,
        location_kind: address ? "own_premises" : "campus",
        address,
        accessibility_needs: null,
        notes: r.notes,
        status: "scheduled",
        status_reason: null,
        session_id: null,
        created_at: created,
        updated_at: created,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db.insertInto("booking_request_times").values({ request_id: request.id, position: 1, starts_at: r.start.toISOString() }).execute();
    const session = await db
      .insertInto("sessions")
      .values({
        course_id: c.id,
        booking_request_id: request.id,
        organisation_id: orgs.get(r.organisation)!,
        starts_at: r.start.toISOString(),
        ends_at: end.toISOString(),
        duration_minutes: c.duration_minutes,
        room_id: "room" in r.place ? room(r.place.room).id : null,
        address,
        capacity: r.groupSize,
        trainers_needed: r.trainers.length,
        status: r.status,
        cancel_reason: null,
        ical_uid: newSessionUid(),
        created_by: coordinator.id,
        created_at: created,
        updated_at: r.status === "delivered" ? end.toISOString() : created,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db.updateTable("booking_requests").set({ session_id: session.id }).where("id", "=", request.id).execute();
    await db
      .insertInto("session_trainers")
      .values(
        r.trainers.map((t) => ({
          session_id: session.id,
          trainer_id: trainerIds.get(t)!,
          status: "accepted" as const,
          assigned_by: coordinator.id,
          assigned_at: created,
          responded_at: created,
          decline_reason: null,
          override_reason: null,
        })),
      )
      .execute();
    return { id: session.id, end };
  };

  const booker = users.find((u) => u.role === "booker")!;
  for (let i = 0; i < past.length; i++) {
    const [courseName, orgName, roomName, trainers, size, audience] = past[i]!;
    const start = weekdayAt(-(3 + i * 3), i % 2 ? "14:00" : "10:00");
    const session = await writeScheduledRequest({
      course: courseName,
      organisation: orgName,
      requestedBy: booker.id,
      groupSize: size,
      audience,
      notes: null,
      start,
      place: roomName ? { room: roomName } : { address: addresses[orgName]! },
      trainers,
      status: "delivered",
      created: new Date(start.getTime() - 21 * DAY),
    });
    // The register was closed with a head count, and about half the group gave feedback.
    const attended = size - (i % 3);
    await db
      .updateTable("sessions")
      .set({ head_count: attended, register_closed_at: session.end.toISOString(), feedback_code: `demo${session.id}${i}` })
      .where("id", "=", session.id)
      .execute();
    await db
      .insertInto("feedback_responses")
      .values(demoFeedback(session.id, Math.ceil(attended / 2), i, session.end))
      .execute();
  }

  // Booked a fortnight ago and starting within a day (the next 10:00 or 14:00): its reminders go out now.
  // A partner venue trains its staff on any day of the week.
  const today = londonDateOf(now);
  const soon = [londonWallTimeToUtc(today, "10:00"), londonWallTimeToUtc(today, "14:00"), londonWallTimeToUtc(addDays(today, 1), "10:00")].find(
    (t) => t.getTime() > now.getTime() + 60 * MINUTE,
  )!;
  await writeScheduledRequest({
    course: "Active Bystander",
    organisation: "Komedia",
    requestedBy: person("manager@moles.example").id,
    groupSize: 14,
    audience: "venue_staff",
    notes: "Bar and door staff before opening.",
    start: soon,
    place: { address: addresses.Komedia! },
    trainers: ["tom.hughes@neverok.example"],
    status: "scheduled",
    created: new Date(now.getTime() - 14 * DAY),
  });
  await sendDueReminders(db);

  // ---- Ahead: through the real functions -------------------------------------------------------
  const priya = person("booker@neverok.example");
  const ollie = person("rugby@neverok.example");
  const mark = person("management-ug@neverok.example");
  const dan = person("manager@moles.example");
  const ask = (
    who: SessionUser,
    org: string,
    courseName: string,
    groupSize: number,
    times: Date[],
    extra: Partial<{ audience: Audience; address: string; accessNeeds: AccessFeature[]; accessibilityNeeds: string; notes: string }> = {},
  ) => {
    const t = times.map((d) => utcToLondonWallTime(d));
    return createBookingRequest(db, who, {
      organisationId: orgs.get(org)!,
      courseId: course(courseName).id,
      groupSize,
      audience: extra.audience ?? "students",
      date1: t[0]!.date,
      time1: t[0]!.time,
      date2: t[1]!.date,
      time2: t[1]!.time,
      date3: t[2]?.date,
      time3: t[2]?.time,
      locationKind: extra.address ? "own_premises" : "campus",
      address: extra.address ?? null,
      accessNeeds: extra.accessNeeds ?? [],
      accessibilityNeeds: extra.accessibilityNeeds ?? null,
      notes: extra.notes ?? null,
    });
  };
  const trainer = (email: string) => person(email);

  // Scheduled, trainer accepted.
  const r1 = await ask(priya, "Department of Psychology", "Active Bystander", 40, [weekdayAt(4, "14:00"), weekdayAt(6, "10:00")], {
    accessNeeds: ["step_free", "hearing_loop"],
    accessibilityNeeds: "Two students use wheelchairs.",
  });
  const s1 = await scheduleRequest(db, coordinator, {
    requestId: r1,
    startsAt: weekdayAt(4, "14:00"),
    location: { roomId: room("Seminar Room 1.14").id },
  });
  await assignTrainer(db, coordinator, { sessionId: s1, trainerId: trainerIds.get("trainer@neverok.example")! });
  await respondToAssignment(db, trainer("trainer@neverok.example"), { sessionId: s1, response: "accept" });
  // The group has changed since: a change waiting in the coordinator's queue.
  await askForChange(db, priya, r1, {
    groupSize: 36,
    accessibilityNeeds: null,
    message: "Four students have moved to the Thursday group, so we will be 36.",
  });

  // Scheduled at a venue, trainer still to answer.
  const r2 = await ask(dan, "Moles", "Active Bystander", 15, [weekdayAt(5, "11:00"), weekdayAt(7, "11:00")], {
    audience: "venue_staff",
    address: "Moles, 14 George Street, Bath BA1 2EN",
    notes: "Bar staff and door team; before opening.",
  });
  const s2 = await scheduleRequest(db, coordinator, {
    requestId: r2,
    startsAt: weekdayAt(5, "11:00"),
    location: { address: "Moles, 14 George Street, Bath BA1 2EN" },
  });
  await assignTrainer(db, coordinator, { sessionId: s2, trainerId: trainerIds.get("chloe.bennett@neverok.example")! });

  // Handling Disclosures needs two trainers; one accepted, one declined: back in the queue.
  const r3 = await ask(ollie, "Rugby Club", "Handling Disclosures", 16, [weekdayAt(8, "10:00"), weekdayAt(9, "10:00")], {
    notes: "Committee and welfare officers.",
  });
  const s3 = await scheduleRequest(db, coordinator, { requestId: r3, startsAt: weekdayAt(8, "10:00"), location: { roomId: room("Room 4.02").id } });
  await assignTrainer(db, coordinator, { sessionId: s3, trainerId: trainerIds.get("marcus.reid@neverok.example")! });
  await respondToAssignment(db, trainer("marcus.reid@neverok.example"), { sessionId: s3, response: "accept" });
  await assignTrainer(db, coordinator, {
    sessionId: s3,
    trainerId: trainerIds.get("aisha.rahman@neverok.example")!,
    overrideReason: "Aisha offered to swap her Wednesday",
  });
  await respondToAssignment(db, trainer("aisha.rahman@neverok.example"), { sessionId: s3, response: "decline", reason: "I am at a conference that week." });

  // Scheduled, then moved.
  const r4 = await ask(mark, "School of Management", "Unconscious Bias", 35, [weekdayAt(10, "10:00"), weekdayAt(11, "14:00")]);
  const s4 = await scheduleRequest(db, coordinator, {
    requestId: r4,
    startsAt: weekdayAt(10, "10:00"),
    location: { roomId: room("Lecture Theatre 2").id },
  });
  await assignTrainer(db, coordinator, { sessionId: s4, trainerId: trainerIds.get("chloe.bennett@neverok.example")! });
  await respondToAssignment(db, trainer("chloe.bennett@neverok.example"), { sessionId: s4, response: "accept" });
  await rescheduleSession(db, coordinator, {
    sessionId: s4,
    startsAt: weekdayAt(11, "14:00"),
    location: { roomId: room("Lecture Theatre 2").id },
    reason: "The lecture theatre was needed for a mock exam.",
  });

  // Scheduled, then cancelled by the coordinator.
  const r5 = await ask(priya, "Department of Psychology", "Consent", 25, [weekdayAt(12, "10:00"), weekdayAt(13, "10:00")]);
  const s5 = await scheduleRequest(db, coordinator, {
    requestId: r5,
    startsAt: weekdayAt(12, "10:00"),
    location: { roomId: room("Seminar Room 1.14").id },
  });
  await cancelSession(db, coordinator, s5, "The department has moved its induction to next term.");

  // Declined.
  const r6 = await ask(ollie, "Rugby Club", "Consent", 30, [weekdayAt(2, "16:00"), weekdayAt(3, "16:00")]);
  await declineRequest(db, coordinator, r6, "No trainer is free at those times; could you offer dates the week after?");

  // Waiting in the coordinator's queue.
  await ask(priya, "Department of Psychology", "Unconscious Bias", 30, [weekdayAt(14, "10:00"), weekdayAt(15, "14:00"), weekdayAt(16, "10:00")], {
    notes: "Second-year cohort; a follow-up to last term's Active Bystander session.",
  });
  await ask(mark, "School of Management", "Active Bystander", 38, [weekdayAt(9, "14:00"), weekdayAt(10, "14:00")], {
    accessNeeds: ["step_free", "hearing_loop", "quiet_room"],
    accessibilityNeeds: "One student may need to step out for a while; a large-print handout, please.",
  });
  await ask(dan, "Moles", "Consent", 12, [weekdayAt(6, "11:00"), weekdayAt(8, "11:00")], {
    audience: "venue_staff",
    address: "Moles, 14 George Street, Bath BA1 2EN",
  });

  // Six Active Bystander inductions for student leaders, open for sign-up; the first is full.
  const inductionRooms = ["The Forum Suite", "Seminar Room 1.14", "Lecture Theatre 2", "The Forum Suite", "Seminar Room 1.14", "Lecture Theatre 2"];
  for (let i = 0; i < 6; i++) {
    const start = weekdayAt(3 + i * 2, i % 2 ? "14:00" : "10:00");
    const wall = utcToLondonWallTime(start);
    const id = await createOpenSession(db, coordinator, {
      courseId: course("Active Bystander").id,
      title: "Student leader induction: Active Bystander",
      date: wall.date,
      time: wall.time,
      place: `room:${room(inductionRooms[i]!).id}`,
      address: null,
      capacity: i === 0 ? 8 : 30,
      deadlineDate: undefined,
      deadlineTime: undefined,
      policy: "anyone",
      domain: null,
      allowlist: null,
      asksStudentId: "yes",
      question: "Which leader role do you hold (for example hall rep, sports club committee)?",
      promotionCutoffHours: 2,
    });
    const signups = i === 0 ? 10 : i < 3 ? 4 : 0;
    for (let j = 0; j < signups; j++) {
      const who = INDUCTION_SIGNUPS[j]!;
      await register(db, id, {
        name: who,
        email: emailOf(who),
        studentId: inductionStudentId(i, j),
        accessibilityNeeds: null,
        answer: j % 2 ? "Hall rep" : "Sports club committee",
      });
    }
    if (i === 0)
      await assignTrainer(db, coordinator, { sessionId: id, trainerId: trainerIds.get("tom.hughes@neverok.example")!, overrideReason: "Induction week" });
  }
}

/** Student leaders who sign up to this term's inductions; the compliance demo puts them on this year's roster. */
export const INDUCTION_SIGNUPS = [
  "Amira Hussain",
  "Ben Carter",
  "Chen Wei",
  "Dara O'Neill",
  "Ella Morris",
  "Femi Adeyemi",
  "Grace Kim",
  "Harry Patel",
  "Isla Brown",
  "Jack Evans",
];

/** The student ID given by the j-th leader to sign up to the i-th induction. */
export const inductionStudentId = (i: number, j: number) => `S${2400100 + i * 100 + j}`;

/** An address made from a name: Dara O'Neill at students.neverok.example is dara.o.neill@students.neverok.example. */
export const emailOf = (name: string, domain = "students.neverok.example") => `${name.toLowerCase().replace(/[^a-z]+/g, ".")}@${domain}`;

const SAYINGS = [
  "Step in early, and check in with the person afterwards.",
  "Use distraction when it is not safe to be direct.",
  "Ask a member of staff for help instead of walking past.",
  "Call out jokes in the group chat.",
  "Listen first, and not ask why they did not report it sooner.",
  null,
];
const COMMENTS = [
  "Really practical; the scenarios felt real.",
  "More time for the role plays, please.",
  "The trainer made a hard topic easy to talk about.",
  null,
  null,
];

/** Realistic feedback: mostly 4s and 5s, about nine in ten would recommend, confidence up by a point and a half. */
function demoFeedback(sessionId: number, n: number, seed: number, at: Date) {
  return Array.from({ length: n }, (_, k) => {
    const x = (seed * 31 + k * 17) % 100;
    const before = 1 + ((seed + k) % 3);
    return {
      session_id: sessionId,
      source: (k % 4 === 0 ? "qr" : "link") as "qr" | "link",
      rating: x < 8 ? 3 : x < 45 ? 4 : 5,
      recommend: (x < 89 ? "yes" : x < 95 ? "not_sure" : "no") as "yes" | "not_sure" | "no",
      confidence_before: k % 7 === 6 ? null : before,
      confidence_after: k % 7 === 6 ? null : Math.min(5, before + 1 + (x % 2)),
      do_differently: SAYINGS[(seed + k) % SAYINGS.length] ?? null,
      comments: COMMENTS[(seed * 3 + k) % COMMENTS.length] ?? null,
      created_at: new Date(at.getTime() + (k + 1) * 60_000).toISOString(),
    };
  });
}
