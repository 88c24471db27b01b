import { writeTransaction } from "#db/transaction.ts";
import type { Insertable, Kysely } from "kysely";
import type { Audience, Database, OrganisationKind, Recommend } from "#db/schema.ts";
import { academicYearOf, academicYearStartOf, addDays, daysBetween, londonDateOf, londonWallTimeToUtc, mondayOf, weekdayOf } from "#app/utils/dates.ts";
import { DAY, HOUR, MINUTE } from "#app/utils/time.ts";
import { audienceOf, COMMENTS, courseBags, DO_DIFFERENTLY, feedbackScores, shares, type CourseName } from "./generate.ts";
import { People } from "./demo-history-people.ts";
import { insertMany } from "./insert-many.ts";
import { Random } from "./random.ts";
import { catchUpNumbering } from "#db/dialect.ts";

/**
 * The campaign's history, so the impact report has years to compare: two full academic years of
 * delivered sessions (with a few cancelled ones) and this year's weeks before the term that
 * demo-term.ts writes. Last year matches the campaign's published figures: 1,011 attendances, a 94%
 * rise on the year before, ten academic departments, 89% would recommend.
 *
 * Everything comes from a seeded generator, so the demo is the same on every reset, and is written
 * with a handful of multi-row inserts. It runs after seedDemoTerm and stops a week before that
 * term's first session, so no trainer or room is ever in two places at once.
 */
export async function seedDemoHistory(db: Kysely<Database>, at: Date): Promise<void> {
  await writeHistory(db, at);
  // The history's rows were numbered here, so that they could point at each other.
  await catchUpNumbering(db);
}

async function writeHistory(db: Kysely<Database>, at: Date): Promise<void> {
  const ctx = await loadContext(db, at);
  const startYear = academicYearStartOf(at);

  const planned: PlannedSession[] = [];
  const feedback: Insertable<Database["feedback_responses"]>[] = [];
  const people = new People(new Random(7));

  // Oldest first, so trainer loads and the pool of returning attendees build up in order.
  for (const plan of [yearBeforeLast(startYear - 2), lastYear(startYear - 1)]) {
    planned.push(...generateYear(ctx, plan));
  }
  planned.push(...thisYearSoFar(ctx, startYear));
  assertNoClashes(planned);

  const rows = buildRows(ctx, planned, people);
  for (const year of [
    { from: `${startYear - 2}-08-01`, recommendYes: 0.86, halfPairs: true, seed: 101 },
    { from: `${startYear - 1}-08-01`, recommendYes: 0.89, halfPairs: false, seed: 102 },
    { from: `${startYear}-08-01`, recommendYes: 0.91, halfPairs: false, seed: 103 },
  ]) {
    const { start: from, end: until } = academicYearOf(year.from);
    const [start, end] = [from.getTime(), until.getTime()];
    const inYear = rows.attended.filter((s) => s.start.getTime() >= start && s.start.getTime() < end);
    feedback.push(...feedbackFor(new Random(year.seed), inYear, year));
  }

  await writeTransaction(db, async (trx) => {
    await insertMany(trx, "organisations", rows.organisations);
    await insertMany(trx, "booking_requests", rows.requests);
    await insertMany(trx, "booking_request_times", rows.requestTimes);
    await insertMany(trx, "sessions", rows.sessions);
    await insertMany(trx, "session_trainers", rows.trainers);
    await insertMany(trx, "registrations", rows.registrations);
    await insertMany(trx, "feedback_responses", feedback);
  });
}

// ---- Organisations that booked in earlier years ------------------------------------------------

interface NewOrganisation {
  name: string;
  kind: OrganisationKind;
  contact_name: string;
  contact_email: string;
  contact_phone: string | null;
  address?: string;
}

const MORE_ORGANISATIONS: NewOrganisation[] = [
  {
    name: "Department of Economics",
    kind: "department",
    contact_name: "Dr Tomasz Nowak",
    contact_email: "economics-office@neverok.example",
    contact_phone: null,
  },
  {
    name: "Department of Mechanical Engineering",
    kind: "department",
    contact_name: "Prof. Gareth Evans",
    contact_email: "mech-eng-office@neverok.example",
    contact_phone: null,
  },
  {
    name: "Department of Chemistry",
    kind: "department",
    contact_name: "Dr Lucy Barnes",
    contact_email: "chemistry-office@neverok.example",
    contact_phone: null,
  },
  {
    name: "Department of Politics, Languages and International Studies",
    kind: "department",
    contact_name: "Dr Ines Moreau",
    contact_email: "polis-office@neverok.example",
    contact_phone: null,
  },
  {
    name: "Department of Architecture and Civil Engineering",
    kind: "department",
    contact_name: "Sarah Whitfield",
    contact_email: "ace-office@neverok.example",
    contact_phone: null,
  },
  {
    name: "Department of Social and Policy Sciences",
    kind: "department",
    contact_name: "Dr Kwame Mensah",
    contact_email: "sps-office@neverok.example",
    contact_phone: null,
  },
  {
    name: "Department of Mathematical Sciences",
    kind: "department",
    contact_name: "Dr Eleanor Price",
    contact_email: "maths-office@neverok.example",
    contact_phone: null,
  },
  {
    name: "Department of Education",
    kind: "department",
    contact_name: "Dr Rachel Osei",
    contact_email: "education-office@neverok.example",
    contact_phone: null,
  },
  { name: "Hockey Club", kind: "sports_club", contact_name: "Freya Collins (Captain)", contact_email: "hockey@neverok.example", contact_phone: null },
  {
    name: "Women's Football Club",
    kind: "sports_club",
    contact_name: "Maya Thompson (President)",
    contact_email: "womens-football@neverok.example",
    contact_phone: null,
  },
  { name: "Dance Society", kind: "society", contact_name: "Zara Ahmed", contact_email: "dance@neverok.example", contact_phone: null },
  { name: "Debating Society", kind: "society", contact_name: "Rhys Llewellyn", contact_email: "debating@neverok.example", contact_phone: null },
  {
    name: "Riverside Nightclub",
    kind: "partner_venue",
    contact_name: "Kelly Marsh (General Manager)",
    contact_email: "gm@riverside-nightclub.example",
    contact_phone: "01225 000 003",
    address: "Riverside Nightclub, 3 Broad Quay, Bath BA1 1UD",
  },
  { name: "Residential Life team", kind: "staff_team", contact_name: "Owen Fletcher", contact_email: "residential-life@neverok.example", contact_phone: null },
];

/** Where partner venues train their staff: on their own premises, or (the union's venue) on campus. */
const VENUE_PLACES: Record<string, Place> = {
  Moles: { address: "Moles, 14 George Street, Bath BA1 2EN" },
  Komedia: { address: "Komedia, 22–23 Westgate Street, Bath BA1 1EP" },
  "Riverside Nightclub": { address: "Riverside Nightclub, 3 Broad Quay, Bath BA1 1UD" },
  "The Plug (Students' Union venue) and its security team": { room: "The Forum Suite" },
};

/** Organisations whose demo booker sent their requests; the coordinator entered the rest from emails. */
const BOOKERS: Record<string, string> = {
  "Department of Psychology": "booker@neverok.example",
  "School of Management": "management-ug@neverok.example",
  "Rugby Club": "rugby@neverok.example",
  Moles: "manager@moles.example",
};

// ---- What each year looked like --------------------------------------------------------------

type Kind = OrganisationKind | "open";

interface Window {
  from: string; // "MM-DD"
  to: string; // "MM-DD", inclusive
  count: number;
  mix: Partial<Record<Kind, number>>;
  /** Open sessions in this window are leader inductions. */
  inductions?: boolean;
}

interface YearPlan {
  startYear: number;
  seed: number;
  /** Attendances the year adds up to (people marked present plus head counts). */
  attendances: number | null;
  windows: Window[];
  cancelled: number;
  organisations: Partial<Record<OrganisationKind, string[]>>;
}

const DEPARTMENTS_LAST_YEAR = [
  "Department of Psychology",
  "School of Management",
  "Department of Computer Science",
  "Department of Health",
  "Department of Economics",
  "Department of Mechanical Engineering",
  "Department of Chemistry",
  "Department of Politics, Languages and International Studies",
  "Department of Architecture and Civil Engineering",
  "Department of Social and Policy Sciences",
];

/**
 * Welcome weeks (late September, early October) and the January welcome are the peaks; exam
 * season and the summer are quiet. Leaders train in the run-up to Welcome Week.
 */
function lastYear(startYear: number): YearPlan {
  return {
    startYear,
    seed: 2,
    attendances: 1011,
    cancelled: 4,
    windows: [
      { from: "08-03", to: "08-28", count: 1, mix: { partner_venue: 1, staff_team: 1 } },
      { from: "09-07", to: "09-18", count: 3, mix: { leader_programme: 3, open: 2, staff_team: 1 }, inductions: true },
      { from: "09-21", to: "10-09", count: 9, mix: { department: 4, sports_club: 2, society: 1, partner_venue: 1, open: 2, leader_programme: 1 } },
      { from: "10-12", to: "10-30", count: 4, mix: { department: 3, sports_club: 1, society: 1 } },
      { from: "11-02", to: "11-27", count: 4, mix: { department: 3, staff_team: 1, sports_club: 1, open: 1 } },
      { from: "12-01", to: "12-11", count: 2, mix: { department: 2, partner_venue: 1 } },
      { from: "01-19", to: "02-06", count: 8, mix: { open: 3, department: 3, sports_club: 1, leader_programme: 1 }, inductions: true },
      { from: "02-09", to: "03-13", count: 7, mix: { department: 3, society: 1, sports_club: 1, staff_team: 1, open: 1 } },
      { from: "03-16", to: "04-02", count: 2, mix: { department: 2, staff_team: 1 } },
      { from: "04-20", to: "05-08", count: 1, mix: { department: 1, partner_venue: 1 } },
      { from: "05-11", to: "06-12", count: 1, mix: { staff_team: 1 } },
      { from: "06-15", to: "07-24", count: 2, mix: { partner_venue: 1, staff_team: 1, department: 1 } },
    ],
    organisations: {
      department: DEPARTMENTS_LAST_YEAR,
      sports_club: ["Rugby Club", "Netball Club", "Hockey Club", "Women's Football Club"],
      society: ["Drama Society", "Dance Society", "Debating Society"],
      leader_programme: ["Freshers' Week Captains", "Hall Reps"],
      partner_venue: ["Moles", "Komedia", "The Plug (Students' Union venue) and its security team", "Riverside Nightclub"],
      staff_team: ["Advice and Support Centre", "Residential Life team"],
    },
  };
}

/** The campaign's first full year: the same shape, about half the size, fewer organisations. */
function yearBeforeLast(startYear: number): YearPlan {
  return {
    startYear,
    seed: 1,
    attendances: 521,
    cancelled: 3,
    windows: [
      { from: "09-08", to: "09-19", count: 2, mix: { leader_programme: 2, open: 1 }, inductions: true },
      { from: "09-22", to: "10-10", count: 6, mix: { department: 3, sports_club: 2, open: 1, partner_venue: 1 } },
      { from: "10-13", to: "10-31", count: 2, mix: { department: 2, society: 1 } },
      { from: "11-03", to: "11-28", count: 3, mix: { department: 2, staff_team: 1 } },
      { from: "12-01", to: "12-12", count: 1, mix: { department: 1 } },
      { from: "01-20", to: "02-07", count: 4, mix: { open: 2, department: 2, sports_club: 1 }, inductions: true },
      { from: "02-10", to: "03-14", count: 3, mix: { department: 2, staff_team: 1 } },
      { from: "03-17", to: "04-04", count: 1, mix: { department: 1 } },
      { from: "05-12", to: "06-13", count: 1, mix: { staff_team: 1 } },
      { from: "06-16", to: "07-25", count: 1, mix: { partner_venue: 1 } },
    ],
    organisations: {
      department: [
        "Department of Psychology",
        "School of Management",
        "Department of Health",
        "Department of Economics",
        "Department of Social and Policy Sciences",
        "Department of Education",
      ],
      sports_club: ["Rugby Club", "Netball Club"],
      society: ["Drama Society"],
      leader_programme: ["Freshers' Week Captains", "Hall Reps"],
      partner_venue: ["Moles", "The Plug (Students' Union venue) and its security team"],
      staff_team: ["Advice and Support Centre"],
    },
  };
}

/**
 * This year before the term that demo-term.ts writes: leaders and staff trained in the run-up to
 * Welcome Week, already more than at this point last year. Written out by hand so every trainer
 * gains about the same hours this term (six, give or take half an hour), which keeps the order of
 * "fewest hours this term" the same as the term's own sessions give. If the term starts later in
 * the year than usual, the weeks between are filled like last year's, a quarter busier.
 */
function thisYearSoFar(ctx: Context, startYear: number): PlannedSession[] {
  const monday = firstWeekdayOnOrAfter(`${startYear}-09-05`, 1);
  const at = (days: number, time: string) => londonWallTimeToUtc(addDays(monday, days), time);
  const sessions: PlannedSession[] = [
    booked("Active Bystander", at(-24, "16:00"), "Moles", "venue_staff", 15, 14, ["tom.hughes@neverok.example"]),
    booked("Consent", at(-12, "10:00"), "Residential Life team", "staff", 16, 16, ["trainer@neverok.example"], { room: "Meeting Room 3" }),
    booked("Unconscious Bias", at(-6, "10:00"), "Department of Mathematical Sciences", "staff", 24, 22, ["chloe.bennett@neverok.example"], {
      room: "Seminar Room 1.14",
    }),
    booked("Active Bystander", at(-5, "16:00"), "The Plug (Students' Union venue) and its security team", "venue_staff", 24, 22, [
      "tom.hughes@neverok.example",
    ]),
    open("Active Bystander", at(0, "10:00"), "Active Bystander — Freshers' Week captain training", "Lecture Theatre 2", 40, 40, 36, "Freshers' Week captain", [
      "trainer@neverok.example",
      "tom.hughes@neverok.example",
    ]),
    booked("Unconscious Bias", at(0, "14:00"), "Department of Economics", "staff", 28, 26, ["chloe.bennett@neverok.example"], { room: "Seminar Room 1.14" }),
    booked("Handling Disclosures", at(1, "10:00"), "Hall Reps", "students", 16, 16, ["trainer@neverok.example", "marcus.reid@neverok.example"], {
      room: "Room 4.02",
    }),
    open("Unconscious Bias", at(1, "14:00"), "Unconscious Bias — course rep training", "Seminar Room 1.14", 32, 30, 25, "Course rep", [
      "aisha.rahman@neverok.example",
    ]),
    booked("Active Bystander", at(2, "10:00"), "Hall Reps", "students", 40, 38, ["tom.hughes@neverok.example", "chloe.bennett@neverok.example"], {
      room: "The Forum Suite",
    }),
    booked(
      "Handling Disclosures",
      at(2, "14:00"),
      "Advice and Support Centre",
      "staff",
      12,
      12,
      ["aisha.rahman@neverok.example", "marcus.reid@neverok.example"],
      { room: "Room 4.02" },
    ),
    open("Active Bystander", at(3, "10:00"), "Active Bystander — student leader induction", "The Forum Suite", 40, 36, 31, null, [
      "aisha.rahman@neverok.example",
    ]),
    booked("Consent", at(4, "10:00"), "Women's Football Club", "students", 20, 18, ["marcus.reid@neverok.example"], { room: "Meeting Room 3" }),
    {
      ...booked("Consent", at(4, "14:00"), "Netball Club", "students", 22, 0, ["trainer@neverok.example"], { room: "Training Room" }),
      status: "cancelled",
      cancelReason: "The club's trials were moved to that afternoon; the committee will book again after Welcome Week.",
    },
  ];
  const kept = sessions.filter((s) => s.end.getTime() <= ctx.cutoff.getTime());
  for (const s of kept) ctx.occupy(s);
  // The generated weeks start with Welcome Week, after the run-up written out above.
  const rest = lastYear(startYear);
  const generated = generateYear(ctx, {
    ...rest,
    seed: 3,
    attendances: null,
    cancelled: 1,
    organisations: { ...rest.organisations, department: [...DEPARTMENTS_LAST_YEAR, "Department of Mathematical Sciences", "Department of Education"] },
    windows: rest.windows.map((w) => ({ ...w, count: Math.round(w.count * 1.25) })),
    notBefore: addDays(monday, 14),
  });
  return [...kept, ...generated];
}

// ---- Generating a year -------------------------------------------------------------------------

type Place = { room: string } | { address: string };

interface PlannedSession {
  course: CourseName;
  start: Date;
  end: Date;
  place: Place;
  trainers: string[];
  status: "delivered" | "cancelled";
  cancelReason: string | null;
  booked: { organisation: string; audience: Audience; groupSize: number; headCount: number } | null;
  /** `leaders`: student leaders, asked for their student ID and role (`role` when they all hold the same one). */
  open: { title: string; capacity: number; registered: number; present: number; leaders: boolean; role?: string | null } | null;
}

function booked(
  course: CourseName,
  start: Date,
  organisation: string,
  audience: Audience,
  groupSize: number,
  headCount: number,
  trainers: string[],
  place?: Place,
): PlannedSession {
  return {
    course,
    start,
    end: new Date(start.getTime() + DURATIONS[course] * MINUTE),
    place: place ?? VENUE_PLACES[organisation]!,
    trainers,
    status: "delivered",
    cancelReason: null,
    booked: { organisation, audience, groupSize, headCount },
    open: null,
  };
}

function open(
  course: CourseName,
  start: Date,
  title: string,
  room: string,
  capacity: number,
  registered: number,
  present: number,
  role: string | null,
  trainers: string[],
): PlannedSession {
  return {
    course,
    start,
    end: new Date(start.getTime() + DURATIONS[course] * MINUTE),
    place: { room },
    trainers,
    status: "delivered",
    cancelReason: null,
    booked: null,
    open: { title, capacity, registered, present, leaders: true, role },
  };
}

const DURATIONS: Record<CourseName, number> = { "Active Bystander": 90, Consent: 90, "Handling Disclosures": 120, "Unconscious Bias": 120 };

/** The courses each kind of organisation asks for: how many of each in every round of its bookings. */
const COURSE_MIX: Record<Kind | "induction", [CourseName, number][]> = {
  department: [
    ["Unconscious Bias", 14],
    ["Active Bystander", 4],
    ["Consent", 3],
    ["Handling Disclosures", 1],
  ],
  sports_club: [
    ["Active Bystander", 5],
    ["Consent", 4],
    ["Handling Disclosures", 1],
  ],
  society: [
    ["Active Bystander", 4],
    ["Consent", 3],
    ["Unconscious Bias", 3],
  ],
  leader_programme: [
    ["Active Bystander", 7],
    ["Handling Disclosures", 3],
  ],
  partner_venue: [["Active Bystander", 1]],
  staff_team: [
    ["Handling Disclosures", 6],
    ["Unconscious Bias", 3],
    ["Consent", 1],
  ],
  open: [
    ["Active Bystander", 2],
    ["Consent", 2],
    ["Unconscious Bias", 1],
  ],
  // Leader inductions: Active Bystander is mandatory; hall reps and welfare officers add Handling Disclosures.
  induction: [
    ["Active Bystander", 2],
    ["Handling Disclosures", 1],
  ],
};

const CANCEL_REASONS = [
  "The department moved its induction to the following term.",
  "Too few people could come that week; the group joined a later session instead.",
  "Fixtures were rescheduled and the committee was away.",
  "The building was closed for urgent maintenance that day.",
  "Industrial action on campus that day; rearranged for later in the term.",
  "The venue closed early for a private event.",
];

interface Spec {
  kind: Kind;
  course: CourseName;
  window: Window & { fromDate: string; toDate: string };
  organisation: string | null;
  audience: Audience;
  size: number; // group size (booked) or capacity (open)
  attended: number; // head count, or people present
  registered: number;
  cancelled: boolean;
  title: string | null;
  /** Student leaders signing up: asked for their student ID and role. */
  leaders: boolean;
}

function generateYear(ctx: Context, plan: YearPlan & { notBefore?: string }): PlannedSession[] {
  const rng = new Random(plan.seed);
  const first = `${plan.startYear}-08-01`;
  const cutoffDate = londonDateOf(ctx.cutoff);
  const notBefore = plan.notBefore && plan.notBefore > first ? plan.notBefore : first;

  // Windows inside the part of the year we may write, with their counts cut to match.
  const windows = plan.windows.flatMap((w) => {
    const full = { from: dateIn(plan.startYear, w.from), to: dateIn(plan.startYear, w.to) };
    const from = full.from < notBefore ? notBefore : full.from;
    const to = full.to >= cutoffDate ? addDays(cutoffDate, -1) : full.to;
    if (to < from) return [];
    const count = Math.round((w.count * (daysBetween(from, to) + 1)) / (daysBetween(full.from, full.to) + 1));
    return count > 0 ? [{ ...w, count, fromDate: from, toDate: to }] : [];
  });
  const plannedCount = plan.windows.reduce((n, w) => n + w.count, 0);
  const keptCount = windows.reduce((n, w) => n + w.count, 0);
  if (keptCount === 0) return [];

  const rotations = new Map<string, string[]>();
  const nextOrganisation = (kind: OrganisationKind) => {
    let queue = rotations.get(kind);
    if (!queue?.length) {
      queue = rng.shuffle([...(plan.organisations[kind] ?? [])]);
      rotations.set(kind, queue);
    }
    return queue.shift()!;
  };

  const specs: Spec[] = [];
  const nextCourse = courseBags(rng, COURSE_MIX);
  const makeSpec = (window: Spec["window"], kind: Kind, cancelled: boolean): Spec => {
    const course = nextCourse(kind === "open" && window.inductions ? "induction" : kind);
    if (kind === "open") {
      const staff = course === "Unconscious Bias";
      const capacity = course === "Active Bystander" ? rng.int(30, 40) : course === "Handling Disclosures" ? rng.int(14, 20) : rng.int(20, 30);
      const registered = Math.round(capacity * (0.7 + 0.3 * rng.next()));
      const titles: Record<CourseName, string> = {
        "Active Bystander": window.inductions ? "Active Bystander — student leader induction" : "Active Bystander — open session",
        "Unconscious Bias": "Unconscious Bias — open session for staff",
        Consent: "Consent — open workshop",
        "Handling Disclosures": "Handling Disclosures — hall rep and welfare officer training",
      };
      const leaders = course === "Handling Disclosures" || (course === "Active Bystander" && !!window.inductions);
      const attended = Math.round(registered * (0.78 + 0.14 * rng.next()));
      return {
        kind,
        course,
        window,
        organisation: null,
        audience: staff ? "staff" : "students",
        size: capacity,
        registered,
        attended,
        cancelled,
        title: titles[course],
        leaders,
      };
    }
    const organisation = nextOrganisation(kind);
    const audience = audienceOf(rng, kind, course);
    const [low, high] =
      course === "Handling Disclosures"
        ? [10, 16]
        : kind === "partner_venue"
          ? [8, 20]
          : audience === "staff"
            ? [10, 22]
            : kind === "society"
              ? [12, 28]
              : [18, 40];
    const size = Math.min(ctx.courses.get(course)!.max_group_size, rng.int(low, high));
    return {
      kind,
      course,
      window,
      organisation,
      audience,
      size,
      registered: 0,
      attended: Math.max(4, size - rng.int(0, 3)),
      cancelled,
      title: null,
      leaders: false,
    };
  };
  for (const w of windows) for (const kind of rng.shuffle(shares(Object.entries(w.mix) as [Kind, number][], w.count))) specs.push(makeSpec(w, kind, false));

  // Make the year add up to its published figure: scale the booked head counts to fit.
  if (plan.attendances !== null) {
    const target = Math.round((plan.attendances * keptCount) / plannedCount);
    const openPresent = specs.filter((s) => s.kind === "open").reduce((n, s) => n + s.attended, 0);
    const bookedSpecs = specs.filter((s) => s.kind !== "open");
    fitTotal(rng, bookedSpecs, target - openPresent, (s) => ctx.courses.get(s.course)!.max_group_size);
  }

  // A handful of bookings were cancelled, by organisations that also trained that year.
  const bookedWindows = windows.filter((w) => Object.keys(w.mix).some((k) => k !== "open"));
  for (let i = 0; i < Math.min(plan.cancelled, bookedWindows.length * 2); i++) {
    const w = bookedWindows[rng.int(0, bookedWindows.length - 1)]!;
    const kinds = Object.keys(w.mix).filter((k): k is OrganisationKind => k !== "open");
    specs.push(makeSpec(w, rng.pick(kinds), true));
  }

  return specs.flatMap((s) => schedule(ctx, rng, s) ?? []);
}

/** Nudges head counts (each between 4 and the course maximum) until they add up to `total`. */
function fitTotal(rng: Random, specs: Spec[], total: number, maxOf: (s: Spec) => number) {
  const sum = () => specs.reduce((n, s) => n + s.attended, 0);
  const factor = total / Math.max(1, sum());
  for (const s of specs) s.attended = Math.min(maxOf(s), Math.max(4, Math.round(s.attended * factor)));
  for (let guard = 0; sum() !== total && guard < 10_000; guard++) {
    const s = specs[rng.int(0, specs.length - 1)]!;
    const step = sum() < total ? 1 : -1;
    const next = s.attended + step;
    if (next >= 4 && next <= maxOf(s)) s.attended = next;
  }
  for (const s of specs) s.size = Math.min(maxOf(s), Math.max(s.size, s.attended + rng.int(0, 2)));
}

const START_TIMES: Record<number, string[]> = {
  90: ["09:30", "10:00", "11:00", "13:00", "14:00", "15:30"],
  120: ["09:30", "10:00", "13:00", "14:00", "15:00"],
};

/**
 * A day, time, place and trainers for a session: nobody and nowhere is booked twice. Null only when
 * a window cut short by the term's start leaves no weekday free.
 */
function schedule(ctx: Context, rng: Random, spec: Spec): PlannedSession | null {
  const duration = DURATIONS[spec.course];
  const span = daysBetween(spec.window.fromDate, spec.window.toDate);
  const venue = spec.kind === "partner_venue";
  const trainerCount = ctx.courses.get(spec.course)!.trainers_needed + (spec.kind === "open" && spec.course === "Active Bystander" && spec.size >= 36 ? 1 : 0);
  for (let attempt = 0; attempt < 200; attempt++) {
    const day = addDays(spec.window.fromDate, rng.int(0, span));
    const weekday = weekdayOf(day);
    // Partner venues train before opening, any day; everyone else on weekdays, not on bank holidays.
    if (weekday === 7 || (weekday === 6 && (!venue || rng.next() < 0.6)) || isMondayBankHoliday(day)) continue;
    if (spec.organisation && ctx.organisationBusy(spec.organisation, day)) continue;
    const time = venue ? "16:00" : rng.pick(START_TIMES[duration]!);
    const start = ctx.at(day, time);
    const end = new Date(start.getTime() + duration * MINUTE);
    if (end.getTime() > ctx.cutoff.getTime()) continue;
    const place: Place | null = venue ? VENUE_PLACES[spec.organisation!]! : ctx.freeRoom(rng, spec.size, start, end);
    if (!place || ("room" in place && !ctx.roomFree(place.room, start, end))) continue;
    const trainers = ctx.freeTrainers(rng, spec.course, trainerCount, { day, weekday, time, endTime: addMinutes(time, duration), start, end });
    if (!trainers) continue;
    const session: PlannedSession = {
      course: spec.course,
      start,
      end,
      place,
      trainers,
      status: spec.cancelled ? "cancelled" : "delivered",
      cancelReason: spec.cancelled ? rng.pick(CANCEL_REASONS) : null,
      booked: spec.organisation ? { organisation: spec.organisation, audience: spec.audience, groupSize: spec.size, headCount: spec.attended } : null,
      open: spec.title ? { title: spec.title, capacity: spec.size, registered: spec.registered, present: spec.attended, leaders: spec.leaders } : null,
    };
    ctx.occupy(session);
    return session;
  }
  return null;
}

// ---- What the database already holds -----------------------------------------------------------

interface Context {
  cutoff: Date;
  courses: Map<string, { id: number; trainers_needed: number; max_group_size: number }>;
  rooms: Map<string, { id: number; capacity: number }>;
  organisations: Map<string, number>;
  users: Map<string, number>;
  /** The ids the new rows start from, so requests, sessions and registrations can point at each other. */
  nextIds: { sessions: number; requests: number; registrations: number };
  at: (day: string, time: string) => Date;
  roomFree: (room: string, start: Date, end: Date) => boolean;
  freeRoom: (rng: Random, size: number, start: Date, end: Date) => Place | null;
  freeTrainers: (
    rng: Random,
    course: string,
    n: number,
    slot: { day: string; weekday: number; time: string; endTime: string; start: Date; end: Date },
  ) => string[] | null;
  /** One session a day at most for an organisation. */
  organisationBusy: (organisation: string, day: string) => boolean;
  occupy: (s: PlannedSession) => void;
}

/** A trainer needs this long between two sessions (the travel buffer, and then some). */
const GAP = 45 * MINUTE;
const MAX_PER_WEEK = 3;

async function loadContext(db: Kysely<Database>, at: Date): Promise<Context> {
  const [courses, rooms, organisations, users, qualifications, availability, earliest, lastRequest, lastRegistration] = await Promise.all([
    db.selectFrom("courses").select(["id", "name", "trainers_needed", "max_group_size"]).execute(),
    db.selectFrom("rooms").select(["id", "name", "capacity"]).orderBy("capacity").execute(),
    db.selectFrom("organisations").select(["id", "name"]).execute(),
    db.selectFrom("users").select(["id", "email"]).execute(),
    db
      .selectFrom("trainer_qualifications as q")
      .innerJoin("courses as c", "c.id", "q.course_id")
      .innerJoin("users as u", "u.id", "q.user_id")
      .select(["u.email", "c.name"])
      .orderBy("u.email")
      .execute(),
    db
      .selectFrom("trainer_availability as a")
      .innerJoin("users as u", "u.id", "a.trainer_id")
      .select(["u.email", "a.weekday", "a.start_time", "a.end_time"])
      .execute(),
    db
      .selectFrom("sessions")
      .select((eb) => [eb.fn.min<string>("starts_at").as("first"), eb.fn.max<number>("id").as("id")])
      .executeTakeFirstOrThrow(),
    db
      .selectFrom("booking_requests")
      .select((eb) => eb.fn.max<number>("id").as("id"))
      .executeTakeFirstOrThrow(),
    db
      .selectFrom("registrations")
      .select((eb) => eb.fn.max<number>("id").as("id"))
      .executeTakeFirstOrThrow(),
  ]);
  // Stop a week before the first session already there, and never run into the future.
  const cutoff = new Date(Math.min(at.getTime(), earliest.first ? new Date(earliest.first).getTime() - 7 * DAY : at.getTime()));

  const busy = new Map<string, { start: number; end: number }[]>();
  const weekCount = new Map<string, number>();
  const minutes = new Map<string, number>();
  const free = (key: string, start: Date, end: Date, gap: number) =>
    !(busy.get(key) ?? []).some((b) => b.start < end.getTime() + gap && b.end > start.getTime() - gap);
  const times = new Map<string, Date>();
  const organisationDays = new Set<string>();

  return {
    cutoff,
    courses: new Map(courses.map((c) => [c.name, c])),
    rooms: new Map(rooms.map((r) => [r.name, r])),
    organisations: new Map(organisations.map((o) => [o.name, o.id])),
    users: new Map(users.map((u) => [u.email, u.id])),
    nextIds: { sessions: (earliest.id ?? 0) + 1, requests: (lastRequest.id ?? 0) + 1, registrations: (lastRegistration.id ?? 0) + 1 },
    at: (day, time) => {
      const key = `${day} ${time}`;
      let t = times.get(key);
      if (!t) times.set(key, (t = londonWallTimeToUtc(day, time)));
      return t;
    },
    roomFree: (room, start, end) => free(`room:${room}`, start, end, 15 * MINUTE),
    freeRoom: (rng, size, start, end) => {
      const fits = rooms.filter((r) => r.capacity >= size && free(`room:${r.name}`, start, end, 15 * MINUTE));
      if (!fits.length) return null;
      // Mostly the smallest room that fits; now and then the next one up.
      const room = fits.length > 1 && rng.next() < 0.25 ? fits[1]! : fits[0]!;
      return { room: room.name };
    },
    freeTrainers: (rng, course, n, slot) => {
      const week = mondayOf(slot.day);
      const candidates = qualifications
        .filter((q) => q.name === course)
        .map((q) => q.email)
        .filter((email) => {
          if ((weekCount.get(`${email}|${week}`) ?? 0) >= MAX_PER_WEEK) return false;
          if (!free(`trainer:${email}`, slot.start, slot.end, GAP)) return false;
          // Their weekly availability, except for a partner venue's Saturday.
          if (slot.weekday === 6) return true;
          return availability.some((a) => a.email === email && a.weekday === slot.weekday && a.start_time <= slot.time && a.end_time >= slot.endTime);
        });
      if (candidates.length < n) return null;
      // The least loaded first, so the work is shared out.
      const order = rng.shuffle(candidates).sort((a, b) => (minutes.get(a) ?? 0) - (minutes.get(b) ?? 0));
      return order.slice(0, n);
    },
    organisationBusy: (organisation, day) => organisationDays.has(`${organisation}|${day}`),
    occupy: (s) => {
      if (s.booked) organisationDays.add(`${s.booked.organisation}|${londonDateOf(s.start)}`);
      const interval = { start: s.start.getTime(), end: s.end.getTime() };
      const week = mondayOf(londonDateOf(s.start));
      for (const email of s.trainers) {
        busy.set(`trainer:${email}`, [...(busy.get(`trainer:${email}`) ?? []), interval]);
        weekCount.set(`${email}|${week}`, (weekCount.get(`${email}|${week}`) ?? 0) + 1);
        if (s.status === "delivered") minutes.set(email, (minutes.get(email) ?? 0) + DURATIONS[s.course]);
      }
      if ("room" in s.place) busy.set(`room:${s.place.room}`, [...(busy.get(`room:${s.place.room}`) ?? []), interval]);
    },
  };
}

/** Checked once more over everything planned: a trainer or a room is never in two places at once. */
function assertNoClashes(planned: PlannedSession[]) {
  const byKey = new Map<string, PlannedSession[]>();
  for (const s of planned) {
    const keys = [...s.trainers.map((t) => `trainer ${t}`), ...("room" in s.place ? [`room ${s.place.room}`] : [])];
    for (const k of keys) byKey.set(k, [...(byKey.get(k) ?? []), s]);
  }
  for (const [key, list] of byKey) {
    list.sort((a, b) => a.start.getTime() - b.start.getTime());
    for (let i = 1; i < list.length; i++) {
      if (list[i]!.start < list[i - 1]!.end) throw new Error(`Demo history: ${key} has two sessions at ${list[i]!.start.toISOString()}`);
    }
  }
}

// ---- Rows ---------------------------------------------------------------------------------------

interface Attended {
  id: number;
  start: Date;
  end: Date;
  course: CourseName;
  attendees: number;
  source: "link" | "qr";
}

function buildRows(ctx: Context, planned: PlannedSession[], people: People) {
  const rng = new Random(11);
  const coordinator = ctx.users.get("coordinator@neverok.example")!;
  const iso = (d: Date) => d.toISOString();
  const firstSeen = planned.reduce((m, s) => Math.min(m, s.start.getTime()), Infinity);
  const orgCreated = iso(new Date(firstSeen - 30 * DAY));

  const organisations: Insertable<Database["organisations"]>[] = [];
  const orgIds = new Map(ctx.organisations);
  let nextOrg = Math.max(0, ...ctx.organisations.values()) + 1;
  for (const o of MORE_ORGANISATIONS) {
    if (orgIds.has(o.name)) continue;
    orgIds.set(o.name, nextOrg);
    organisations.push({
      id: nextOrg++,
      name: o.name,
      kind: o.kind,
      contact_name: o.contact_name,
      contact_email: o.contact_email,
      contact_phone: o.contact_phone,
      notes: null,
      created_at: orgCreated,
      updated_at: orgCreated,
    });
  }

  const requests: Insertable<Database["booking_requests"]>[] = [];
  const requestTimes: Insertable<Database["booking_request_times"]>[] = [];
  const sessions: Insertable<Database["sessions"]>[] = [];
  const trainers: Insertable<Database["session_trainers"]>[] = [];
  const registrations: Insertable<Database["registrations"]>[] = [];
  const attended: Attended[] = [];

  const ordered = [...planned].sort((a, b) => a.start.getTime() - b.start.getTime());
  let sessionId = ctx.nextIds.sessions;
  let requestId = ctx.nextIds.requests;
  let registrationId = ctx.nextIds.registrations;
  for (const [n, s] of ordered.entries()) {
    const id = sessionId++;
    const label = `${londonDateOf(s.start)}-${n}`;
    const created = new Date(s.start.getTime() - rng.int(18, 45) * DAY);
    const closed = new Date(s.end.getTime() + rng.int(2, 20) * MINUTE);
    const cancelledAt = new Date(s.start.getTime() - rng.int(2, 10) * DAY);
    const updated = s.status === "cancelled" ? cancelledAt : closed;
    const course = ctx.courses.get(s.course)!;
    const room = "room" in s.place ? ctx.rooms.get(s.place.room)! : null;
    const address = "address" in s.place ? s.place.address : null;
    let bookingRequestId: number | null = null;
    if (s.booked) {
      bookingRequestId = requestId++;
      const asked = new Date(created.getTime() - rng.int(1, 6) * DAY);
      requests.push({
        id: bookingRequestId,
        organisation_id: orgIds.get(s.booked.organisation)!,
        requested_by: ctx.users.get(BOOKERS[s.booked.organisation] ?? "") ?? coordinator,
        course_id: course.id,
        group_size: s.booked.groupSize,
        audience: s.booked.audience,
        location_kind: address ? "own_premises" : "campus",
        address,
        accessibility_needs: null,
        notes: null,
        status: s.status === "cancelled" ? "cancelled" : "scheduled",
        status_reason: s.cancelReason,
        session_id: id,
        created_at: iso(asked),
        updated_at: iso(s.status === "cancelled" ? cancelledAt : created),
      });
      requestTimes.push({ request_id: bookingRequestId, position: 1, starts_at: iso(s.start) });
    }
    sessions.push({
      id,
      course_id: course.id,
      booking_request_id: bookingRequestId,
      organisation_id: s.booked ? orgIds.get(s.booked.organisation)! : null,
      starts_at: iso(s.start),
      ends_at: iso(s.end),
      duration_minutes: DURATIONS[s.course],
      room_id: room?.id ?? null,
      address,
      capacity: s.booked?.groupSize ?? s.open!.capacity,
      trainers_needed: s.trainers.length,
      status: s.status,
      cancel_reason: s.cancelReason,
      ical_uid: `session-history-${label}@neverok.example`,
      ical_sequence: s.status === "cancelled" ? 1 : 0,
      created_by: coordinator,
      created_at: iso(created),
      updated_at: iso(updated),
      kind: s.open ? "open" : "booked",
      title: s.open?.title ?? null,
      signup_deadline: null,
      signup_policy: "anyone",
      signup_domain: null,
      asks_student_id: s.open?.leaders ? 1 : 0,
      question: s.open?.leaders ? "Which leader role do you hold (for example hall rep, sports club committee)?" : null,
      promotion_cutoff_hours: 2,
      register_closed_at: s.status === "delivered" ? iso(closed) : null,
      head_count: s.status === "delivered" && s.booked ? s.booked.headCount : null,
      feedback_code: s.status === "delivered" ? `history${label.replace(/-/g, "")}` : null,
    });
    for (const email of s.trainers) {
      trainers.push({
        session_id: id,
        trainer_id: ctx.users.get(email)!,
        status: "accepted",
        assigned_by: coordinator,
        assigned_at: iso(created),
        responded_at: iso(new Date(created.getTime() + rng.int(2, 30) * HOUR)),
        decline_reason: null,
        override_reason: null,
      });
    }
    if (s.open && s.status === "delivered") {
      const group = s.open.title.includes("staff") ? "staff" : "students";
      const walkIns = Math.min(s.open.present, rng.int(0, 2));
      const seated = people.forSession(rng, s.course, group, s.open.registered + walkIns);
      seated.forEach((p, k) => {
        const walkIn = k >= s.open!.registered;
        const present = walkIn || k < s.open!.present - walkIns;
        registrations.push({
          id: registrationId++,
          session_id: id,
          name: p.name,
          email: p.email,
          student_id: s.open!.leaders ? p.studentId : null,
          accessibility_needs: null,
          answer: s.open!.leaders ? (s.open!.role ?? p.role) : null,
          status: "registered",
          attendance: present ? "present" : "absent",
          walk_in: walkIn ? 1 : 0,
          manage_token_hash: null,
          created_at: iso(
            walkIn ? new Date(s.start.getTime() + rng.int(1, 10) * MINUTE) : new Date(s.start.getTime() - rng.int(1, 16) * DAY - rng.int(0, 600) * MINUTE),
          ),
          promoted_at: null,
          cancelled_at: null,
          attendance_marked_at: iso(new Date(s.start.getTime() + rng.int(0, 15) * MINUTE)),
        });
      });
    }
    if (s.status === "delivered") {
      attended.push({ id, start: s.start, end: closed, course: s.course, attendees: s.booked?.headCount ?? s.open!.present, source: s.open ? "link" : "qr" });
    }
  }
  return { organisations, requests, requestTimes, sessions, trainers, registrations, attended };
}

// ---- Feedback ----------------------------------------------------------------------------------

/** What people said they would do differently: one answer more after Unconscious Bias than in the city data set. */
const HISTORY_DO_DIFFERENTLY: Record<CourseName, string[]> = {
  ...DO_DIFFERENTLY,
  "Unconscious Bias": [...DO_DIFFERENTLY["Unconscious Bias"], "Mix up who I work with in group projects."],
};

/**
 * Between four and six in ten of those who came answered. The share who would recommend is exact
 * for the year; ratings follow it; confidence mostly goes from 2–3 to 4–5, and some leave it out.
 * Half pairs only appear in the oldest year: the form then asked each confidence question on its
 * own, before it asked for both together.
 */
function feedbackFor(rng: Random, sessions: Attended[], opts: { recommendYes: number; halfPairs: boolean }) {
  const slots = sessions.flatMap((s) => {
    const n = Math.round(s.attendees * (0.4 + 0.2 * rng.next()));
    return Array.from({ length: n }, (_, k) => ({ session: s, k }));
  });
  const yes = Math.round(slots.length * opts.recommendYes);
  const notSure = Math.round(slots.length * 0.07);
  const recommends = rng.shuffle<Recommend>([
    ...Array<Recommend>(yes).fill("yes"),
    ...Array<Recommend>(notSure).fill("not_sure"),
    ...Array<Recommend>(Math.max(0, slots.length - yes - notSure)).fill("no"),
  ]);
  return slots.map(({ session, k }, i): Insertable<Database["feedback_responses"]> => {
    const recommend = recommends[i]!;
    const { rating, before, after } = feedbackScores(rng, recommend);
    const blank = rng.next();
    const both = blank < 0.07;
    const onlyBefore = opts.halfPairs && blank >= 0.07 && blank < 0.1;
    const onlyAfter = opts.halfPairs && blank >= 0.1 && blank < 0.12;
    const minutesLater = session.source === "qr" ? rng.int(2, 25) : rng.int(60, 3 * 24 * 60);
    return {
      session_id: session.id,
      source: session.source,
      rating,
      recommend,
      confidence_before: both || onlyBefore ? null : before,
      confidence_after: both || onlyAfter ? null : after,
      do_differently: rng.next() < 0.6 ? rng.pick(HISTORY_DO_DIFFERENTLY[session.course]) : null,
      comments: rng.next() < 0.35 ? rng.pick(COMMENTS) : null,
      created_at: new Date(session.end.getTime() + minutesLater * MINUTE + k * 1000).toISOString(),
    };
  });
}

// ---- Small helpers -----------------------------------------------------------------------------

const dateIn = (startYear: number, monthDay: string) => `${Number(monthDay.slice(0, 2)) >= 8 ? startYear : startYear + 1}-${monthDay}`;
const firstWeekdayOnOrAfter = (day: string, weekday: number) => addDays(day, (weekday - weekdayOf(day) + 7) % 7);
/** The early and late May and the August bank holidays (Easter and Christmas fall outside every window). */
function isMondayBankHoliday(day: string) {
  const [month, date] = [Number(day.slice(5, 7)), Number(day.slice(8, 10))];
  return weekdayOf(day) === 1 && ((month === 5 && (date <= 7 || date >= 25)) || (month === 8 && date >= 25));
}
function addMinutes(time: string, minutes: number) {
  const [h, m] = time.split(":").map(Number) as [number, number];
  const total = h * 60 + m + minutes;
  return `${String(Math.floor(total / 60)).padStart(2, "0")}:${String(total % 60).padStart(2, "0")}`;
}
