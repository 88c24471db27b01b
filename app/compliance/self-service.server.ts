import type { Db } from "#db/schema.ts";
import LeaderAccessLinkEmail from "#emails/leader-access-link.tsx";
import { writeTransaction } from "#app/utils/transaction.server.ts";
import { composeEmail, enqueueEmail } from "#app/email/outbox.server.ts";
import { appUrl } from "#app/scheduling/notifications.server.ts";
import { addMs, HOUR, now, nowIso } from "#app/utils/time.ts";
import { randomToken, sha256Hex } from "#app/utils/tokens.server.ts";
import type { RequirementState } from "#app/roster/requirements.ts";
import { evaluateYear, getLeaderYear } from "./facts.server.ts";
import { nextInductionSessions, type InductionSession } from "./reminders.server.ts";
import { currentLeaderYear } from "./roles.server.ts";
import { type LeaderStatus } from "./rules.ts";
import { LeaderLinkRequestSchema } from "./schemas.ts";
import { academicYearLabel, londonDateOf } from "#app/utils/dates.ts";
import { plural } from "#app/utils/plural.ts";

/**
 * A leader checks their own training without an account: they ask for a link by email, and the
 * link shows their roles, what each requires, what is done and the sessions they can book. The
 * answer to the request never says whether the address is on a roster.
 */

export const LEADER_LINK_LIFETIME_MS = 24 * HOUR;
export const LEADER_LINKS_PER_HOUR = 3;

/** The one answer every request gets. */
export const LEADER_LINK_REQUESTED =
  "If this email address is on a student leader roster, we have sent a link to it. The link works for 24 hours. Check your junk folder if it has not arrived in a few minutes.";

/** Roster years a leader can see now: the current one and any later one already set up. */
async function openYears(db: Db): Promise<number[]> {
  const current = await currentLeaderYear(db);
  let q = db.selectFrom("leader_years").select("start_year").orderBy("start_year");
  if (current) q = q.where("start_year", ">=", current.startYear);
  return (await q.execute()).map((r) => r.start_year);
}

/** The person behind an email who holds a live role on an open roster, if any. */
async function leaderOnRoster(db: Db, email: string) {
  const years = await openYears(db);
  if (!years.length) return null;
  const today = londonDateOf(now());
  return db
    .selectFrom("leader_people as p")
    .innerJoin("leader_appointments as a", "a.person_id", "p.id")
    .select(["p.id", "p.name", "p.email"])
    .where("p.email", "=", email)
    .where("a.start_year", "in", years)
    .where((eb) => eb.or([eb("a.ended_on", "is", null), eb("a.ended_on", ">", today)]))
    .limit(1)
    .executeTakeFirst();
}

/**
 * Sends a link to a leader on a current roster; does nothing for anyone else, and nothing more
 * once three links have gone to the same person within an hour. Always answers the same.
 */
export async function requestLeaderLink(db: Db, email: string): Promise<{ message: string }> {
  const answer = { message: LEADER_LINK_REQUESTED };
  const parsed = LeaderLinkRequestSchema.safeParse({ email });
  if (!parsed.success) return answer;
  const person = await leaderOnRoster(db, parsed.data.email);
  if (!person) return answer;

  const token = randomToken(32);
  const issuedAt = now();
  const message = await composeEmail({
    template: "leader-access-link",
    to: { email: person.email, name: person.name },
    subject: "Your leader training record",
    react: LeaderAccessLinkEmail({ name: person.name, url: appUrl(`/leaders/access/${token}`), expiresInHours: LEADER_LINK_LIFETIME_MS / HOUR }),
  });
  await writeTransaction(db, async (trx) => {
    const recent = await trx
      .selectFrom("leader_access_tokens")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("person_id", "=", person.id)
      .where("created_at", ">", addMs(issuedAt, -HOUR).toISOString())
      .executeTakeFirstOrThrow();
    if (Number(recent.n) >= LEADER_LINKS_PER_HOUR) return;
    await trx
      .insertInto("leader_access_tokens")
      .values({
        person_id: person.id,
        token_hash: sha256Hex(token),
        created_at: issuedAt.toISOString(),
        expires_at: addMs(issuedAt, LEADER_LINK_LIFETIME_MS).toISOString(),
        last_used_at: null,
      })
      .execute();
    await enqueueEmail(trx, message);
  });
  return answer;
}

export interface LeaderOwnYear {
  startYear: number;
  label: string;
  deadline: string;
  status: LeaderStatus;
  dueOn: string | null;
  roles: { roleName: string; groupName: string; status: LeaderStatus; dueOn: string; endedOn: string | null }[];
  requirements: {
    courseId: number;
    courseName: string;
    state: RequirementState;
    /** When the training that counts was done. */
    doneOn: string | null;
    validUntil: string | null;
    dueOn: string;
    /** "academic_year" or "24 months". */
    counts: string;
  }[];
}

export interface LeaderOwnRecord {
  status: "valid";
  expiresAt: string;
  person: { name: string; email: string };
  years: LeaderOwnYear[];
  /** Every session attended or recorded, newest first. */
  done: { courseName: string; completedOn: string; how: string }[];
  /** Sessions with places for the courses still needed. */
  sessionsToBook: InductionSession[];
  /** Upcoming sessions they already hold a place on (or wait for). */
  booked: { sessionId: number; title: string; startsAt: string; endsAt: string; status: "registered" | "waiting" }[];
}

export type LeaderAccess = { status: "unknown" | "expired" } | LeaderOwnRecord;

/** What the emailed link shows. It can be opened again and again until it expires. */
export async function leaderByToken(db: Db, token: string): Promise<LeaderAccess> {
  if (!token || token.length > 200) return { status: "unknown" };
  const row = await db
    .selectFrom("leader_access_tokens as t")
    .innerJoin("leader_people as p", "p.id", "t.person_id")
    .select(["t.id", "t.expires_at", "p.id as person_id", "p.name", "p.email", "p.student_id"])
    .where("t.token_hash", "=", sha256Hex(token))
    .executeTakeFirst();
  if (!row) return { status: "unknown" };
  if (row.expires_at <= nowIso()) return { status: "expired" };
  await db.updateTable("leader_access_tokens").set({ last_used_at: nowIso() }).where("id", "=", row.id).execute();

  const years: LeaderOwnYear[] = [];
  const needed = new Set<number>();
  for (const startYear of await openYears(db)) {
    const year = await getLeaderYear(db, startYear);
    if (!year) continue;
    const evaluated = await evaluateYear(db, startYear, { personIds: [row.person_id] });
    const me = evaluated.people.get(row.person_id);
    if (!me) continue;
    for (const r of me.result.requirements) if (r.state === "missing") needed.add(r.courseId);
    years.push({
      startYear,
      label: academicYearLabel(startYear),
      deadline: year.deadline,
      status: me.result.status,
      dueOn: me.result.dueOn,
      roles: me.appointments.map((a) => {
        const r = me.result.appointments.find((x) => x.appointmentId === a.id)!;
        return { roleName: a.roleName, groupName: a.groupName, status: r.status, dueOn: r.dueOn, endedOn: a.endedOn };
      }),
      requirements: me.result.requirements.map((r) => ({
        courseId: r.courseId,
        courseName: r.courseName,
        // An exemption shows as such, without its reason: that stays with the union.
        state: r.state,
        doneOn: r.metBy?.completedOn ?? null,
        validUntil: r.validUntil,
        dueOn: r.dueOn,
        counts: r.validity === "academic_year" ? "this academic year" : plural(r.validityMonths ?? 0, "month"),
      })),
    });
  }

  const [attended, recorded, booked, sessionsToBook] = await Promise.all([
    db
      .selectFrom("registrations as r")
      .innerJoin("sessions as s", "s.id", "r.session_id")
      .innerJoin("courses as c", "c.id", "s.course_id")
      .select(["c.name as course_name", "s.starts_at", "s.title"])
      .where("s.status", "=", "delivered")
      .where("r.attendance", "=", "present")
      .where("r.status", "!=", "cancelled")
      .where((eb) =>
        eb.or([
          eb(eb.fn<string>("lower", ["r.email"]), "=", row.email),
          ...(row.student_id ? [eb(eb.fn<string>("upper", ["r.student_id"]), "=", row.student_id)] : []),
        ]),
      )
      .execute(),
    db
      .selectFrom("leader_completions as lc")
      .innerJoin("courses as c", "c.id", "lc.course_id")
      .select(["c.name as course_name", "lc.completed_on", "lc.source", "lc.provider"])
      .where("lc.person_id", "=", row.person_id)
      .where("lc.withdrawn_at", "is", null)
      .execute(),
    db
      .selectFrom("registrations as r")
      .innerJoin("sessions as s", "s.id", "r.session_id")
      .innerJoin("courses as c", "c.id", "s.course_id")
      .select(["s.id", "s.title", "c.name as course_name", "s.starts_at", "s.ends_at", "r.status"])
      .where("s.status", "=", "scheduled")
      .where("s.starts_at", ">", nowIso())
      .where("r.status", "in", ["registered", "waiting"])
      .where((eb) =>
        eb.or([
          eb(eb.fn<string>("lower", ["r.email"]), "=", row.email),
          ...(row.student_id ? [eb(eb.fn<string>("upper", ["r.student_id"]), "=", row.student_id)] : []),
        ]),
      )
      .orderBy("s.starts_at")
      .execute(),
    nextInductionSessions(db, [...needed], 3, { forEmail: row.email }),
  ]);

  const done = [
    ...attended.map((a) => ({ courseName: a.course_name, completedOn: londonDateOf(a.starts_at), how: `Attended ${a.title ?? a.course_name}` })),
    ...recorded.map((r) => ({
      courseName: r.course_name,
      completedOn: r.completed_on,
      how:
        r.source === "confirmed_match"
          ? "Attended (confirmed by the Students' Union)"
          : `Recorded by the Students' Union${r.provider ? `: ${r.provider}` : ""}`,
    })),
  ].sort((a, b) => (a.completedOn < b.completedOn ? 1 : a.completedOn > b.completedOn ? -1 : 0));

  const bookedIds = new Set(booked.map((b) => b.id));
  return {
    status: "valid",
    expiresAt: row.expires_at,
    person: { name: row.name, email: row.email },
    years,
    done,
    sessionsToBook: sessionsToBook.filter((s) => !bookedIds.has(s.id)),
    booked: booked.map((b) => ({
      sessionId: b.id,
      title: b.title ?? b.course_name,
      startsAt: b.starts_at,
      endsAt: b.ends_at,
      status: b.status as "registered" | "waiting",
    })),
  };
}
