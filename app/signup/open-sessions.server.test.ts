import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "#app/db.server.ts";
import { createCourse } from "#tests/factories.ts";
import { createRoom, insertSession, london, londonDate, pinClock, schedulingWorld } from "#tests/scheduling-fixtures.ts";
import { coursesWithOpenSessions, createOpenSession, listOpenSessions, parseAllowlist } from "./open-sessions.server.ts";
import { attendeeList, cancelRegistration, register } from "./registrations.server.ts";
import { OpenSessionSchema, type OpenSessionInput } from "./schemas.ts";
import { expectViolation } from "#tests/rule-violations.ts";

const db = () => getDb();

// Wednesday 2 October 2030, 09:00 London: every session below is in the weeks after it.
beforeEach(() => pinClock("2030-10-02T08:00:00Z"));

/** What the form sends for an open session at an address, parsed the way the page parses it. */
function input(courseId: number, overrides: Record<string, string> = {}): OpenSessionInput {
  const parsed = OpenSessionSchema.safeParse({
    courseId: String(courseId),
    title: "Student leader induction",
    date: londonDate(2, 2),
    time: "10:00",
    place: "address",
    address: "Students' Union Forum",
    capacity: "20",
    policy: "anyone",
    asksStudentId: "no",
    promotionCutoffHours: "2",
    ...overrides,
  });
  if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
  return parsed.data;
}

const openSessionCount = async () =>
  Number(
    (
      await db()
        .selectFrom("sessions")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("kind", "=", "open")
        .executeTakeFirstOrThrow()
    ).n,
  );

const person = (n: number) => ({ name: `Person ${n}`, email: `person${n}@students.example.ac.uk`, studentId: null, accessibilityNeeds: null, answer: null });

describe("parseAllowlist", () => {
  it("lower-cases, drops repeats and anything that is not an email, and accepts lines, commas and spaces", () => {
    expect(parseAllowlist("Amira@Uni.ac.uk\namira@uni.ac.uk, ben@uni.ac.uk;  not-an-email\n\n  chen@uni.ac.uk  ")).toEqual([
      "amira@uni.ac.uk",
      "ben@uni.ac.uk",
      "chen@uni.ac.uk",
    ]);
    expect(parseAllowlist(null)).toEqual([]);
    expect(parseAllowlist("nobody, at all")).toEqual([]);
  });
});

describe("createOpenSession", () => {
  it("stores an open session with its sign-up settings, ending when the course ends", async () => {
    const { coordinator } = await schedulingWorld(db());
    const courseId = await createCourse(db(), { durationMinutes: 120 });
    const date = londonDate(2, 2);
    const id = await createOpenSession(
      db(),
      coordinator,
      input(courseId, {
        date,
        time: "14:00",
        capacity: "12",
        asksStudentId: "yes",
        question: "Which leader role do you hold?",
        promotionCutoffHours: "6",
        deadlineDate: date,
        deadlineTime: "09:00",
      }),
    );
    const row = await db().selectFrom("sessions").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      kind: "open",
      status: "scheduled",
      title: "Student leader induction",
      starts_at: london(date, "14:00").toISOString(),
      ends_at: london(date, "16:00").toISOString(),
      room_id: null,
      address: "Students' Union Forum",
      capacity: 12,
      organisation_id: null,
      signup_policy: "anyone",
      signup_deadline: london(date, "09:00").toISOString(),
      asks_student_id: 1,
      question: "Which leader role do you hold?",
      promotion_cutoff_hours: 6,
    });
    const audit = await db()
      .selectFrom("audit_events")
      .select("summary")
      .where("action", "=", "session.published")
      .where("entity_id", "=", String(id))
      .execute();
    expect(audit).toHaveLength(1);
  });

  it("refuses a time in the past, beside the date", async () => {
    const { coordinator, courseId } = await schedulingWorld(db());
    const before = await openSessionCount();
    // The clock says Wednesday 2 October 2030, 09:00; 08:30 that morning has gone.
    await expectViolation(createOpenSession(db(), coordinator, input(courseId, { date: "2030-10-02", time: "08:30" })), "date", /future/);
    await expectViolation(createOpenSession(db(), coordinator, input(courseId, { date: "2030-09-30" })), "date", /future/);
    expect(await openSessionCount()).toBe(before);
  });

  it("refuses a sign-up deadline after the start, beside the deadline", async () => {
    const { coordinator, courseId } = await schedulingWorld(db());
    const date = londonDate(2, 2);
    const before = await openSessionCount();
    await expectViolation(
      createOpenSession(db(), coordinator, input(courseId, { date, time: "10:00", deadlineDate: date, deadlineTime: "10:30" })),
      "deadlineDate",
      /before the session starts/,
    );
    expect(await openSessionCount()).toBe(before);
    // Closing exactly at the start is allowed.
    await createOpenSession(db(), coordinator, input(courseId, { date, time: "11:00", deadlineDate: date, deadlineTime: "11:00" }));
    expect(await openSessionCount()).toBe(before + 1);
  });

  it("refuses a room that is already booked then, or too small, beside the place", async () => {
    const { coordinator, courseId } = await schedulingWorld(db());
    const date = londonDate(3, 3);
    const busy = await createRoom(db(), { name: "Seminar Room 1.14", capacity: 40 });
    await insertSession(db(), { courseId, startsAt: london(date, "09:30"), roomId: busy });
    await expectViolation(
      createOpenSession(db(), coordinator, input(courseId, { date, time: "10:00", place: `room:${busy}` })),
      "place",
      /Seminar Room 1\.14 is already booked/,
    );
    const small = await createRoom(db(), { name: "Meeting Room 3", capacity: 10 });
    await expectViolation(
      createOpenSession(db(), coordinator, input(courseId, { date, time: "10:00", place: `room:${small}`, capacity: "11" })),
      "place",
      /Meeting Room 3 holds 10/,
    );
    // The same small room is fine for ten, and stores the room rather than an address.
    const id = await createOpenSession(db(), coordinator, input(courseId, { date, time: "10:00", place: `room:${small}`, capacity: "10" }));
    const row = await db().selectFrom("sessions").select(["room_id", "address"]).where("id", "=", id).executeTakeFirstOrThrow();
    expect(row).toEqual({ room_id: small, address: null });
  });

  it("refuses an archived course", async () => {
    const { coordinator } = await schedulingWorld(db());
    const courseId = await createCourse(db());
    await db().updateTable("courses").set({ is_archived: 1 }).where("id", "=", courseId).execute();
    await expectViolation(createOpenSession(db(), coordinator, input(courseId)), "courseId", /Choose a course/);
  });

  it("refuses an invited list with no valid email in it, and stores a good list lower-cased without repeats", async () => {
    const { coordinator, courseId } = await schedulingWorld(db());
    await expectViolation(
      createOpenSession(db(), coordinator, input(courseId, { policy: "list", allowlist: "hall reps\nsee the spreadsheet" })),
      "allowlist",
      /no email addresses/,
    );
    const id = await createOpenSession(
      db(),
      coordinator,
      input(courseId, {
        policy: "list",
        allowlist: "Amira.Hussain@Students.example.ac.uk\nben@students.example.ac.uk, amira.hussain@students.example.ac.uk\nnot an email",
      }),
    );
    const listed = await db().selectFrom("signup_allowlist").select("email").where("session_id", "=", id).orderBy("email").execute();
    expect(listed.map((r) => r.email)).toEqual(["amira.hussain@students.example.ac.uk", "ben@students.example.ac.uk"]);
    const row = await db().selectFrom("sessions").select(["signup_policy", "signup_domain"]).where("id", "=", id).executeTakeFirstOrThrow();
    expect(row).toEqual({ signup_policy: "list", signup_domain: null });
  });

  it("keeps a domain only for the domain policy, without its @", async () => {
    const { coordinator, courseId } = await schedulingWorld(db());
    const id = await createOpenSession(db(), coordinator, input(courseId, { policy: "domain", domain: "@Bath.ac.uk" }));
    const row = await db().selectFrom("sessions").select(["signup_policy", "signup_domain"]).where("id", "=", id).executeTakeFirstOrThrow();
    expect(row).toEqual({ signup_policy: "domain", signup_domain: "bath.ac.uk" });
    expect(await db().selectFrom("signup_allowlist").select("email").where("session_id", "=", id).execute()).toEqual([]);
  });
});

describe("OpenSessionSchema", () => {
  it("asks for an address, a domain or a list only when the choice needs one, and for both halves of a deadline", () => {
    const errors = (values: Record<string, string>) => {
      const r = OpenSessionSchema.safeParse({ courseId: "1", date: "2030-10-15", time: "10:00", capacity: "10", promotionCutoffHours: "2", ...values });
      return r.success ? {} : Object.fromEntries(r.error.issues.map((i) => [i.path.join("."), i.message]));
    };
    expect(errors({ place: "address", policy: "anyone" })).toEqual({ address: "Give the address" });
    expect(errors({ place: "room:3", policy: "domain" })).toEqual({ domain: "Give the email domain, like bath.ac.uk" });
    expect(errors({ place: "room:3", policy: "list" })).toEqual({ allowlist: "Paste the email addresses, one per line" });
    expect(errors({ place: "room:3", policy: "anyone", deadlineDate: "2030-10-14" })).toEqual({
      deadlineTime: "Give both a date and a time for the deadline, or neither",
    });
    expect(errors({ place: "room:3", policy: "anyone", capacity: "0" })).toEqual({ capacity: "At least one place" });
    expect(errors({ place: "room:3", policy: "anyone" })).toEqual({});
  });
});

describe("coursesWithOpenSessions", () => {
  it("lists, by name and once each, the courses with an open session still ahead, and no other", async () => {
    const { coordinator, courseId } = await schedulingWorld(db());
    const twice = await createCourse(db(), { name: "Active Bystander (twice)" });
    const onlyCancelled = await createCourse(db(), { name: "Consent (cancelled)" });
    const onlyBooked = await createCourse(db(), { name: "Handling Disclosures (booked)" });
    const onlyPast = await createCourse(db(), { name: "Unconscious Bias (past)" });
    await createOpenSession(db(), coordinator, input(courseId, { date: londonDate(3, 2) }));
    await createOpenSession(db(), coordinator, input(twice, { date: londonDate(3, 3) }));
    await createOpenSession(db(), coordinator, input(twice, { date: londonDate(4, 3) }));
    const cancelled = await createOpenSession(db(), coordinator, input(onlyCancelled, { date: londonDate(3, 4) }));
    await db().updateTable("sessions").set({ status: "cancelled" }).where("id", "=", cancelled).execute();
    await insertSession(db(), { courseId: onlyBooked, startsAt: london(londonDate(3, 4), "12:00") });
    pinClock("2030-09-25T08:00:00Z");
    await createOpenSession(db(), coordinator, input(onlyPast, { date: "2030-10-01", time: "10:00" }));
    pinClock("2030-10-02T08:00:00Z");

    const listed = await coursesWithOpenSessions(db());
    const ids = listed.map((c) => c.id);
    expect(ids.filter((id) => id === twice)).toEqual([twice]);
    expect(ids).toContain(courseId);
    for (const absent of [onlyCancelled, onlyBooked, onlyPast]) expect(ids).not.toContain(absent);
    expect(listed.find((c) => c.id === twice)).toEqual({ id: twice, name: "Active Bystander (twice)" });
    const names = listed.map((c) => c.name);
    expect(names).toEqual([...names].sort());
  });
});

describe("listOpenSessions", () => {
  it("gives places taken, left and waiting, and leaves out booked, cancelled and past sessions", async () => {
    const { coordinator, courseId } = await schedulingWorld(db());
    const otherCourse = await createCourse(db(), { name: "Consent (listing test)" });
    const date = londonDate(4, 2);
    const full = await createOpenSession(db(), coordinator, input(courseId, { date, time: "10:00", capacity: "2" }));
    const roomy = await createOpenSession(db(), coordinator, input(otherCourse, { date: londonDate(5, 4), time: "14:00", capacity: "30", title: "" }));
    const cancelled = await createOpenSession(db(), coordinator, input(courseId, { date, time: "16:00" }));
    await db().updateTable("sessions").set({ status: "cancelled" }).where("id", "=", cancelled).execute();
    const booked = await insertSession(db(), { courseId, startsAt: london(date, "12:00") });
    // Opened last week for this morning, which has now gone.
    pinClock("2030-09-25T08:00:00Z");
    const past = await createOpenSession(db(), coordinator, input(courseId, { date: "2030-10-01", time: "10:00" }));
    pinClock("2030-10-02T08:00:00Z");

    for (let n = 1; n <= 3; n++) await register(db(), full, person(n));
    await register(db(), roomy, person(4));

    const listed = await listOpenSessions(db());
    const ids = listed.map((s) => s.id);
    expect(ids).toContain(full);
    expect(ids).toContain(roomy);
    for (const gone of [cancelled, booked, past]) expect(ids).not.toContain(gone);
    expect(ids.indexOf(full)).toBeLessThan(ids.indexOf(roomy));

    expect(listed.find((s) => s.id === full)).toMatchObject({
      capacity: 2,
      registered: 2,
      waiting: 1,
      seatsLeft: 0,
      title: "Student leader induction",
      where: "Students' Union Forum",
    });
    expect(listed.find((s) => s.id === roomy)).toMatchObject({
      capacity: 30,
      registered: 1,
      waiting: 0,
      seatsLeft: 29,
      title: null,
      courseName: "Consent (listing test)",
    });

    // A cancelled place no longer counts.
    const first = await db().selectFrom("registrations").select("id").where("session_id", "=", roomy).executeTakeFirstOrThrow();
    await cancelRegistration(db(), coordinator, { sessionId: roomy, registrationId: first.id, reason: "Testing" });
    expect((await listOpenSessions(db(), { sessionId: roomy }))[0]).toMatchObject({ registered: 0, seatsLeft: 30 });

    // The past one is there only when asked for.
    expect((await listOpenSessions(db(), { includePast: true })).map((s) => s.id)).toContain(past);
  });

  it("filters by course and by date range", async () => {
    const { coordinator } = await schedulingWorld(db());
    const a = await createCourse(db());
    const b = await createCourse(db());
    const early = await createOpenSession(db(), coordinator, input(a, { date: londonDate(6, 1), time: "10:00" }));
    const late = await createOpenSession(db(), coordinator, input(a, { date: londonDate(8, 1), time: "10:00" }));
    const other = await createOpenSession(db(), coordinator, input(b, { date: londonDate(6, 2), time: "10:00" }));

    expect((await listOpenSessions(db(), { courseId: a })).map((s) => s.id)).toEqual([early, late]);
    expect((await listOpenSessions(db(), { courseId: b })).map((s) => s.id)).toEqual([other]);
    const week6 = { from: london(londonDate(6, 1), "00:00"), to: london(londonDate(7, 1), "00:00") };
    const inWeek6 = (await listOpenSessions(db(), week6)).map((s) => s.id);
    expect(inWeek6).toContain(early);
    expect(inWeek6).toContain(other);
    expect(inWeek6).not.toContain(late);
    expect((await listOpenSessions(db(), { ...week6, courseId: a })).map((s) => s.id)).toEqual([early]);
  });

  it("says when sign-up has closed though the session is still ahead", async () => {
    const { coordinator } = await schedulingWorld(db());
    const courseId = await createCourse(db());
    const id = await createOpenSession(db(), coordinator, input(courseId, { deadlineDate: londonDate(1, 2), deadlineTime: "12:00" }));
    const listed = async () => (await listOpenSessions(db(), { courseId })).find((s) => s.id === id)!;
    expect((await listed()).signupClosed).toBe(false);
    pinClock(london(londonDate(1, 2), "12:00"));
    expect((await listed()).signupClosed).toBe(true);
  });
});

describe("attendeeList", () => {
  it("lists places in order of sign-up, the waiting list in order of joining, and cancellations apart", async () => {
    const { coordinator, courseId } = await schedulingWorld(db());
    const id = await createOpenSession(db(), coordinator, input(courseId, { date: londonDate(9, 2), capacity: "2", question: "Which role?" }));
    for (let n = 1; n <= 4; n++) await register(db(), id, { ...person(n), answer: `Role ${n}` });
    let list = (await attendeeList(db(), id))!;
    expect(list.kind).toBe("open");
    expect(list.question).toBe("Which role?");
    expect(list.registered.map((r) => r.name)).toEqual(["Person 1", "Person 2"]);
    expect(list.waiting.map((r) => r.name)).toEqual(["Person 3", "Person 4"]);
    expect(list.registered[0]).toMatchObject({
      email: "person1@students.example.ac.uk",
      answer: "Role 1",
      attendance: "unknown",
      walkIn: false,
      promotedAt: null,
    });

    // Cancelling a place moves the first person waiting up, well before the cut-off.
    await cancelRegistration(db(), coordinator, { sessionId: id, registrationId: list.registered[0]!.id, reason: "Cannot come after all" });
    list = (await attendeeList(db(), id))!;
    expect(list.registered.map((r) => r.name)).toEqual(["Person 2", "Person 3"]);
    expect(list.registered[1]!.promotedAt).not.toBeNull();
    expect(list.waiting.map((r) => r.name)).toEqual(["Person 4"]);
    expect(list.cancelled.map((r) => r.name)).toEqual(["Person 1"]);
    expect(await attendeeList(db(), 999_999)).toBeNull();
  });
});
