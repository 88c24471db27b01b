import { writeTransaction } from "#db/transaction.ts";
import type { Kysely } from "kysely";
import type { Database, RequirementValidity } from "#db/schema.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { newSessionUid } from "#app/calendar/ical.server.ts";
import { organisationsByName } from "#app/compliance/leaders.server.ts";
import { sendReminders } from "#app/compliance/reminders.server.ts";
import { normaliseName } from "#app/roster/names.ts";
import { academicYearStartOf, addDays, londonDateOf, londonWallTimeToUtc } from "#app/utils/dates.ts";
import { DAY, MINUTE } from "#app/utils/time.ts";
import { insertMany } from "./insert-many.ts";
import { INDUCTION_SIGNUPS, inductionStudentId, emailOf } from "./demo-term.ts";

/**
 * Student leaders for this academic year and last: the seven roles and what they require, about
 * 120 leaders in their clubs, societies, halls and programmes. Most have done their induction at a
 * leader session this term (counted from the registers, not copied), a few elsewhere; one is
 * exempt, some are overdue, two were appointed late, one stepped down, and one attended under a
 * personal email address (a near-miss for the officer to confirm).
 */

const ROLES: { name: string; description: string; requires: [string, RequirementValidity, number | null][] }[] = [
  {
    name: "Freshers' Week captain",
    description: "Leads a team of new students through Freshers' Week.",
    requires: [
      ["Active Bystander", "academic_year", null],
      ["Consent", "academic_year", null],
    ],
  },
  {
    name: "Hall rep",
    description: "Represents and looks out for the students in a hall of residence.",
    requires: [
      ["Active Bystander", "academic_year", null],
      ["Handling Disclosures", "months", 24],
    ],
  },
  {
    name: "Society committee",
    description: "President, secretary, treasurer or welfare officer of a society.",
    requires: [["Active Bystander", "academic_year", null]],
  },
  {
    name: "Sports club committee",
    description: "President, captain, secretary or welfare officer of a sports club.",
    requires: [["Active Bystander", "academic_year", null]],
  },
  { name: "Course rep", description: "Speaks for the students on a course.", requires: [["Active Bystander", "academic_year", null]] },
  {
    name: "Network lead",
    description: "Leads one of the Students' Union's liberation and identity networks.",
    requires: [["Active Bystander", "academic_year", null]],
  },
  { name: "Buddy", description: "Welcomes and supports a new or international student.", requires: [["Active Bystander", "academic_year", null]] },
];

/**
 * Each group and what its members did, one letter per member (the first is president of a club or society):
 * A attended at a leader session · c attended Active Bystander but not Consent · E recorded as done elsewhere ·
 * h (hall reps) Handling Disclosures recorded last spring · m (hall reps) Handling Disclosures missing ·
 * L attended only last year's session · S attended under another email, matched by student ID ·
 * N attended under a personal email and no student ID (a near-miss) · X exempt · Q stepped down ·
 * D appointed ten days ago · d appointed twenty days ago · O nothing yet.
 */
const GROUPS: [role: string, group: string, outcomes: string][] = [
  ["Freshers' Week captain", "Freshers' Week Captains", "AAAAAAAAAAAAAAAAAAccOOXE"],
  ["Hall rep", "Hall Reps", "AAAAAAAAhhhhmmLLOOAA"],
  ["Sports club committee", "Rugby Club", "AAAEOd"],
  ["Sports club committee", "Netball Club", "AAAAOD"],
  ["Sports club committee", "Hockey Club", "AAEOOA"],
  ["Sports club committee", "Rowing Club", "AAAOOA"],
  ["Society committee", "Drama Society", "AAANO"],
  ["Society committee", "Debating Society", "AAAOO"],
  ["Society committee", "Islamic Society", "AAAEO"],
  ["Society committee", "LGBTQ+ Society", "AAOOA"],
  ["Course rep", "Department of Psychology", "AAAQ"],
  ["Course rep", "School of Management", "AAOO"],
  ["Course rep", "Department of Computer Science", "AAAO"],
  ["Course rep", "Department of Health", "AAOO"],
  ["Network lead", "Women's Network", "SA"],
  ["Network lead", "Disabled Students' Network", "AO"],
  ["Network lead", "Black Students' Network", "SO"],
  ["Network lead", "Mature Students' Network", "AA"],
  ["Buddy", "International Buddies", "AAOOO"],
  ["Buddy", "Peer Mentors", "AAAOO"],
];

/** Last year's roster besides the hall reps who carry on: [role, group, how many]. */
const LAST_YEAR: [string, string, number][] = [
  ["Freshers' Week captain", "Freshers' Week Captains", 8],
  ["Sports club committee", "Rugby Club", 4],
  ["Sports club committee", "Netball Club", 3],
  ["Course rep", "Department of Psychology", 3],
  ["Network lead", "Women's Network", 2],
];

const FIRST = [
  "Aaliyah",
  "Adam",
  "Aisha",
  "Alfie",
  "Amelia",
  "Anya",
  "Arjun",
  "Ava",
  "Bea",
  "Callum",
  "Chloe",
  "Daniel",
  "Darcy",
  "Eden",
  "Eli",
  "Erin",
  "Ethan",
  "Evie",
  "Farah",
  "Finn",
  "Freya",
  "Gabriel",
  "Hana",
  "Hugo",
  "Ibrahim",
  "Imogen",
  "Isaac",
  "Jade",
  "Jamal",
  "Jasmine",
  "Joel",
  "Kai",
  "Kiera",
  "Leah",
  "Leon",
  "Lily",
  "Luca",
  "Maya",
  "Mia",
  "Mohammed",
  "Nadia",
  "Noah",
  "Olivia",
  "Omar",
  "Orla",
  "Priya",
  "Rahul",
  "Rosa",
  "Ruby",
  "Sami",
  "Sofia",
  "Tariq",
  "Tess",
  "Theo",
  "Yusuf",
  "Zara",
];
const LAST = [
  "Ahmed",
  "Bailey",
  "Campbell",
  "Davies",
  "Edwards",
  "Fletcher",
  "Green",
  "Hall",
  "Iqbal",
  "Jones",
  "Khan",
  "Lewis",
  "Mensah",
  "Nowak",
  "Owen",
  "Price",
  "Quinn",
  "Roberts",
  "Singh",
  "Taylor",
  "Usman",
  "Walker",
  "Wright",
  "Young",
];

/** A weekday at a London time: the date itself, or the Monday after a weekend. */
function weekdayAt(date: string, time: string): Date {
  let d = date;
  for (;;) {
    const wd = new Date(`${d}T12:00:00Z`).getUTCDay();
    if (wd !== 0 && wd !== 6) break;
    d = addDays(d, 1);
  }
  return londonWallTimeToUtc(d, time);
}

export async function seedDemoCompliance(db: Kysely<Database>, now: Date): Promise<void> {
  const year = academicYearStartOf(now);
  const today = londonDateOf(now);
  const iso = now.toISOString();
  const officerRow = await db.selectFrom("users").select(["id", "name", "email"]).where("email", "=", "officer@neverok.example").executeTakeFirstOrThrow();
  const officer: SessionUser = { ...officerRow, roles: ["officer"] };

  await writeTransaction(db, async (trx) => {
    const courses = new Map((await trx.selectFrom("courses").select(["id", "name", "duration_minutes"]).execute()).map((c) => [c.name, c]));
    const rooms = new Map((await trx.selectFrom("rooms").select(["id", "name", "capacity"]).execute()).map((r) => [r.name, r]));
    const trainers = new Map((await trx.selectFrom("users").select(["id", "email"]).execute()).map((u) => [u.email, u.id]));
    const orgs = await organisationsByName(trx);

    // ---- Roles and years -------------------------------------------------------------------------
    const roleIds = new Map<string, number>();
    for (const r of ROLES) {
      const { id } = await trx
        .insertInto("leader_roles")
        .values({ name: r.name, description: r.description, created_at: iso, updated_at: iso })
        .returning("id")
        .executeTakeFirstOrThrow();
      roleIds.set(r.name, id);
      await trx
        .insertInto("leader_role_requirements")
        .values(r.requires.map(([course, validity, months]) => ({ role_id: id, course_id: courses.get(course)!.id, validity, validity_months: months })))
        .execute();
    }
    await trx
      .insertInto("leader_years")
      .values([
        { start_year: year - 1, deadline: `${year - 1}-10-31`, created_at: iso, updated_at: iso },
        { start_year: year, deadline: `${year}-10-31`, created_at: iso, updated_at: iso },
      ])
      .execute();

    // ---- Leader sessions already delivered (registers closed), each open to as many as its room holds ----
    const sessionSpecs: [key: string, date: string, group: string, course: string, room: string, trainers: string[]][] = [
      ["lastYear", `${year - 1}-10-08`, "Leader induction", "Active Bystander", "Lecture Theatre 2", ["trainer@neverok.example"]],
      ["lastYearConsent", `${year - 1}-09-16`, "Freshers' Week captains", "Consent", "The Forum Suite", ["marcus.reid@neverok.example"]],
      [
        "fwcBystander",
        `${year}-09-15`,
        "Freshers' Week captains",
        "Active Bystander",
        "Lecture Theatre 2",
        ["trainer@neverok.example", "chloe.bennett@neverok.example"],
      ],
      ["fwcConsent", `${year}-09-17`, "Freshers' Week captains", "Consent", "The Forum Suite", ["marcus.reid@neverok.example"]],
      ["october1", `${year}-10-07`, "Leader induction", "Active Bystander", "The Forum Suite", ["tom.hughes@neverok.example"]],
      ["disclosures", `${year}-10-14`, "Hall reps", "Handling Disclosures", "Room 4.02", ["trainer@neverok.example", "marcus.reid@neverok.example"]],
      ["october2", `${year}-10-28`, "Leader induction", "Active Bystander", "Seminar Room 1.14", ["aisha.rahman@neverok.example"]],
      ["november", `${year}-11-11`, "Leader induction", "Active Bystander", "Seminar Room 1.14", ["tom.hughes@neverok.example"]],
    ];
    const sessions = new Map<string, { id: number; startsAt: Date }>();
    for (const [key, date, group, courseName, roomName, sessionTrainers] of sessionSpecs) {
      const course = courses.get(courseName)!;
      const room = rooms.get(roomName)!;
      // Late afternoon, ending by 18:00 like every other session.
      const start = weekdayAt(date, course.duration_minutes > 90 ? "16:00" : "16:30");
      const end = new Date(start.getTime() + course.duration_minutes * MINUTE);
      if (end.getTime() > now.getTime() - DAY) continue; // early in the year some have not happened yet
      const created = new Date(start.getTime() - 28 * DAY).toISOString();
      const { id } = await trx
        .insertInto("sessions")
        .values({
          course_id: course.id,
          booking_request_id: null,
          organisation_id: null,
          starts_at: start.toISOString(),
          ends_at: end.toISOString(),
          duration_minutes: course.duration_minutes,
          room_id: room.id,
          address: null,
          capacity: room.capacity,
          trainers_needed: sessionTrainers.length,
          status: "delivered",
          cancel_reason: null,
          ical_uid: newSessionUid(),
          created_by: null,
          created_at: created,
          updated_at: end.toISOString(),
          kind: "open",
          title: `${group}: ${courseName}`,
          signup_deadline: null,
          signup_policy: "anyone",
          signup_domain: null,
          asks_student_id: 1,
          question: null,
          promotion_cutoff_hours: 2,
          register_closed_at: end.toISOString(),
          head_count: null,
          feedback_code: `leaders${key}${start.getTime().toString(36)}`,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await trx
        .insertInto("session_trainers")
        .values(
          sessionTrainers.map((t) => ({
            session_id: id,
            trainer_id: trainers.get(t)!,
            status: "accepted" as const,
            assigned_by: null,
            assigned_at: created,
            responded_at: created,
            decline_reason: null,
            override_reason: null,
          })),
        )
        .execute();
      sessions.set(key, { id, startsAt: start });
    }

    type Attendance = { session: string; name: string; email: string | null; studentId: string | null; present: boolean };
    const attendance: Attendance[] = [];
    const attend = (session: string, p: { name: string; email: string | null; studentId: string | null }, present = true) => {
      if (sessions.has(session)) attendance.push({ session, ...p, present });
    };

    // ---- This year's leaders ---------------------------------------------------------------------
    const names: string[] = [];
    const taken = new Set(INDUCTION_SIGNUPS);
    for (let i = 0; names.length < 200 && i < FIRST.length * LAST.length; i++) {
      const name = `${FIRST[i % FIRST.length]} ${LAST[(i * 7 + Math.floor(i / FIRST.length)) % LAST.length]}`;
      if (!taken.has(name)) {
        taken.add(name);
        names.push(name);
      }
    }
    // The first to sign up to this term's first induction, with the same email and student ID.
    const booked = [...INDUCTION_SIGNUPS];
    let nextName = 0;
    let nextId = 0;
    interface Leader {
      name: string;
      email: string;
      studentId: string;
    }
    const people: Leader[] = [];
    const appointments: {
      person: Leader;
      year: number;
      role: string;
      group: string;
      president: boolean;
      startedOn: string;
      endedOn: string | null;
      endReason: string | null;
    }[] = [];
    const completions: { person: Leader; course: string; on: string; provider: string; note: string | null }[] = [];
    const exemptions: { person: Leader; reason: string; grantedBy: string }[] = [];
    const newPerson = (preferBooked: boolean): Leader => {
      const fromBooked = preferBooked ? booked.shift() : undefined;
      const name = fromBooked ?? names[nextName++]!;
      const studentId = fromBooked ? inductionStudentId(0, INDUCTION_SIGNUPS.indexOf(fromBooked)) : `S${2510000 + nextId++}`;
      const person = { name, email: emailOf(name), studentId };
      people.push(person);
      return person;
    };

    const bystanderSessions = ["october1", "october2", "fwcBystander", "november"];
    let rotate = 0;
    const hallReps: Leader[] = [];
    for (const [role, group, outcomes] of GROUPS) {
      const clubOrSociety = role === "Sports club committee" || role === "Society committee";
      [...outcomes].forEach((outcome, i) => {
        const person = newPerson(outcome === "O");
        if (role === "Hall rep") hallReps.push(person);
        const startedOn =
          outcome === "D" ? addDays(today, -10) : outcome === "d" ? addDays(today, -20) : role === "Freshers' Week captain" ? `${year}-08-01` : `${year}-09-01`;
        appointments.push({
          person,
          year,
          role,
          group,
          president: clubOrSociety && i === 0,
          startedOn: startedOn < `${year}-08-01` ? `${year}-08-01` : startedOn,
          endedOn: outcome === "Q" ? `${year}-10-20` : null,
          endReason: outcome === "Q" ? "Stepped down to focus on placement" : null,
        });
        const bystander =
          role === "Freshers' Week captain"
            ? "fwcBystander"
            : role === "Hall rep"
              ? i % 2
                ? "october1"
                : "october2"
              : bystanderSessions[rotate++ % bystanderSessions.length]!;
        switch (outcome) {
          case "A":
            attend(bystander, person);
            if (role === "Freshers' Week captain") attend("fwcConsent", person);
            if (role === "Hall rep") attend("disclosures", person);
            break;
          case "c":
            attend(bystander, person);
            break;
          case "h":
            attend(bystander, person);
            completions.push({
              person,
              course: "Handling Disclosures",
              on: `${year}-03-12`,
              provider: "Residential Life wardens' training day",
              note: "Attendance list from the Residential Life team",
            });
            break;
          case "m":
            attend(bystander, person);
            break;
          case "L":
            attend("lastYear", person);
            break;
          case "S":
            attend(bystander, { name: person.name, email: emailOf(person.name, "outlook.example"), studentId: person.studentId });
            break;
          case "N":
            attend("november", { name: person.name, email: emailOf(person.name, "gmail.example"), studentId: null });
            break;
          case "E":
            completions.push({
              person,
              course: "Active Bystander",
              on: `${year}-09-20`,
              provider: "Bath Spa University Students' Union",
              note: "Certificate seen by the union office",
            });
            if (role === "Freshers' Week captain") attend("fwcConsent", person);
            break;
          case "X":
            exemptions.push({
              person,
              reason: "Delivers Active Bystander and Consent training as a volunteer facilitator; trained this summer.",
              grantedBy: "Jordan Ellis, VP Welfare",
            });
            break;
          case "O":
            // A few signed up and did not come: a no-show counts for nothing.
            if (i % 2 === 1) attend("october2", person, false);
            break;
        }
      });
    }

    // ---- Last year's roster, for comparison and roll-over -----------------------------------------
    for (const [role, group, count] of LAST_YEAR) {
      for (let i = 0; i < count; i++) {
        const person = newPerson(false);
        appointments.push({
          person,
          year: year - 1,
          role,
          group,
          president: role === "Sports club committee" && i === 0,
          startedOn: `${year - 1}-08-01`,
          endedOn: null,
          endReason: null,
        });
        if (i < count - 1) attend("lastYear", person);
        if (role === "Freshers' Week captain" && i < count - 2) attend("lastYearConsent", person);
      }
    }
    // Hall reps who carry on from last year (and did their Active Bystander then).
    for (const person of hallReps.slice(8, 16)) {
      appointments.push({
        person,
        year: year - 1,
        role: "Hall rep",
        group: "Hall Reps",
        president: false,
        startedOn: `${year - 1}-08-01`,
        endedOn: null,
        endReason: null,
      });
      if (!attendance.some((a) => a.session === "lastYear" && a.email === person.email)) attend("lastYear", person);
    }

    // ---- Written in bulk ----------------------------------------------------------------------------
    const personIds = new Map<string, number>();
    for (let i = 0; i < people.length; i += 100) {
      const rows = await trx
        .insertInto("leader_people")
        .values(people.slice(i, i + 100).map((p) => ({ name: p.name, email: p.email, student_id: p.studentId, created_at: iso, updated_at: iso })))
        .returning(["id", "email"])
        .execute();
      for (const r of rows) personIds.set(r.email, r.id);
    }
    await insertMany(
      trx,
      "leader_appointments",
      appointments.map((a) => ({
        person_id: personIds.get(a.person.email)!,
        start_year: a.year,
        role_id: roleIds.get(a.role)!,
        group_name: a.group,
        organisation_id: orgs.get(normaliseName(a.group)) ?? null,
        is_president: a.president ? (1 as const) : (0 as const),
        started_on: a.startedOn,
        ended_on: a.endedOn,
        end_reason: a.endReason,
        created_at: iso,
        updated_at: iso,
      })),
    );
    await insertMany(
      trx,
      "registrations",
      attendance.map((a) => {
        const s = sessions.get(a.session)!;
        return {
          session_id: s.id,
          name: a.name,
          email: a.email,
          student_id: a.studentId,
          accessibility_needs: null,
          answer: null,
          status: "registered" as const,
          attendance: a.present ? ("present" as const) : ("absent" as const),
          manage_token_hash: null,
          created_at: new Date(s.startsAt.getTime() - 10 * DAY).toISOString(),
          promoted_at: null,
          cancelled_at: null,
          attendance_marked_at: s.startsAt.toISOString(),
        };
      }),
    );
    await insertMany(
      trx,
      "leader_completions",
      completions.map((c) => ({
        person_id: personIds.get(c.person.email)!,
        course_id: courses.get(c.course)!.id,
        completed_on: c.on,
        source: "external" as const,
        provider: c.provider,
        evidence_note: c.note,
        registration_id: null,
        recorded_by: officer.id,
        created_at: iso,
        withdrawn_at: null,
        withdrawn_by: null,
        withdraw_reason: null,
      })),
    );
    await insertMany(
      trx,
      "leader_exemptions",
      exemptions.map((e) => ({
        person_id: personIds.get(e.person.email)!,
        course_id: null,
        start_year: year,
        reason: e.reason,
        granted_by: e.grantedBy,
        recorded_by: officer.id,
        created_at: iso,
        withdrawn_at: null,
        withdrawn_by: null,
        withdraw_reason: null,
      })),
    );
  });

  // Three overdue leaders were chased today, through the real reminder (their emails are in the outbox).
  const chased = await db
    .selectFrom("leader_people")
    .select("id")
    .where(
      "email",
      "in",
      INDUCTION_SIGNUPS.slice(0, 3).map((n) => emailOf(n)),
    )
    .execute();
  if (chased.length) await sendReminders(db, officer, year, { to: chased.map((c) => c.id), copyPresidents: true });
}
