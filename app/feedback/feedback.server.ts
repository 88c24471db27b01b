import { sql } from "kysely";
import type { Db, SessionStatus } from "#db/schema.ts";
import { writeTransaction } from "#app/utils/transaction.server.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { activeTrainers, getSessionDetail, getSessionDetails, sessionWhere } from "#app/scheduling/session-detail.server.ts";
import { londonWallTimeToUtc, termOf, utcToLondonWallTime, type Period } from "#app/utils/dates.ts";
import { isUniqueViolation } from "#db/dialect.ts";
import { pageWindow, type PageWindow } from "#app/utils/paging.ts";
import { cachedByRecords } from "#app/utils/record-cache.server.ts";
import { addMs, DAY, HOUR, now, nowIso } from "#app/utils/time.ts";
import { sha256Hex } from "#app/utils/tokens.server.ts";
import { MIN_RESPONSES_SHOWN, QR_REFUSALS, type FeedbackInput, type QrRefusal } from "./schemas.ts";
import { isRealDate } from "#app/utils/date-fields.ts";

/** The room's QR code opens the form for this long after the session starts. */
export const QR_OPEN_DAYS = 30;
/** A room of people answering together is fine; a script posting as fast as it can is not. */
export const QR_BURST = { max: 5, windowMs: 10_000 };

export interface FeedbackSessionInfo {
  id: number;
  title: string | null;
  course: { id: number; name: string };
  startsAt: string;
  endsAt: string;
}

function sessionInfoQuery(db: Db) {
  return db
    .selectFrom("sessions as s")
    .innerJoin("courses as c", "c.id", "s.course_id")
    .select(["s.id", "s.title", "s.status", "s.starts_at", "s.ends_at", "c.id as course_id", "c.name as course_name"]);
}

const toInfo = (r: { id: number; title: string | null; starts_at: string; ends_at: string; course_id: number; course_name: string }): FeedbackSessionInfo => ({
  id: r.id,
  title: r.title,
  course: { id: r.course_id, name: r.course_name },
  startsAt: r.starts_at,
  endsAt: r.ends_at,
});

/**
 * Response times are kept to the day, and a token's use likewise, so neither the order nor the
 * moment of an answer can tie it back to the registration whose link was spent.
 */
const dayOf = (iso: string) => `${iso.slice(0, 10)}T00:00:00.000Z`;

async function insertResponse(trx: Db, sessionId: number, source: "link" | "qr", input: FeedbackInput, at: string) {
  // Only the answers: `wantsSupport` is deliberately not among them.
  await trx
    .insertInto("feedback_responses")
    .values({
      session_id: sessionId,
      source,
      rating: input.rating,
      recommend: input.recommend,
      confidence_before: input.confidenceBefore ?? null,
      confidence_after: input.confidenceAfter ?? null,
      do_differently: input.doDifferently ?? null,
      comments: input.comments ?? null,
      created_at: dayOf(at),
    })
    .execute();
}

// ---- The emailed link ---------------------------------------------------------------------------

export type FeedbackTokenLookup = { status: "valid"; sessionId: number; session: FeedbackSessionInfo } | { status: "used" | "expired" | "unknown" };

const plausibleToken = (token: string) => !!token && token.length <= 200;

/** The page an emailed link opens: tells whether the link still works, and spends nothing. */
export async function lookupFeedbackToken(db: Db, token: string): Promise<FeedbackTokenLookup> {
  if (!plausibleToken(token)) return { status: "unknown" };
  const row = await db
    .selectFrom("feedback_tokens as t")
    .innerJoin("registrations as r", "r.id", "t.registration_id")
    .select(["t.expires_at", "t.used_at", "r.session_id"])
    .where("t.token_hash", "=", sha256Hex(token))
    .executeTakeFirst();
  if (!row) return { status: "unknown" };
  if (row.used_at) return { status: "used" };
  if (row.expires_at <= nowIso()) return { status: "expired" };
  const session = await sessionInfoQuery(db).where("s.id", "=", row.session_id).executeTakeFirst();
  if (!session || session.status === "cancelled") return { status: "unknown" };
  return { status: "valid", sessionId: session.id, session: toInfo(session) };
}

export type TokenSubmitResult = { status: "saved"; sessionId: number } | { status: "used" | "expired" | "unknown" };

/**
 * Spends the link and records one answer in the same transaction: of two submits at once exactly
 * one wins, and an answer is never kept without its link being spent (or the reverse).
 */
export async function submitWithToken(db: Db, token: string, input: FeedbackInput): Promise<TokenSubmitResult> {
  if (!plausibleToken(token)) return { status: "unknown" };
  const hash = sha256Hex(token);
  return writeTransaction(db, async (trx): Promise<TokenSubmitResult> => {
    const row = await trx
      .selectFrom("feedback_tokens as t")
      .innerJoin("registrations as r", "r.id", "t.registration_id")
      .select(["t.id", "t.used_at", "t.expires_at", "r.session_id"])
      .where("t.token_hash", "=", hash)
      .executeTakeFirst();
    if (!row) return { status: "unknown" };
    const at = nowIso();
    const spent = await trx
      .updateTable("feedback_tokens")
      .set({ used_at: dayOf(at) })
      .where("id", "=", row.id)
      .where("used_at", "is", null)
      .where("expires_at", ">", at)
      .executeTakeFirst();
    if (Number(spent.numUpdatedRows) !== 1) return { status: row.used_at ? "used" : "expired" };
    await insertResponse(trx, row.session_id, "link", input, at);
    return { status: "saved", sessionId: row.session_id };
  });
}

// ---- The room's QR code -------------------------------------------------------------------------

export type QrSessionLookup =
  { status: "open"; sessionId: number; session: FeedbackSessionInfo } | { status: "not_yet" | "closed"; session: FeedbackSessionInfo } | { status: "unknown" };

function qrState(s: { status: SessionStatus; starts_at: string; ends_at: string }, at: Date): "open" | "not_yet" | "closed" {
  if (s.status === "cancelled") return "closed";
  if (s.status !== "delivered" && s.ends_at > at.toISOString()) return "not_yet";
  if (addMs(new Date(s.starts_at), QR_OPEN_DAYS * DAY) <= at) return "closed";
  return "open";
}

/** The session behind a QR code, and whether its form takes answers now: once delivered or over, for 30 days from the start. */
export async function sessionForQrCode(db: Db, code: string): Promise<QrSessionLookup> {
  if (!code || code.length > 100) return { status: "unknown" };
  const row = await sessionInfoQuery(db).where("s.feedback_code", "=", code).executeTakeFirst();
  if (!row) return { status: "unknown" };
  const state = qrState(row, now());
  if (state !== "open") return { status: state, session: toInfo(row) };
  return { status: "open", sessionId: row.id, session: toInfo(row) };
}

export type QrSubmitResult = { status: "saved"; sessionId: number } | { status: "refused"; reason: QrRefusal; message: string };

const refuse = (reason: QrRefusal): QrSubmitResult => ({ status: "refused", reason, message: QR_REFUSALS[reason] });

const plausibleDevice = (deviceId: string | null | undefined): deviceId is string => !!deviceId && deviceId.length >= 16 && deviceId.length <= 200;

/** Whether this device has already answered for the session (for the page; changes nothing). */
export async function deviceHasAnswered(db: Db, sessionId: number, deviceId: string | null | undefined): Promise<boolean> {
  if (!plausibleDevice(deviceId)) return false;
  const row = await db
    .selectFrom("qr_feedback_limits")
    .select("device_hash")
    .where("session_id", "=", sessionId)
    .where("device_hash", "=", sha256Hex(deviceId))
    .executeTakeFirst();
  return !!row;
}

/** What a session's register says: how many were marked present (walk-ins included), and the head count of a group whose names were not taken. */
export async function registerTally(db: Db, sessionId: number): Promise<{ present: number; headCount: number | null }> {
  const [present, session] = await Promise.all([
    db
      .selectFrom("registrations")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("session_id", "=", sessionId)
      .where("status", "=", "registered")
      .where("attendance", "=", "present")
      .executeTakeFirstOrThrow(),
    db.selectFrom("sessions").select("head_count").where("id", "=", sessionId).executeTakeFirstOrThrow(),
  ]);
  return { present: Number(present.n), headCount: session.head_count };
}

/** How many people were there: those marked present, or the head count, whichever is more. */
async function peoplePresent(trx: Db, sessionId: number): Promise<number> {
  const { present, headCount } = await registerTally(trx, sessionId);
  return Math.max(present, headCount ?? 0);
}

/**
 * The anonymous form behind the room's QR code: one answer per device (a long random cookie, kept
 * only as a hash), at most QR_BURST answers in any short window for the session, and never more
 * answers in all (by link and by QR code together) than people the register says were there.
 * Anyone with the code can answer from many browsers, so these answers never count towards
 * showing a session's results (see `resultsForSessions`).
 */
export async function submitWithQr(db: Db, code: string, deviceId: string | null | undefined, input: FeedbackInput): Promise<QrSubmitResult> {
  if (!plausibleDevice(deviceId)) return refuse("no_device");
  const deviceHash = sha256Hex(deviceId);
  try {
    return await writeTransaction(db, async (trx): Promise<QrSubmitResult> => {
      const found = await sessionForQrCode(trx, code);
      if (found.status !== "open") return refuse("closed");
      const sessionId = found.sessionId;
      const at = now();
      const seen = await trx
        .selectFrom("qr_feedback_limits")
        .select("device_hash")
        .where("session_id", "=", sessionId)
        .where("device_hash", "=", deviceHash)
        .executeTakeFirst();
      if (seen) return refuse("already");
      const recent = await trx
        .selectFrom("qr_feedback_limits")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("session_id", "=", sessionId)
        .where("created_at", ">", addMs(at, -QR_BURST.windowMs).toISOString())
        .executeTakeFirstOrThrow();
      if (Number(recent.n) >= QR_BURST.max) return refuse("busy");
      const total = await trx
        .selectFrom("feedback_responses")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("session_id", "=", sessionId)
        .executeTakeFirstOrThrow();
      if (Number(total.n) >= (await peoplePresent(trx, sessionId))) return refuse("full");
      await trx.insertInto("qr_feedback_limits").values({ session_id: sessionId, device_hash: deviceHash, created_at: at.toISOString() }).execute();
      await insertResponse(trx, sessionId, "qr", input, at.toISOString());
      return { status: "saved", sessionId };
    });
  } catch (err) {
    // The primary key is the last word when one device sends twice at once.
    if (isUniqueViolation(err)) return refuse("already");
    throw err;
  }
}

// ---- Results ------------------------------------------------------------------------------------

export interface FeedbackFigures {
  responses: number;
  /** Mean overall rating, 1–5. */
  ratingMean: number;
  /** Share answering "yes" to recommending the session, of everyone who answered (the question is required). */
  recommendShare: number;
  /** From people who answered both confidence questions; half-answered pairs are left out. */
  confidence: { paired: number; beforeMean: number | null; afterMean: number | null; roseShare: number | null };
}

/** `fromRegister`: answers given through a present person's own emailed link, the ones the rule counts. */
export type SessionResults =
  ({ suppressed: false; doDifferently: string[]; comments: string[] } & FeedbackFigures) | { suppressed: true; responses: number; fromRegister: number };

/** `heldBack`: answers from small sessions not counted yet (see courseTermTotals). */
export type TotalsResults = ({ suppressed: false; heldBack: number } & FeedbackFigures) | { suppressed: true; responses: number };

interface Tally {
  sessionId: number;
  courseId: number;
  startsAt: string;
  responses: number;
  /** Answers through an emailed single-use link: each one a different person the register has as present. */
  fromRegister: number;
  ratingSum: number;
  yes: number;
  paired: number;
  beforeSum: number;
  afterSum: number;
  rose: number;
}

const EMPTY_TALLY = { responses: 0, fromRegister: 0, ratingSum: 0, yes: 0, paired: 0, beforeSum: 0, afterSum: 0, rose: 0 };

/** Per-session sums in one grouped query; portable SQL, means worked out here. */
async function tallies(db: Db, where: { sessionIds?: number[]; courseId?: number; period?: Period }): Promise<Tally[]> {
  if (where.sessionIds && where.sessionIds.length === 0) return [];
  const both = sql`f.confidence_before is not null and f.confidence_after is not null`;
  let q = db
    .selectFrom("feedback_responses as f")
    .innerJoin("sessions as s", "s.id", "f.session_id")
    .select([
      "f.session_id",
      "s.course_id",
      "s.starts_at",
      sql<number>`count(*)`.as("responses"),
      sql<number>`sum(case when f.source = 'link' then 1 else 0 end)`.as("from_register"),
      sql<number>`sum(f.rating)`.as("rating_sum"),
      sql<number>`sum(case when f.recommend = 'yes' then 1 else 0 end)`.as("yes"),
      sql<number>`sum(case when ${both} then 1 else 0 end)`.as("paired"),
      sql<number>`sum(case when ${both} then f.confidence_before else 0 end)`.as("before_sum"),
      sql<number>`sum(case when ${both} then f.confidence_after else 0 end)`.as("after_sum"),
      sql<number>`sum(case when ${both} and f.confidence_after > f.confidence_before then 1 else 0 end)`.as("rose"),
    ])
    .groupBy(["f.session_id", "s.course_id", "s.starts_at"]);
  if (where.sessionIds) q = q.where("f.session_id", "in", where.sessionIds);
  if (where.courseId !== undefined) q = q.where("s.course_id", "=", where.courseId);
  if (where.period) q = q.where("s.starts_at", ">=", where.period.start.toISOString()).where("s.starts_at", "<", where.period.end.toISOString());
  const rows = await q.execute();
  return rows.map((r) => ({
    sessionId: r.session_id,
    courseId: r.course_id,
    startsAt: r.starts_at,
    responses: Number(r.responses),
    fromRegister: Number(r.from_register),
    ratingSum: Number(r.rating_sum),
    yes: Number(r.yes),
    paired: Number(r.paired),
    beforeSum: Number(r.before_sum),
    afterSum: Number(r.after_sum),
    rose: Number(r.rose),
  }));
}

function figures(t: Omit<Tally, "sessionId" | "courseId" | "startsAt">): FeedbackFigures {
  return {
    responses: t.responses,
    ratingMean: t.ratingSum / t.responses,
    recommendShare: t.yes / t.responses,
    confidence: {
      paired: t.paired,
      beforeMean: t.paired ? t.beforeSum / t.paired : null,
      afterMean: t.paired ? t.afterSum / t.paired : null,
      roseShare: t.paired ? t.rose / t.paired : null,
    },
  };
}

function addTallies(list: Omit<Tally, "sessionId" | "courseId" | "startsAt">[]) {
  return list.reduce(
    (sum, t) => ({
      responses: sum.responses + t.responses,
      fromRegister: sum.fromRegister + t.fromRegister,
      ratingSum: sum.ratingSum + t.ratingSum,
      yes: sum.yes + t.yes,
      paired: sum.paired + t.paired,
      beforeSum: sum.beforeSum + t.beforeSum,
      afterSum: sum.afterSum + t.afterSum,
      rose: sum.rose + t.rose,
    }),
    { ...EMPTY_TALLY },
  );
}

const byText = (a: string, b: string) => a.localeCompare(b, "en-GB");

/**
 * The small-number rule for one session: its results (figures and written answers) are shown once
 * MIN_RESPONSES_SHOWN people have answered through their own single-use link, each link emailed to
 * one person the register has as present. Answers by the room's QR code are shown with them then,
 * but never count towards it: anyone with the code (the trainer included) can answer again from
 * another browser, and one person must never be able to add enough answers to reveal other people's.
 */
const showsOnItsOwn = (t: Pick<Tally, "fromRegister"> | undefined) => (t?.fromRegister ?? 0) >= MIN_RESPONSES_SHOWN;

/** Results for many sessions in three queries. Comments are text only, in text order, so their order says nothing about who answered when. */
async function resultsForSessions(db: Db, sessionIds: number[]): Promise<Map<number, SessionResults>> {
  const counted = new Map((await tallies(db, { sessionIds })).map((t) => [t.sessionId, t]));
  const shown = sessionIds.filter((id) => showsOnItsOwn(counted.get(id)));
  const texts = shown.length
    ? await db
        .selectFrom("feedback_responses")
        .select(["session_id", "do_differently", "comments"])
        .where("session_id", "in", shown)
        .where((eb) => eb.or([eb("do_differently", "is not", null), eb("comments", "is not", null)]))
        .execute()
    : [];
  const results = new Map<number, SessionResults>();
  for (const id of sessionIds) {
    const t = counted.get(id);
    if (!t || !showsOnItsOwn(t)) {
      results.set(id, { suppressed: true, responses: t?.responses ?? 0, fromRegister: t?.fromRegister ?? 0 });
      continue;
    }
    const mine = texts.filter((r) => r.session_id === id);
    results.set(id, {
      suppressed: false,
      ...figures(t),
      doDifferently: mine.flatMap((r) => (r.do_differently ? [r.do_differently] : [])).sort(byText),
      comments: mine.flatMap((r) => (r.comments ? [r.comments] : [])).sort(byText),
    });
  }
  return results;
}

/** One session's results, or only its number of answers until five people on its register have answered by their own link. */
export async function sessionResults(db: Db, sessionId: number): Promise<SessionResults> {
  return (await resultsForSessions(db, [sessionId])).get(sessionId)!;
}

export interface CourseTermTotals {
  course: { id: number; name: string };
  term: { label: string; start: string; end: string };
  /** Sessions of the course in the term with at least one answer. */
  sessions: number;
  results: TotalsResults;
}

/**
 * Totals for a course across a term, where answers from sessions too small to show on their own
 * count too: but only once five or more people answered for them by their own link, because while
 * they number one to four, the totals minus the sessions shown would give them away. Until then they
 * are held back, and the totals are shown from five such people. As for a session, answers by QR
 * code come along but never count towards either threshold.
 */
export async function courseTermTotals(db: Db, courseId: number, term: Period): Promise<CourseTermTotals> {
  const [course, list] = await Promise.all([
    db.selectFrom("courses").select(["id", "name"]).where("id", "=", courseId).executeTakeFirstOrThrow(),
    tallies(db, { courseId, period: term }),
  ]);
  return totalsFromTallies(course, term, list);
}

function totalsFromTallies(course: { id: number; name: string }, term: Period, list: Tally[]): CourseTermTotals {
  const small = addTallies(list.filter((t) => !showsOnItsOwn(t)));
  const smallCount = small.fromRegister >= MIN_RESPONSES_SHOWN;
  const counted = smallCount ? list : list.filter((t) => showsOnItsOwn(t));
  const sum = addTallies(counted);
  const results: TotalsResults =
    sum.fromRegister < MIN_RESPONSES_SHOWN
      ? { suppressed: true, responses: addTallies(list).responses }
      : { suppressed: false, heldBack: smallCount ? 0 : small.responses, ...figures(sum) };
  return {
    course: { id: course.id, name: course.name },
    term: { label: term.label, start: term.start.toISOString(), end: term.end.toISOString() },
    sessions: list.length,
    results,
  };
}

/**
 * The totals of every course delivered in a term, by course name, from one grouped query. They
 * change only when feedback or sessions do, so they are kept against the record versions.
 */
export function termTotals(db: Db, term: Period): Promise<CourseTermTotals[]> {
  return cachedByRecords(db, `feedback-term-totals:${term.start.toISOString()}`, ["feedback", "sessions", "reference"], async () => {
    const [list, courses] = await Promise.all([
      tallies(db, { period: term }),
      deliveredSessions(db, term).clearSelect().clearOrderBy().innerJoin("courses as c", "c.id", "s.course_id").select(["c.id", "c.name"]).distinct().execute(),
    ]);
    const byCourse = new Map<number, Tally[]>();
    for (const t of list) {
      const mine = byCourse.get(t.courseId);
      if (mine) mine.push(t);
      else byCourse.set(t.courseId, [t]);
    }
    return courses.map((c) => totalsFromTallies(c, term, byCourse.get(c.id) ?? [])).sort((a, b) => a.course.name.localeCompare(b.course.name, "en-GB"));
  });
}

export interface SessionFeedback {
  id: number;
  title: string | null;
  course: { id: number; name: string; colour: string };
  startsAt: string;
  endsAt: string;
  where: string;
  organisation: string | null;
  trainers: string[];
  term: string;
  /** The room's QR form still takes answers. */
  qrOpen: boolean;
  results: SessionResults;
}

export interface FeedbackOverview {
  sessions: SessionFeedback[];
  totals: CourseTermTotals[];
}

async function overview(
  db: Db,
  rows: { id: number; title: string | null; status: SessionStatus; starts_at: string; ends_at: string; feedback_code: string | null }[],
  termTotalsGiven?: CourseTermTotals[],
): Promise<FeedbackOverview> {
  const ids = rows.map((r) => r.id);
  const [details, results] = await Promise.all([getSessionDetails(db, ids), resultsForSessions(db, ids)]);
  const at = now();
  const rowById = new Map(rows.map((r) => [r.id, r]));
  const sessions = details.map((d): SessionFeedback => {
    const row = rowById.get(d.id)!;
    return {
      id: d.id,
      title: row.title,
      course: { id: d.course.id, name: d.course.name, colour: d.course.colour },
      startsAt: d.startsAt,
      endsAt: d.endsAt,
      where: sessionWhere(d),
      organisation: d.organisation?.name ?? null,
      trainers: d.trainers.filter((t) => t.status !== "declined").map((t) => t.name),
      term: termOf(new Date(d.startsAt)).label,
      qrOpen: !!row.feedback_code && qrState(row, at) === "open",
      results: results.get(d.id)!,
    };
  });
  // One set of totals per course and term the sessions fall in, newest term first.
  const pairs = new Map<string, { courseId: number; term: Period }>();
  for (const s of sessions) {
    const term = termOf(new Date(s.startsAt));
    pairs.set(`${term.start.toISOString()}|${s.course.id}`, { courseId: s.course.id, term });
  }
  const totals = termTotalsGiven ?? (await Promise.all([...pairs.values()].map((p) => courseTermTotals(db, p.courseId, p.term))));
  totals.sort((a, b) => b.term.start.localeCompare(a.term.start) || a.course.name.localeCompare(b.course.name, "en-GB"));
  return { sessions, totals };
}

function deliveredSessions(db: Db, period?: Period) {
  let q = db
    .selectFrom("sessions as s")
    .select(["s.id", "s.title", "s.status", "s.starts_at", "s.ends_at", "s.feedback_code"])
    .where("s.status", "=", "delivered")
    .orderBy("s.starts_at", "desc")
    .orderBy("s.id", "desc");
  if (period) q = q.where("s.starts_at", ">=", period.start.toISOString()).where("s.starts_at", "<", period.end.toISOString());
  return q;
}

/** A trainer's own delivered sessions (those they did not decline), each with its results, and the course totals for their terms. */
export async function trainerFeedback(db: Db, trainerId: number, period?: Period): Promise<FeedbackOverview> {
  const rows = await deliveredSessions(db, period)
    .innerJoin("session_trainers as st", "st.session_id", "s.id")
    .where("st.trainer_id", "=", trainerId)
    .where("st.status", "!=", "declined")
    .execute();
  return overview(db, rows);
}

/** A term's sessions come this many at a time, newest first; the course totals cover the whole term. */
export const FEEDBACK_PAGE_SIZE = 25;

/**
 * One page of a term's delivered sessions with their results, and the totals of every course
 * delivered that term: the page costs the same however many sessions the term had.
 */
export async function coordinatorFeedbackPage(db: Db, term: Period, page: number): Promise<FeedbackOverview & { page: PageWindow }> {
  const [count, totals] = await Promise.all([
    deliveredSessions(db, term)
      .clearSelect()
      .clearOrderBy()
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow(),
    termTotals(db, term),
  ]);
  const window = pageWindow(Number(count.n), page, FEEDBACK_PAGE_SIZE);
  const rows = window.total ? await deliveredSessions(db, term).limit(window.size).offset(window.offset).execute() : [];
  return { ...(await overview(db, rows, totals)), page: window };
}

/** The term a results page shows: `?term=YYYY-MM-DD` (any day in it), or the current term. */
export function termFromParam(param: string | null): Period {
  if (param && isRealDate(param)) return termOf(londonWallTimeToUtc(param, "12:00"));
  return termOf(now());
}

/** The terms either side, as `?term=` values (the London date the term starts). */
export function adjacentTerms(term: Period): { previous: { label: string; param: string }; next: { label: string; param: string } | null } {
  const previous = termOf(addMs(term.start, -DAY));
  const next = termOf(addMs(term.end, DAY));
  const param = (p: Period) => utcToLondonWallTime(addMs(p.start, 12 * HOUR)).date;
  return {
    previous: { label: previous.label, param: param(previous) },
    next: next.start <= now() ? { label: next.label, param: param(next) } : null,
  };
}

/**
 * A session's room QR code, for the trainers on it and for coordinators; anyone else is told nothing,
 * as for a session that does not exist. `code` is null until the register is closed; its status says
 * whether the form takes answers now.
 */
export async function roomQrCode(db: Db, actor: SessionUser, sessionId: number) {
  const session = await getSessionDetail(db, sessionId);
  const onSession = !!session && activeTrainers(session).some((t) => t.id === actor.id);
  if (!session || (!onSession && !actor.roles.includes("coordinator"))) return null;
  const row = await db.selectFrom("sessions").select(["feedback_code", "status", "starts_at", "ends_at"]).where("id", "=", sessionId).executeTakeFirstOrThrow();
  const code = row.feedback_code
    ? { code: row.feedback_code, status: qrState(row, now()), closesAt: addMs(new Date(row.starts_at), QR_OPEN_DAYS * DAY).toISOString() }
    : null;
  return { session, onSession, code };
}
