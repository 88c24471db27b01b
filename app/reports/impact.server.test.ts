import { beforeAll, describe, expect, it } from "vitest";
import { setClockOffsetForTests } from "#app/utils/time.ts";
import type { Kysely } from "kysely";
import type { Audience, Database, Recommend } from "#db/schema.ts";
import { getDb } from "#app/db.server.ts";
import { insertAssignment, insertRegistration, london } from "#tests/scheduling-fixtures.ts";
import { createCourse, createOrganisation, createUser, insertFeedbackResponses } from "#tests/factories.ts";
import { recordExternalCompletion } from "#app/compliance/records.server.ts";
import { addOrUpdateLeader } from "#app/compliance/leaders.server.ts";
import { saveLeaderRole, saveLeaderYear, setRoleRequirements } from "#app/compliance/roles.server.ts";
import { impactCsv } from "./export.ts";
import { csvFigure, formatFigure, SUPPRESSED, type Figure } from "./figures.ts";
import { buildImpactReport, ORGANISATIONS_NAMED, reportForPage, type ImpactReport } from "./impact-report.ts";
import { resolveOrganisationField } from "./impact-page.server.ts";
import { periodFigures, type PeriodFigures } from "./impact.server.ts";
import { leaderComplianceFigures } from "./leader-compliance.server.ts";
import { describeScope, rangeProblem, scopeFromQuery, type ReportScope } from "./period.ts";

/**
 * A small campaign whose every figure was worked out by hand (see the comments). 2025–26 is the
 * year under test; 2024–25 is the year before; one session falls just after 2025–26 ends.
 */
let db: Kysely<Database>;
const ids = {} as Record<string, number>;

async function session(opts: {
  course: string;
  at: Date;
  minutes: number;
  status?: "delivered" | "cancelled" | "scheduled";
  org?: string;
  audience?: Audience;
  headCount?: number | null;
  trainers?: [string, "accepted" | "declined"][];
}) {
  const kind = opts.org ? "booked" : "open";
  let requestId: number | null = null;
  if (opts.org) {
    const r = await db
      .insertInto("booking_requests")
      .values({
        organisation_id: ids[opts.org]!,
        requested_by: ids.booker!,
        course_id: ids[opts.course]!,
        group_size: 30,
        audience: opts.audience ?? "students",
        location_kind: "own_premises",
        address: "1 High Street",
        accessibility_needs: null,
        notes: null,
        status: "scheduled",
        status_reason: null,
        session_id: null,
        created_at: "2024-01-01T00:00:00.000Z",
        updated_at: "2024-01-01T00:00:00.000Z",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    requestId = r.id;
  }
  const s = await db
    .insertInto("sessions")
    .values({
      course_id: ids[opts.course]!,
      booking_request_id: requestId,
      organisation_id: opts.org ? ids[opts.org]! : null,
      starts_at: opts.at.toISOString(),
      ends_at: new Date(opts.at.getTime() + opts.minutes * 60_000).toISOString(),
      duration_minutes: opts.minutes,
      room_id: null,
      address: "1 High Street",
      capacity: 40,
      status: opts.status ?? "delivered",
      cancel_reason: null,
      ical_uid: `report-${crypto.randomUUID()}@neverok.example`,
      created_by: null,
      created_at: "2024-01-01T00:00:00.000Z",
      updated_at: "2024-01-01T00:00:00.000Z",
      kind,
      head_count: opts.headCount ?? null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  for (const [t, status] of opts.trainers ?? []) {
    await insertAssignment(db, s.id, ids[t]!, { status, assigned_at: "2024-01-01T00:00:00.000Z" });
  }
  return s.id;
}

async function attendee(
  sessionId: number,
  name: string,
  email: string | null,
  attendance: "present" | "absent",
  opts: { studentId?: string; status?: "registered" | "cancelled" } = {},
) {
  await insertRegistration(db, sessionId, {
    name,
    email,
    student_id: opts.studentId ?? null,
    status: opts.status ?? "registered",
    attendance,
    created_at: "2024-01-01T00:00:00.000Z",
  });
}

async function feedback(sessionId: number, answers: [Recommend, number | null, number | null][]) {
  await insertFeedbackResponses(
    db,
    sessionId,
    answers.map(([recommend, before, after]) => ({ recommend, confidence_before: before, confidence_after: after, created_at: "2026-01-01T00:00:00.000Z" })),
  );
}

beforeAll(async () => {
  db = getDb();
  ids.A = await createCourse(db, { name: "Active Bystander", durationMinutes: 90 });
  ids.U = await createCourse(db, { name: "Unconscious Bias", durationMinutes: 120 });
  ids.psych = await createOrganisation(db, { name: "Department of Psychology", kind: "department" });
  ids.maths = await createOrganisation(db, { name: "Department of Mathematics", kind: "department" });
  ids.rugby = await createOrganisation(db, { name: "Rugby Club", kind: "sports_club" });
  ids.moles = await createOrganisation(db, { name: "Moles", kind: "partner_venue" });
  ids.booker = (await createUser(db, { roles: ["booker"] })).id;
  ids.T1 = (await createUser(db, { name: "Trainer One", roles: ["trainer"] })).id;
  ids.T2 = (await createUser(db, { name: "Trainer Two", roles: ["trainer"] })).id;

  // 2025–26.
  // S1: Psychology, Unconscious Bias, 30 by head count, two trainers, 120 minutes.
  const s1 = await session({
    course: "U",
    at: london("2025-10-01", "10:00"),
    minutes: 120,
    org: "psych",
    headCount: 30,
    trainers: [
      ["T1", "accepted"],
      ["T2", "accepted"],
    ],
  });
  // S2: 00:30 on 1 August London time is 23:30 UTC on 31 July: it belongs to 2025–26, not 2024–25.
  await session({ course: "A", at: london("2025-08-01", "00:30"), minutes: 90, org: "rugby", headCount: 20, trainers: [["T1", "accepted"]] });
  // S3, S4: open sessions with names. Alice comes to both (once in capitals): one person, two attendances.
  const s3 = await session({ course: "A", at: london("2026-01-20", "14:00"), minutes: 90, trainers: [["T2", "accepted"]] });
  await attendee(s3, "Alice Ng", "alice@example.ac.uk", "present");
  await attendee(s3, "Bob Ode", "bob@example.ac.uk", "present");
  await attendee(s3, "Carol Ray", "carol@example.ac.uk", "absent");
  await attendee(s3, "Dan Roe", null, "present", { studentId: "S123" });
  await attendee(s3, "Eve Cole", "eve@example.ac.uk", "present", { status: "cancelled" });
  const s4 = await session({
    course: "U",
    at: london("2026-02-10", "10:00"),
    minutes: 120,
    trainers: [
      ["T1", "accepted"],
      ["T2", "declined"],
    ],
  });
  await attendee(s4, "Alice Ng", "ALICE@example.ac.uk", "present");
  await attendee(s4, "Fred Hay", "fred@example.ac.uk", "present");
  // S5: a partner venue's staff.
  await session({
    course: "A",
    at: london("2026-03-05", "17:00"),
    minutes: 90,
    org: "moles",
    audience: "venue_staff",
    headCount: 12,
    trainers: [["T2", "accepted"]],
  });
  // S6: cancelled: Mathematics did not end up booking anything.
  await session({ course: "U", at: london("2026-04-01", "10:00"), minutes: 120, org: "maths", status: "cancelled", headCount: 25 });
  // S7: planned but never delivered: Psychology booked it, it adds no attendances.
  await session({ course: "A", at: london("2026-06-01", "10:00"), minutes: 90, org: "psych", status: "scheduled" });

  // Feedback. S1: 7 answers, 6 yes; 5 paired (2→4, 3→5, 3→3, 4→3, 1→5): before 13, after 20, 3 rose.
  await feedback(s1, [
    ["yes", 2, 4],
    ["yes", 3, 5],
    ["yes", 3, 3],
    ["no", 4, 3],
    ["yes", null, 4],
    ["yes", 2, null],
    ["yes", 1, 5],
  ]);
  // S3: 2 answers, 1 yes; 2 paired (1→5, 2→2): before 3, after 7, 1 rose.
  await feedback(s3, [
    ["yes", 1, 5],
    ["not_sure", 2, 2],
  ]);

  // 2024–25: 25 + 10 = 35 attendances. 22:00 on 31 July London is still 2024–25.
  await session({ course: "U", at: london("2024-11-05", "10:00"), minutes: 120, org: "psych", headCount: 25, trainers: [["T1", "accepted"]] });
  await session({ course: "A", at: london("2025-07-31", "22:00"), minutes: 90, org: "rugby", headCount: 10, trainers: [["T1", "accepted"]] });

  // 2026–27: 00:30 on 1 August 2026 London time (23:30 UTC on 31 July) is next year's.
  await session({ course: "A", at: london("2026-08-01", "00:30"), minutes: 90, org: "rugby", headCount: 7, trainers: [["T1", "accepted"]] });
});

const scope = (query: string): ReportScope => scopeFromQuery(new URLSearchParams(query), new Date("2026-11-21T12:00:00Z"));
const figuresFor = (query: string) => {
  const s = scope(query);
  return periodFigures(db, s.period, s.filters);
};
async function reportFor(query: string): Promise<ImpactReport> {
  const s = scope(query);
  const compliance = s.academicYear !== null ? await leaderComplianceFigures(db, s.academicYear) : null;
  return buildImpactReport(s, await periodFigures(db, s.period, s.filters), await periodFigures(db, s.previous, s.filters), compliance);
}
const cells = (report: ImpactReport, tableId: string) =>
  Object.fromEntries(report.tables.find((t) => t.id === tableId)!.rows.map((r) => [formatFigure(r[0]!), r.slice(1).map(formatFigure)]));

describe("the figures for an academic year", () => {
  let y: PeriodFigures;
  beforeAll(async () => {
    y = await figuresFor("year=2025");
  });

  it("counts attendances from head counts and registers, on delivered sessions only, by London dates", () => {
    // S1 30 + S2 20 + S3 3 + S4 2 + S5 12. Not S6 (cancelled), S7 (not delivered), nor next year's 7.
    expect(y.attendances).toBe(67);
    expect(y.sessionsDelivered).toBe(5);
    expect(y.sessionsCancelled).toBe(1);
  });

  it("counts a person who came twice once, matching email whatever its case, and keeps no-shows and cancelled places out", () => {
    // Named: Alice, Bob, Dan (by student ID), Fred = 4; unnamed head counts 30 + 20 + 12 = 62.
    expect(y.people).toBe(66);
  });

  it("adds up hours of training and trainer hours, leaving out a trainer who declined", () => {
    expect(y.trainingMinutes).toBe(120 + 90 + 90 + 120 + 90);
    expect(y.trainerMinutes).toBe(120 * 2 + 90 + 90 + 120 + 90);
  });

  it("splits by audience and by kind of organisation", () => {
    expect(Object.fromEntries(y.byAudience)).toEqual({
      students: { attendances: 50, people: 50 },
      open: { attendances: 5, people: 4 },
      venue_staff: { attendances: 12, people: 12 },
    });
    expect(Object.fromEntries(y.byOrgKind)).toEqual({
      department: { attendances: 30, people: 30 },
      sports_club: { attendances: 20, people: 20 },
      partner_venue: { attendances: 12, people: 12 },
      open: { attendances: 5, people: 4 },
    });
  });

  it("ranks the courses by attendances", () => {
    expect(y.courses.map((c) => [c.name, c.attendances, c.sessions])).toEqual([
      ["Active Bystander", 35, 3],
      ["Unconscious Bias", 32, 2],
    ]);
  });

  it("names the organisations that booked, leaving out one whose only session was cancelled", () => {
    expect(Object.fromEntries(y.organisations)).toEqual({
      department: ["Department of Psychology"],
      sports_club: ["Rugby Club"],
      partner_venue: ["Moles"],
    });
  });

  it("uses only paired confidence answers", () => {
    expect(y.feedback).toEqual({ responses: 9, recommendYes: 7, recommendAnswered: 9, paired: 7, sumBefore: 16, sumAfter: 27, rose: 4 });
    const u = y.courses.find((c) => c.name === "Unconscious Bias")!;
    expect([u.paired, u.sumBefore, u.sumAfter, u.rose]).toEqual([5, 13, 20, 3]);
  });

  it("puts attendances in London months", () => {
    expect(Object.fromEntries(y.months)).toEqual({ "2025-08": 20, "2025-10": 30, "2026-01": 3, "2026-02": 2, "2026-03": 12 });
  });

  it("keeps 31 July in its own year and 1 August in the next, in London time", async () => {
    const before = await figuresFor("year=2024");
    expect(before.attendances).toBe(35);
    const after = await figuresFor("year=2026");
    expect(after.attendances).toBe(7);
  });
});

describe("slicing", () => {
  it("by trainer: only the sessions they were on, and only their hours", async () => {
    const y = await figuresFor(`year=2025&trainer=${ids.T2}`);
    expect(y.attendances).toBe(30 + 3 + 12);
    expect(y.trainerMinutes).toBe(120 + 90 + 90);
  });

  it("by course, with its cancellations", async () => {
    const y = await figuresFor(`year=2025&course=${ids.U}`);
    expect([y.attendances, y.people, y.sessionsCancelled]).toEqual([32, 32, 1]);
  });

  it("by kind of organisation, including open sign-up", async () => {
    expect((await figuresFor("year=2025&kind=open")).attendances).toBe(5);
    expect((await figuresFor("year=2025&kind=partner_venue")).attendances).toBe(12);
  });

  it("by organisation", async () => {
    expect((await figuresFor(`year=2025&organisation=${ids.psych}`)).attendances).toBe(30);
  });

  it("over any dates, compared with the same dates a year earlier", async () => {
    const s = scope("year=&from=2026-01-01&to=2026-02-28");
    expect(s.academicYear).toBeNull();
    expect(s.previous.start.toISOString()).toBe("2025-01-01T00:00:00.000Z");
    expect((await periodFigures(db, s.period, s.filters)).attendances).toBe(5);
    // 31 July 2025 in London to the end of 1 August: S2 (1 Aug, 00:30) and the 22:00 session the night before.
    const edge = scope("year=&from=2025-07-31&to=2025-08-01");
    expect((await periodFigures(db, edge.period, edge.filters)).attendances).toBe(30);
  });
});

describe("the period", () => {
  it("compares a year still under way with the same point last year", () => {
    const s = scope("");
    expect(s.academicYear).toBe(2026);
    expect(s.period.label).toBe("2026–27 so far");
    expect(describeScope(s)).toBe("The academic year 2026–27 so far (1 Aug 2026 – 21 Nov 2026), each figure beside the same dates in 2025–26.");
    expect(describeScope(scope("year=2024"))).toBe("The academic year 2024–25 (1 Aug 2024 – 31 Jul 2025), each figure beside 2023–24.");
    expect(describeScope(scope("year=2024"), { compared: false })).toBe("The academic year 2024–25 (1 Aug 2024 – 31 Jul 2025).");
    expect(s.previous.label).toBe("2025–26 to 21 Nov");
    expect(s.period.start.toISOString()).toBe("2026-07-31T23:00:00.000Z");
    expect(s.period.end.toISOString()).toBe("2026-11-22T00:00:00.000Z");
    expect(s.previous.end.toISOString()).toBe("2025-11-22T00:00:00.000Z");
  });

  it("falls back to this year for nonsense in the address, and says what is wrong with typed dates", () => {
    expect(scope("year=abc&course=1;drop&kind=nope").academicYear).toBe(2026);
    expect(scope("year=abc&course=1;drop&kind=nope").filters).toEqual({ courseId: null, orgKind: null, organisationId: null, trainerId: null });
    expect(rangeProblem(new URLSearchParams("year=&from=2026-02-30&to="))).toEqual({
      from: "30 February 2026 does not exist: February has 28 days",
      to: "Enter the last day to report on",
    });
    expect(rangeProblem(new URLSearchParams("year=&from=2026-02-01&to=2026-03-01"))).toBeNull();
    expect(rangeProblem(new URLSearchParams("year=2025"))).toBeNull();
  });
});

describe("the report", () => {
  it("writes the headline sentences from the figures", async () => {
    const r = await reportFor("year=2025");
    expect(r.headlines).toEqual([
      "66 people attended training, 89% more than in 2024–25.",
      "5 sessions were delivered, with 67 attendances in all.",
      "The most popular sessions were Active Bystander and Unconscious Bias.",
      "1 academic department, 1 sports club and 1 partner venue booked training (3 organisations in all).",
      "78% of the 9 who gave feedback would recommend a session to a friend.",
      "Confidence rose for 57% of the 7 who rated it before and after: on average from 2.3 to 3.9 out of 5.",
      "9 people gave feedback: a response rate of 13%.",
    ]);
  });

  it("shows each figure beside last year's with the change", async () => {
    const summary = cells(await reportFor("year=2025"), "summary");
    expect(summary["People trained"]).toEqual(["66", "35", "+89%"]);
    expect(summary["Attendances"]).toEqual(["67", "35", "+91%"]);
    // 510 minutes against 210: 8.5 hours rounds to 9, 3.5 to 4, and the change is worked on the minutes.
    expect(summary["Hours of training"]).toEqual(["9", "4", "+143%"]);
    expect(summary["Would recommend to a friend"]).toEqual(["78%", "–", ""]);
    expect(summary["Mean confidence before (1–5)"]).toEqual(["2.3", "–", ""]);
    expect(summary["Confidence rose"]).toEqual(["57%", "–", ""]);
    expect(summary["Response rate (responses per attendance)"]).toEqual(["13%", "0%", "+13 pts"]);
  });

  it("hides any figure that rests on fewer than five people", async () => {
    const r = await reportFor("year=2025");
    // Four named people came to open sessions; Active Bystander had two paired confidence answers.
    expect(cells(r, "audiences")["Open sign-up"]![0]).toBe(SUPPRESSED);
    const ab = cells(r, "courses")["Active Bystander"]!;
    expect(ab.slice(4)).toEqual([SUPPRESSED, SUPPRESSED, SUPPRESSED, SUPPRESSED]);
    const ub = cells(r, "courses")["Unconscious Bias"]!;
    expect(ub.slice(4)).toEqual(["5", "2.6", "4.0", "60%"]);
    // And the same words in the CSV; the chart draws no bar for a hidden figure.
    expect(impactCsv(r, "courses")!.body).toContain(`Active Bystander,3,35,10,250,${SUPPRESSED},${SUPPRESSED},${SUPPRESSED},${SUPPRESSED}`);
    const confidence = r.charts.find((c) => c.id === "chart-confidence")!;
    expect(confidence.series[0]!.values).toEqual([null, 2.6]);
    // A year with only the open sessions says so in words, not in a number.
    const open = await reportFor("year=2025&kind=open");
    expect(open.headlines[0]).toBe("Fewer than 5 people attended training in 2025–26.");
  });

  it("names no attendee anywhere", async () => {
    const r = await reportFor("year=2025");
    const everything = JSON.stringify(r) + impactCsv(r, "all")!.body;
    for (const name of ["Alice", "Bob", "Dan", "Fred", "alice@", "S123"]) expect(everything).not.toContain(name);
  });

  it("exports a table as CSV with a byte-order mark, plain numbers and a header row", async () => {
    const r = await reportFor("year=2025");
    const csv = impactCsv(r, "summary")!;
    expect(csv.filename).toBe("impact-summary-2025-26.csv");
    expect(csv.body.startsWith("\uFEFFFigure,2025–26,2024–25,Change (% or points)\r\n")).toBe(true);
    expect(csv.body).toContain("People trained,66,35,88.6\r\n");
    expect(csv.body).toContain("Response rate (responses per attendance),13.4,0,13.4\r\n");
    expect(csv.body).toContain("Sessions cancelled,1,0,new\r\n");
    expect(csv.body).toContain("Hours of training,8.5,3.5,");
    expect(impactCsv(r, "nonsense")).toBeNull();
  });
});

describe("figures", () => {
  const f = (x: Figure) => formatFigure(x);
  it("rounds percentages without overstating", () => {
    expect(f({ kind: "share", part: 995, whole: 1000 })).toBe("99%");
    expect(f({ kind: "share", part: 1000, whole: 1000 })).toBe("100%");
    expect(f({ kind: "share", part: 1, whole: 1000 })).toBe("less than 1%");
    expect(f({ kind: "share", part: 0, whole: 1000 })).toBe("0%");
    expect(f({ kind: "share", part: 89, whole: 100 })).toBe("89%");
  });
  it("applies the small-number rule from 1 to 4, not to 0 or 5", () => {
    expect([0, 1, 4, 5].map((n) => f({ kind: "people", n }))).toEqual(["0", SUPPRESSED, SUPPRESSED, "5"]);
    expect(f({ kind: "share", part: 4, whole: 4 })).toBe(SUPPRESSED);
    expect(f({ kind: "mean", sum: 12, n: 4 })).toBe(SUPPRESSED);
    expect(f({ kind: "count", n: 3 })).toBe("3");
    expect(csvFigure({ kind: "people", n: 2 })).toBe(SUPPRESSED);
  });
  it("describes change", () => {
    const change = (a: number, b: number) => f({ kind: "change", now: { kind: "count", n: a }, before: { kind: "count", n: b } });
    expect(change(1011, 521)).toBe("+94%");
    expect(change(80, 100)).toBe("−20%");
    expect(change(100, 100)).toBe("no change");
    expect(change(3, 0)).toBe("new");
    expect(f({ kind: "change", now: { kind: "people", n: 40 }, before: { kind: "people", n: 3 } })).toBe("");
  });
});

describe("student-leader compliance in the report", () => {
  it("is absent, not empty, for a year with no leader roster", async () => {
    const r = await reportFor("year=2025");
    expect(r.tables.map((t) => t.id)).not.toContain("leader-compliance");
    expect(r.headlines.join(" ")).not.toContain("student leaders");
  });

  it("gives the share of leaders trained at the year's deadline", async () => {
    // Training is recorded as done on dates in 2025, so the clock must be past them.
    setClockOffsetForTests(new Date("2026-03-01T12:00:00Z").getTime() - Date.now());
    const officer = await createUser(db, { roles: ["officer"] });
    await saveLeaderYear(db, officer, { startYear: 2025, deadline: "2025-10-31" });
    const roleId = await saveLeaderRole(db, officer, null, { name: "Hall rep", description: "" });
    await setRoleRequirements(db, officer, roleId, { requirements: [{ courseId: ids.A!, validity: "academic_year", validityMonths: null }] });
    // Ten hall reps: seven trained before the deadline, one after it, two not at all: 7 of 10 at the deadline.
    for (let i = 1; i <= 10; i++) {
      const { personId } = await addOrUpdateLeader(db, officer, 2025, { name: `Rep ${i}`, email: `rep${i}@example.ac.uk`, roleId, startedOn: "2025-08-01" });
      if (i <= 8) {
        await recordExternalCompletion(db, officer, { personId, courseId: ids.A!, completedOn: i <= 7 ? "2025-10-01" : "2025-11-15", provider: "Hall team" });
      }
    }
    const r = await reportFor("year=2025");
    expect(cells(r, "leader-compliance")["All student leaders"]).toEqual(["10", "7", "70%"]);
    expect(r.headlines.at(-1)).toBe("At the 31 Oct 2025 deadline, 70% of the 10 student leaders had completed their required training.");
    // Not for a custom range: a roster belongs to an academic year.
    expect((await reportFor("year=&from=2025-09-01&to=2025-12-31")).tables.map((t) => t.id)).not.toContain("leader-compliance");
  });
});

describe("the organisation filter, typed by name", () => {
  const resolve = async (query: string) => {
    const { params, field } = await resolveOrganisationField(db, new URLSearchParams(query));
    return { organisation: params.get("organisation"), typedKept: params.has("organisation_name"), ...field };
  };

  it("narrows to the one organisation a name or part of one names, whatever its case", async () => {
    expect(await resolve("year=2025&organisation_name=psych")).toEqual({
      organisation: String(ids.psych),
      typedKept: false,
      value: "Department of Psychology",
      problem: null,
      matches: [],
    });
    expect((await resolve("organisation_name=%20MOLES%20")).organisation).toBe(String(ids.moles));
    expect((await figuresFor(`year=2025&organisation=${(await resolve("organisation_name=rugby")).organisation}`)).attendances).toBe(20);
  });

  it("keeps what was typed and offers the organisations it could mean when it names several", async () => {
    const r = await resolve(`year=2025&organisation=${ids.rugby}&organisation_name=department`);
    expect(r.organisation).toBeNull();
    expect(r.value).toBe("department");
    expect(r.problem).toBe("2 organisations match “department”, so the report is not narrowed to one: choose one below or type more of its name.");
    expect(r.matches.map((m) => m.name)).toEqual(["Department of Mathematics", "Department of Psychology"]);
  });

  it("says so when nothing matches, taking % and _ as they were typed", async () => {
    for (const typed of ["Chess Club", "%", "_"]) {
      const r = await resolve(`organisation_name=${encodeURIComponent(typed)}`);
      expect(r).toMatchObject({ organisation: null, value: typed, matches: [] });
      expect(r.problem).toBe(`No organisation’s name contains “${typed}”, so the report is not narrowed to an organisation.`);
    }
  });

  it("shows the name of the organisation a link narrows to, and an empty field clears it", async () => {
    expect(await resolve(`organisation=${ids.moles}`)).toMatchObject({ organisation: String(ids.moles), value: "Moles", problem: null });
    expect(await resolve(`organisation=${ids.moles}&organisation_name=`)).toMatchObject({ organisation: null, value: "", problem: null });
  });
});

describe("the organisations that booked", () => {
  it("names every one on the page while there are few", async () => {
    const r = await reportFor("year=2025");
    expect(r.organisationsBooked).toEqual({
      total: 3,
      allNamed: true,
      byKind: [
        { kind: "Academic department", count: 1, busiest: ["Department of Psychology"] },
        { kind: "Sports club", count: 1, busiest: ["Rugby Club"] },
        { kind: "Partner venue", count: 1, busiest: ["Moles"] },
      ],
    });
    expect(reportForPage(r)).toBe(r);
  });

  it("past that, counts them by kind and names the busiest, keeping every name for the CSV", async () => {
    // A year of its own: one society session each, Society 1 with 11 attendances up to Society 45 with 55.
    const n = ORGANISATIONS_NAMED + 5;
    for (let i = 1; i <= n; i++) {
      ids[`soc${i}`] = await createOrganisation(db, { name: `Society ${i}`, kind: "society" });
      await session({ course: "A", at: london("2030-10-01", "10:00"), minutes: 60, org: `soc${i}`, headCount: 10 + i });
    }
    const r = await reportFor("year=2030");
    expect(r.organisationsBooked).toEqual({
      total: n,
      allNamed: false,
      byKind: [{ kind: "Society", count: n, busiest: [`Society ${n}`, `Society ${n - 1}`, `Society ${n - 2}`, `Society ${n - 3}`, `Society ${n - 4}`] }],
    });
    const page = reportForPage(r);
    expect(page.tables.find((t) => t.id === "organisations")!.rows).toEqual([]);
    expect(JSON.stringify(page)).not.toContain('Society 1"');
    const csv = impactCsv(r, "organisations")!.body;
    for (let i = 1; i <= n; i++) expect(csv).toContain(`Society,Society ${i}\r\n`);
  });
});
