import { sql, type Expression, type ExpressionBuilder, type SqlBool } from "kysely";
import type { Audience, Database, Db, OrganisationKind } from "#db/schema.ts";
import { londonWallTimeToUtc, type Period } from "#app/utils/dates.ts";
import { monthsOf, type ReportFilters } from "./period.ts";

/** Where a session's people came from: the booking's audience, or an open sign-up. */
export type AudienceKey = Audience | "open" | "not_recorded";
/** The kind of organisation that booked, or an open sign-up with no organisation. */
export type OrgKindKey = OrganisationKind | "open";

export interface CourseFigures {
  id: number;
  name: string;
  colour: string;
  attendances: number;
  sessions: number;
  paired: number;
  sumBefore: number;
  sumAfter: number;
  rose: number;
}

/** The raw counts for one period: nothing rounded, nothing hidden (that is the view's job). */
export interface PeriodFigures {
  /** Distinct people: named attendees once each, plus head counts where names were not taken. */
  people: number;
  attendances: number;
  sessionsDelivered: number;
  sessionsCancelled: number;
  trainingMinutes: number;
  trainerMinutes: number;
  byAudience: Map<AudienceKey, { attendances: number; people: number }>;
  byOrgKind: Map<OrgKindKey, { attendances: number; people: number }>;
  courses: CourseFigures[];
  /** Organisations with a delivered or planned session in the period, by kind, names sorted. */
  organisations: Map<OrganisationKind, string[]>;
  /** The same organisations, by kind, the most attendances first (ties by name). */
  organisationsByAttendances: Map<OrganisationKind, string[]>;
  /** London "YYYY-MM" → attendances. */
  months: Map<string, number>;
  feedback: {
    responses: number;
    recommendYes: number;
    /** Everyone who answered the recommend question (it is required, so every response). */
    recommendAnswered: number;
    paired: number;
    sumBefore: number;
    sumAfter: number;
    rose: number;
  };
}

interface SessionRow {
  id: number;
  course_id: number;
  status: string;
  kind: string;
  starts_at: string;
  duration_minutes: number;
  head_count: number | null;
  organisation_id: number | null;
  org_name: string | null;
  org_kind: OrganisationKind | null;
  audience: Audience | null;
  present: number;
  trainers: number;
}

/** The sessions a report covers: started inside the period, narrowed by the filters. */
function sessionFilter(period: Period, f: ReportFilters) {
  return (eb: ExpressionBuilder<Database & { s: Database["sessions"] }, "s">): Expression<SqlBool> => {
    const parts: Expression<SqlBool>[] = [eb("s.starts_at", ">=", period.start.toISOString()), eb("s.starts_at", "<", period.end.toISOString())];
    if (f.courseId) parts.push(eb("s.course_id", "=", f.courseId));
    if (f.organisationId) parts.push(eb("s.organisation_id", "=", f.organisationId));
    if (f.institutionId)
      parts.push(eb("s.organisation_id", "in", eb.selectFrom("organisations as io").select("io.id").where("io.institution_id", "=", f.institutionId)));
    if (f.orgKind === "open") parts.push(eb("s.kind", "=", "open"));
    else if (f.orgKind) parts.push(eb("s.organisation_id", "in", eb.selectFrom("organisations as fo").select("fo.id").where("fo.kind", "=", f.orgKind)));
    if (f.trainerId)
      parts.push(
        eb.exists(
          eb
            .selectFrom("session_trainers as fst")
            .select("fst.session_id")
            .whereRef("fst.session_id", "=", "s.id")
            .where("fst.trainer_id", "=", f.trainerId)
            .where("fst.status", "!=", "declined"),
        ),
      );
    return eb.and(parts);
  };
}

const audienceKey = (r: SessionRow): AudienceKey => (r.kind === "open" ? "open" : (r.audience ?? "not_recorded"));
const orgKindKey = (r: SessionRow): OrgKindKey => (r.kind === "open" || !r.org_kind ? "open" : r.org_kind);
/** A delivered session's attendances: the people marked present, or the head count if it is larger. */
const attendancesOf = (r: SessionRow) => Math.max(r.present, r.head_count ?? 0);

/** One person, however many times they came: their email, else their student ID, else the registration. */
const personKey = sql<string>`coalesce(lower(r.email), 'sid:' || r.student_id, 'reg:' || cast(r.id as text))`;

export async function periodFigures(db: Db, period: Period, filters: ReportFilters): Promise<PeriodFigures> {
  const where = sessionFilter(period, filters);

  const sessions = (await db
    .selectFrom("sessions as s")
    .leftJoin("organisations as o", "o.id", "s.organisation_id")
    .leftJoin("booking_requests as br", "br.id", "s.booking_request_id")
    .where(where)
    .select((eb) => [
      "s.id",
      "s.course_id",
      "s.status",
      "s.kind",
      "s.starts_at",
      "s.duration_minutes",
      "s.head_count",
      "s.organisation_id",
      "o.name as org_name",
      "o.kind as org_kind",
      "br.audience",
      eb
        .selectFrom("registrations as r")
        .select((e) => e.fn.countAll<number>().as("n"))
        .whereRef("r.session_id", "=", "s.id")
        .where("r.status", "=", "registered")
        .where("r.attendance", "=", "present")
        .as("present"),
      eb
        .selectFrom("session_trainers as st")
        .select((e) => e.fn.countAll<number>().as("n"))
        .whereRef("st.session_id", "=", "s.id")
        .where("st.status", "!=", "declined")
        .as("trainers"),
    ])
    .execute()) as SessionRow[];

  const [people, courses, feedback] = await Promise.all([
    distinctPeople(db, where),
    db.selectFrom("courses").select(["id", "name", "colour"]).execute(),
    feedbackBySession(db, where),
  ]);

  const delivered = sessions.filter((s) => s.status === "delivered");
  const monthOf = londonMonthOf(period);
  const byAudience = new Map<AudienceKey, { attendances: number; people: number }>();
  const byOrgKind = new Map<OrgKindKey, { attendances: number; people: number }>();
  const months = new Map<string, number>();
  const courseFigures = new Map<number, CourseFigures>();
  const courseOf = (id: number) => {
    let c = courseFigures.get(id);
    if (!c) {
      const course = courses.find((x) => x.id === id);
      c = {
        id,
        name: course?.name ?? "Unknown course",
        colour: course?.colour ?? "#475569",
        attendances: 0,
        sessions: 0,
        paired: 0,
        sumBefore: 0,
        sumAfter: 0,
        rose: 0,
      };
      courseFigures.set(id, c);
    }
    return c;
  };

  let attendances = 0;
  let anonymous = 0;
  let trainingMinutes = 0;
  let trainerMinutes = 0;
  for (const s of delivered) {
    const n = attendancesOf(s);
    attendances += n;
    // People counted at the door without names cannot be told apart: each counts once.
    const unnamed = Math.max(0, (s.head_count ?? 0) - s.present);
    anonymous += unnamed;
    trainingMinutes += s.duration_minutes;
    trainerMinutes += s.duration_minutes * (filters.trainerId ? 1 : s.trainers);
    const a = byAudience.get(audienceKey(s)) ?? { attendances: 0, people: 0 };
    a.attendances += n;
    a.people += unnamed;
    byAudience.set(audienceKey(s), a);
    const k = byOrgKind.get(orgKindKey(s)) ?? { attendances: 0, people: 0 };
    k.attendances += n;
    k.people += unnamed;
    byOrgKind.set(orgKindKey(s), k);
    const month = monthOf(s.starts_at);
    months.set(month, (months.get(month) ?? 0) + n);
    const c = courseOf(s.course_id);
    c.attendances += n;
    c.sessions += 1;
  }
  for (const row of people.byAudience) {
    const a = byAudience.get(row.key) ?? { attendances: 0, people: 0 };
    a.people += row.n;
    byAudience.set(row.key, a);
  }
  for (const row of people.byOrgKind) {
    const k = byOrgKind.get(row.key) ?? { attendances: 0, people: 0 };
    k.people += row.n;
    byOrgKind.set(row.key, k);
  }

  const booked = new Map<number, { kind: OrganisationKind; name: string; attendances: number }>();
  for (const s of sessions) {
    if (s.status === "cancelled" || !s.organisation_id || !s.org_kind) continue;
    const o = booked.get(s.organisation_id) ?? { kind: s.org_kind, name: s.org_name ?? "", attendances: 0 };
    if (s.status === "delivered") o.attendances += attendancesOf(s);
    booked.set(s.organisation_id, o);
  }
  const byName = [...booked.values()].sort((a, b) => a.name.localeCompare(b.name, "en-GB"));
  const byAttendances = [...byName].sort((a, b) => b.attendances - a.attendances);
  const groupByKind = (orgs: typeof byName) => {
    const out = new Map<OrganisationKind, string[]>();
    for (const o of orgs) {
      const names = out.get(o.kind) ?? [];
      names.push(o.name);
      out.set(o.kind, names);
    }
    return out;
  };

  const fb = { responses: 0, recommendYes: 0, recommendAnswered: 0, paired: 0, sumBefore: 0, sumAfter: 0, rose: 0 };
  const courseBySession = new Map(sessions.map((s) => [s.id, s.course_id]));
  for (const row of feedback) {
    fb.responses += row.responses;
    fb.recommendYes += row.yes;
    fb.recommendAnswered += row.responses;
    fb.paired += row.paired;
    fb.sumBefore += row.sum_before;
    fb.sumAfter += row.sum_after;
    fb.rose += row.rose;
    const c = courseOf(courseBySession.get(row.session_id)!);
    c.paired += row.paired;
    c.sumBefore += row.sum_before;
    c.sumAfter += row.sum_after;
    c.rose += row.rose;
  }

  return {
    people: people.total + anonymous,
    attendances,
    sessionsDelivered: delivered.length,
    sessionsCancelled: sessions.filter((s) => s.status === "cancelled").length,
    trainingMinutes,
    trainerMinutes,
    byAudience,
    byOrgKind,
    courses: [...courseFigures.values()].sort((a, b) => b.attendances - a.attendances || b.sessions - a.sessions || a.name.localeCompare(b.name)),
    organisations: groupByKind(byName),
    organisationsByAttendances: groupByKind(byAttendances),
    months,
    feedback: fb,
  };
}

/**
 * The London "YYYY-MM" of an instant in the period, found among the period's month boundaries
 * rather than by formatting each session's start in the London zone (thousands of them in a year).
 */
function londonMonthOf(period: Period): (startsAt: string) => string {
  const bounds = monthsOf(period).map((m) => ({ month: m, from: londonWallTimeToUtc(`${m}-01`, "00:00").toISOString() }));
  return (startsAt) => {
    let month = bounds[0]!.month;
    for (const b of bounds) {
      if (b.from > startsAt) break;
      month = b.month;
    }
    return month;
  };
}

/**
 * Named attendees counted once each, overall and per audience and kind of organisation. One pass
 * over the period's present attendees, told apart in sets: cheaper than three count(distinct …)
 * queries over the same rows, each sorting them again.
 */
async function distinctPeople(db: Db, where: ReturnType<typeof sessionFilter>) {
  const audienceExpr = sql<AudienceKey>`case when s.kind = 'open' then 'open' else coalesce(br.audience, 'not_recorded') end`;
  const orgKindExpr = sql<OrgKindKey>`case when s.kind = 'open' or o.kind is null then 'open' else o.kind end`;
  const rows = await db
    .selectFrom("registrations as r")
    .innerJoin("sessions as s", "s.id", "r.session_id")
    .leftJoin("booking_requests as br", "br.id", "s.booking_request_id")
    .leftJoin("organisations as o", "o.id", "s.organisation_id")
    .where(where)
    .where("s.status", "=", "delivered")
    .where("r.status", "=", "registered")
    .where("r.attendance", "=", "present")
    .select([personKey.as("person"), audienceExpr.as("audience"), orgKindExpr.as("org_kind")])
    .execute();
  const everyone = new Set<string>();
  const audiences = new Map<AudienceKey, Set<string>>();
  const orgKinds = new Map<OrgKindKey, Set<string>>();
  const add = <K>(sets: Map<K, Set<string>>, key: K, person: string) => {
    const set = sets.get(key) ?? new Set<string>();
    set.add(person);
    sets.set(key, set);
  };
  for (const r of rows) {
    everyone.add(r.person);
    add(audiences, r.audience, r.person);
    add(orgKinds, r.org_kind, r.person);
  }
  const counts = <K>(sets: Map<K, Set<string>>) => [...sets].map(([key, set]) => ({ key, n: set.size }));
  return { total: everyone.size, byAudience: counts(audiences), byOrgKind: counts(orgKinds) };
}

/** Feedback on delivered sessions, summed per session; confidence only from people who gave both answers. */
async function feedbackBySession(db: Db, where: ReturnType<typeof sessionFilter>) {
  const paired = sql`f.confidence_before is not null and f.confidence_after is not null`;
  const rows = await db
    .selectFrom("feedback_responses as f")
    .innerJoin("sessions as s", "s.id", "f.session_id")
    .where(where)
    .where("s.status", "=", "delivered")
    .select([
      "f.session_id",
      sql<number>`count(*)`.as("responses"),
      sql<number>`sum(case when f.recommend = 'yes' then 1 else 0 end)`.as("yes"),
      sql<number>`sum(case when ${paired} then 1 else 0 end)`.as("paired"),
      sql<number>`sum(case when ${paired} then f.confidence_before else 0 end)`.as("sum_before"),
      sql<number>`sum(case when ${paired} then f.confidence_after else 0 end)`.as("sum_after"),
      sql<number>`sum(case when ${paired} and f.confidence_after > f.confidence_before then 1 else 0 end)`.as("rose"),
    ])
    .groupBy("f.session_id")
    .execute();
  return rows.map((r) => ({
    session_id: r.session_id,
    responses: Number(r.responses),
    yes: Number(r.yes),
    paired: Number(r.paired),
    sum_before: Number(r.sum_before),
    sum_after: Number(r.sum_after),
    rose: Number(r.rose),
  }));
}

/** The choices for the report's filters: organisations are too many to list, so they are typed (see findOrganisations). */
export async function reportFilterOptions(db: Db) {
  const [courses, trainers] = await Promise.all([
    db.selectFrom("courses").select(["id", "name"]).orderBy("name").execute(),
    db
      .selectFrom("users as u")
      .innerJoin("user_roles as ur", "ur.user_id", "u.id")
      .where("ur.role", "=", "trainer")
      .select(["u.id", "u.name"])
      .orderBy("u.name")
      .execute(),
  ]);
  return { courses, trainers };
}

/** Up to `limit` organisations whose name contains what was typed (any case), names that start with it first. */
export async function findOrganisations(db: Db, typed: string, limit: number): Promise<{ id: number; name: string }[]> {
  const q = typed.trim().toLowerCase();
  if (!q) return [];
  const escaped = q.replace(/[\\%_]/g, (c) => `\\${c}`);
  return db
    .selectFrom("organisations")
    .select(["id", "name"])
    .where(sql<SqlBool>`lower(name) like ${`%${escaped}%`} escape '\\'`)
    .orderBy(sql`case when lower(name) = ${q} then 0 when lower(name) like ${`${escaped}%`} escape '\\' then 1 else 2 end`)
    .orderBy("name")
    .limit(limit)
    .execute();
}

export async function organisationName(db: Db, id: number): Promise<string | null> {
  const row = await db.selectFrom("organisations").select("name").where("id", "=", id).executeTakeFirst();
  return row?.name ?? null;
}

/** The first academic year with any session, so the year picker offers only years with something in them. */
export async function firstSessionAt(db: Db): Promise<string | null> {
  const row = await db
    .selectFrom("sessions")
    .select((eb) => eb.fn.min("starts_at").as("first"))
    .executeTakeFirst();
  return (row?.first as string | null | undefined) ?? null;
}
