import LeaderDigestEmail, { type DigestLine } from "#emails/leader-digest.tsx";
import LeaderReminderGroupEmail from "#emails/leader-reminder-group.tsx";
import LeaderReminderEmail from "#emails/leader-reminder.tsx";
import type { ExpressionBuilder } from "kysely";
import type { Database, Db } from "#db/schema.ts";
import { writeTransaction } from "#app/utils/transaction.server.ts";
import { recordAudit } from "#app/audit/audit.server.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { composeEmail, enqueueEmail, sendEmail, type ComposedEmail } from "#app/email/outbox.server.ts";
import { appUrl } from "#app/scheduling/notifications.server.ts";
import { cachedByRecords } from "#app/utils/record-cache.server.ts";
import { academicYearLabel, formatDay, formatRange, londonWeekOf } from "#app/utils/dates.ts";
import { addMs, DAY, HOUR, now, nowIso } from "#app/utils/time.ts";
import { complianceForYear } from "./roster.server.ts";
import { nearMisses } from "./near-misses.server.ts";
import { parseInput } from "#app/roster/input.ts";
import { evaluateYear, type EvaluatedLeader } from "./facts.server.ts";
import { currentLeaderYear } from "./roles.server.ts";
import { ReminderSchema, type ReminderInput } from "./schemas.ts";
import { plural } from "#app/utils/plural.ts";

/** Where officers see compliance, and where a leader asks for their own link. */
export const LEADERS_DASHBOARD_PATH = "/officer/leaders";
export const LEADER_ACCESS_REQUEST_PATH = "/leaders/access";

// ---- The next sessions a leader can book ------------------------------------------------------

export interface InductionSession {
  id: number;
  title: string | null;
  courseId: number;
  courseName: string;
  startsAt: string;
  endsAt: string;
  where: string;
  capacity: number;
  registered: number;
  seatsLeft: number;
  signupDeadline: string | null;
  signupDomain: string | null;
  /** The public sign-up page. */
  url: string;
}

/**
 * Open sessions of these courses still taking sign-ups (scheduled, ahead, before their deadline,
 * not invitation-only) with places left: soonest first, at most `limit` per course. One query, kept
 * until a record changes.
 * With `forEmail`, sessions limited to another email domain are left out.
 */
const takenQuery = (eb: ExpressionBuilder<Database & { s: Database["sessions"] }, "s">) =>
  eb
    .selectFrom("registrations as k")
    .select((e) => e.fn.countAll<number>().as("n"))
    .whereRef("k.session_id", "=", "s.id")
    .where("k.status", "=", "registered");

export async function nextInductionSessions(db: Db, courseIds: readonly number[], limit = 3, opts: { forEmail?: string } = {}): Promise<InductionSession[]> {
  if (!courseIds.length) return [];
  const at = nowIso();
  const ids = [...new Set(courseIds)].sort((x, y) => x - y);
  // Kept until a record changes: time passing only ever takes a session out (it starts, or its
  // sign-up closes), and that is checked here at every read.
  const ahead = await cachedByRecords(db, JSON.stringify(["induction-sessions-ahead", ids]), ["sessions", "registrations", "reference"], () =>
    readSessionsAhead(db, ids),
  );
  const rows = ahead.filter((r) => r.starts_at > at && (r.signup_deadline === null || r.signup_deadline > at));
  const perCourse = new Map<number, number>();
  const out: InductionSession[] = [];
  for (const r of rows) {
    if (opts.forEmail && r.signup_policy === "domain" && r.signup_domain && !opts.forEmail.endsWith(`@${r.signup_domain}`)) continue;
    const n = perCourse.get(r.course_id) ?? 0;
    if (n >= limit) continue;
    perCourse.set(r.course_id, n + 1);
    const registered = Number(r.taken);
    out.push({
      id: r.id,
      title: r.title,
      courseId: r.course_id,
      courseName: r.course_name,
      startsAt: r.starts_at,
      endsAt: r.ends_at,
      where: r.room_name ? `${r.room_name}, ${r.building}` : (r.address ?? ""),
      capacity: r.capacity,
      registered,
      seatsLeft: r.capacity - registered,
      signupDeadline: r.signup_deadline,
      signupDomain: r.signup_policy === "domain" ? r.signup_domain : null,
      url: appUrl(`/sessions/open/${r.id}`),
    });
  }
  return out;
}

function readSessionsAhead(db: Db, courseIds: readonly number[]) {
  const at = nowIso();
  return db
    .selectFrom("sessions as s")
    .innerJoin("courses as c", "c.id", "s.course_id")
    .leftJoin("rooms as r", "r.id", "s.room_id")
    .select((eb) => [
      "s.id",
      "s.title",
      "s.course_id",
      "c.name as course_name",
      "s.starts_at",
      "s.ends_at",
      "s.capacity",
      "s.address",
      "s.signup_deadline",
      "s.signup_policy",
      "s.signup_domain",
      "r.name as room_name",
      "r.building",
      // Counted for each upcoming session by its own index, not for every register ever kept.
      takenQuery(eb).as("taken"),
    ])
    .where("s.kind", "=", "open")
    .where("s.status", "=", "scheduled")
    .where("s.starts_at", ">", at)
    .where((eb) => eb.or([eb("s.signup_deadline", "is", null), eb("s.signup_deadline", ">", at)]))
    .where("s.signup_policy", "!=", "list")
    .where("s.course_id", "in", courseIds)
    .where((eb) => eb("s.capacity", ">", takenQuery(eb)))
    .orderBy("s.starts_at")
    .orderBy("s.id")
    .execute();
}

// ---- Reminders --------------------------------------------------------------------------------

export interface ReminderPerson {
  personId: number;
  name: string;
  email: string;
}

export interface ReminderReport {
  sent: ReminderPerson[];
  /** Reminded within the interval: not reminded again. */
  skippedRecent: (ReminderPerson & { lastSentAt: string })[];
  /** Chosen, but with nothing to do (compliant, role ended, or not on this year's roster). */
  skippedNothingDue: ReminderPerson[];
  presidentsCopied: number;
}

const roleLine = (a: { roleName: string; groupName: string }) => (a.groupName ? `${a.roleName} (${a.groupName})` : a.roleName);

function liveAppointmentsMissing(person: EvaluatedLeader) {
  return person.appointments.filter((a) => {
    const r = person.result.appointments.find((x) => x.appointmentId === a.id);
    return r && r.status !== "ended" && r.status !== "compliant";
  });
}

/** Who a reminder would reach, and who would be left out and why: the same choice `sendReminders` makes. */
export interface ReminderPlan {
  toSend: EvaluatedLeader[];
  skippedRecent: ReminderReport["skippedRecent"];
  skippedNothingDue: ReminderPerson[];
  asOf: string;
}

/** The last reminder of each of these people sent within the interval. */
async function recentlyReminded(db: Db, ids: readonly number[], minIntervalDays: number) {
  if (!ids.length) return new Map<number, string>();
  const since = addMs(now(), -minIntervalDays * DAY).toISOString();
  const rows = await db
    .selectFrom("leader_reminders")
    .select((eb) => ["person_id", eb.fn.max("sent_at").as("last")])
    .where("person_id", "in", ids)
    .where("sent_at", ">", since)
    .groupBy("person_id")
    .execute();
  return new Map(rows.map((r) => [r.person_id, r.last as string]));
}

/**
 * Works out who would be reminded, without sending anything: everyone overdue (or the chosen people
 * with something still to do), less those reminded within the interval. The page shows it before
 * the officer confirms; `sendReminders` makes the same choice and checks the interval again as it writes.
 */
export async function planReminders(db: Db, startYear: number, input: ReminderInput): Promise<ReminderPlan> {
  const v = parseInput(ReminderSchema, input);
  const chosen = v.to === "overdue" ? undefined : [...new Set(v.to)];
  const evaluated = await evaluateYear(db, startYear, { personIds: chosen });

  const skippedNothingDue: ReminderPerson[] = [];
  let targets: EvaluatedLeader[];
  if (chosen) {
    targets = [];
    const offRoster = chosen.filter((id) => !evaluated.people.has(id));
    const names = offRoster.length
      ? new Map(
          (await db.selectFrom("leader_people").select(["id", "name", "email"]).where("id", "in", offRoster.slice(0, 1000)).execute()).map((p) => [p.id, p]),
        )
      : new Map<number, { name: string; email: string }>();
    for (const id of chosen) {
      const person = evaluated.people.get(id);
      const known = person ?? names.get(id);
      if (person && person.result.status !== "compliant" && person.result.status !== "ended") targets.push(person);
      else if (known) skippedNothingDue.push({ personId: id, name: known.name, email: known.email });
    }
  } else {
    targets = [...evaluated.people.values()].filter((p) => p.result.status === "overdue");
  }

  const recent = await recentlyReminded(
    db,
    targets.map((t) => t.personId),
    v.minIntervalDays,
  );
  const skippedRecent: ReminderReport["skippedRecent"] = [];
  const toSend = targets.filter((t) => {
    const last = recent.get(t.personId);
    if (last) skippedRecent.push({ personId: t.personId, name: t.name, email: t.email, lastSentAt: last });
    return !last;
  });
  return { toSend, skippedRecent, skippedNothingDue, asOf: evaluated.asOf };
}

/**
 * Emails each chosen leader (by default everyone overdue) what they still need, with the next
 * sessions that have places. Nobody is reminded twice within `minIntervalDays`, whoever sends it;
 * each reminder is recorded. With `copyPresidents`, each group's president gets one summary.
 */
export async function sendReminders(db: Db, actor: SessionUser | null, startYear: number, input: ReminderInput): Promise<ReminderReport> {
  const v = parseInput(ReminderSchema, input);
  const yearLabel = academicYearLabel(startYear);
  const { toSend, skippedRecent, skippedNothingDue, asOf } = await planReminders(db, startYear, v);

  // The sessions for every course anyone needs, in one query; each person sees their own.
  const neededCourses = new Set(toSend.flatMap((t) => t.result.requirements.filter((r) => r.state === "missing").map((r) => r.courseId)));
  const sessions = await nextInductionSessions(db, [...neededCourses], 10);
  const statusUrl = appUrl(LEADER_ACCESS_REQUEST_PATH);
  const reminderFor = (person: EvaluatedLeader) => {
    const missing = person.result.requirements.filter((r) => r.state === "missing");
    const mine = sessions.filter((s) => !s.signupDomain || person.email.endsWith(`@${s.signupDomain}`));
    return composeEmail({
      template: "leader-reminder",
      to: { email: person.email, name: person.name },
      subject: person.result.status === "overdue" ? `Overdue: your ${yearLabel} leader training` : `Reminder: your ${yearLabel} leader training`,
      react: LeaderReminderEmail({
        name: person.name,
        roles: liveAppointmentsMissing(person).map(roleLine),
        yearLabel,
        dueOn: formatDay(person.result.dueOn!),
        overdue: person.result.status === "overdue",
        courses: missing.map((m) => ({
          course: m.courseName,
          sessions: mine
            .filter((s) => s.courseId === m.courseId)
            .slice(0, 3)
            .map((s) => ({ when: formatRange(s.startsAt, s.endsAt), where: s.where, seatsLeft: s.seatsLeft, url: s.url })),
        })),
        statusUrl,
      }),
    });
  };

  // In batches: each is composed, then written in one transaction that checks the interval again,
  // so two officers pressing send at once still remind each person once, and a long list neither
  // holds every message in memory nor the write lock for long.
  const sent: EvaluatedLeader[] = [];
  for (let i = 0; i < toSend.length; i += REMINDER_BATCH) {
    const batch = toSend.slice(i, i + REMINDER_BATCH);
    const messages = await Promise.all(batch.map(reminderFor));
    await writeTransaction(db, async (trx) => {
      const raced = await recentlyReminded(
        trx,
        batch.map((t) => t.personId),
        v.minIntervalDays,
      );
      const at = nowIso();
      for (const [k, person] of batch.entries()) {
        const last = raced.get(person.personId);
        if (last) {
          skippedRecent.push({ personId: person.personId, name: person.name, email: person.email, lastSentAt: last });
          continue;
        }
        const messageId = await enqueueEmail(trx, messages[k]!);
        await trx
          .insertInto("leader_reminders")
          .values({ person_id: person.personId, start_year: startYear, sent_at: at, sent_by: actor?.id ?? null, email_message_id: messageId })
          .execute();
        sent.push(person);
      }
    });
  }

  // One copy per president, listing the people in their group who were reminded.
  let presidentsCopied = 0;
  if (v.copyPresidents && sent.length) {
    const byGroup = new Map<string, { person: EvaluatedLeader; role: string }[]>();
    for (const person of sent) {
      for (const a of liveAppointmentsMissing(person)) {
        if (!a.groupName) continue;
        const list = byGroup.get(a.groupName) ?? [];
        list.push({ person, role: a.roleName });
        byGroup.set(a.groupName, list);
      }
    }
    const presidents = byGroup.size
      ? await db
          .selectFrom("leader_appointments as a")
          .innerJoin("leader_people as p", "p.id", "a.person_id")
          .select(["p.id", "p.name", "p.email", "a.group_name"])
          .where("a.start_year", "=", startYear)
          .where("a.is_president", "=", 1)
          .where((eb) => eb.or([eb("a.ended_on", "is", null), eb("a.ended_on", ">", asOf)]))
          .where("a.group_name", "in", [...byGroup.keys()].slice(0, 1000))
          .execute()
      : [];
    const seen = new Set<string>();
    for (const p of presidents) {
      const key = `${p.id}|${p.group_name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const members = byGroup.get(p.group_name)!.filter((m) => m.person.personId !== p.id);
      if (!members.length) continue;
      await sendEmail(db, {
        template: "leader-reminder-group",
        to: { email: p.email, name: p.name },
        subject: `Leader training in ${p.group_name}: ${members.length} still to do`,
        react: LeaderReminderGroupEmail({
          name: p.name,
          groupName: p.group_name,
          yearLabel,
          people: members.map((m) => ({
            name: m.person.name,
            role: m.role,
            missing: m.person.result.requirements.filter((r) => r.state === "missing").map((r) => r.courseName),
            dueOn: formatDay(m.person.result.dueOn!),
            overdue: m.person.result.status === "overdue",
          })),
        }),
      });
      presidentsCopied++;
    }
  }

  if (sent.length || skippedRecent.length) {
    await recordAudit(db, {
      actorUserId: actor?.id ?? null,
      action: "leader.reminders_sent",
      entityType: "leader_year",
      entityId: startYear,
      summary: `${actor?.name ?? "The system"} reminded ${plural(sent.length, "leader")} about ${yearLabel} training${
        skippedRecent.length ? ` (${skippedRecent.length} reminded recently, left out)` : ""
      }${presidentsCopied ? `; ${plural(presidentsCopied, "president")} copied` : ""}`,
      detail: {
        to: v.to === "overdue" ? "overdue" : "chosen",
        sent: sent.map((s) => s.personId),
        skippedRecent: skippedRecent.map((s) => s.personId),
        presidentsCopied,
      },
    });
  }
  const person = (p: EvaluatedLeader): ReminderPerson => ({ personId: p.personId, name: p.name, email: p.email });
  return { sent: sent.map(person), skippedRecent, skippedNothingDue, presidentsCopied };
}

/** Reminders are composed and written this many at a time. */
const REMINDER_BATCH = 100;

// ---- The weekly digest ------------------------------------------------------------------------

const DIGEST_SETTING = "leaders.weekly_digest";
/** The digest goes out on the first run after Monday 08:00 London time. */
const DIGEST_FROM_HOURS_INTO_WEEK = 8;

/**
 * A summary of the current roster year to every active union officer, once a week. Safe to call on
 * every run of the job timer: it sends only when this week's digest has not gone yet.
 * Returns how many officers were emailed.
 */
export async function weeklyDigest(db: Db, opts: { force?: boolean } = {}): Promise<number> {
  const at = now();
  const week = londonWeekOf(at);
  if (!opts.force && at.getTime() < week.start.getTime() + DIGEST_FROM_HOURS_INTO_WEEK * HOUR) return 0;
  const weekKey = week.start.toISOString();
  const last = await db.selectFrom("settings").select("value_json").where("key", "=", DIGEST_SETTING).executeTakeFirst();
  if (!opts.force && last && (JSON.parse(last.value_json) as { week?: string }).week === weekKey) return 0;

  const year = await currentLeaderYear(db, at);
  const officers = await db
    .selectFrom("users")
    .innerJoin("user_roles", "user_roles.user_id", "users.id")
    .select(["users.id", "users.email", "users.name"])
    .where("user_roles.role", "=", "officer")
    .where("users.is_active", "=", 1)
    .execute();

  const emails: ComposedEmail[] = [];
  if (year && officers.length) {
    // Only the counts: no rows.
    const report = await complianceForYear(db, year.startYear, { asOf: at, limit: 0 });
    const misses = (await nearMisses(db, year.startYear, { asOf: at })).length;
    const o = report.summary.overall;
    const toLine = (label: string, c: { compliant: number; total: number; ended: number; overdue: number; percentCompliant: number | null }): DigestLine => ({
      label,
      compliant: c.compliant,
      total: c.total - c.ended,
      overdue: c.overdue,
      percent: c.percentCompliant,
    });
    const props = {
      yearLabel: report.year.label,
      deadline: formatDay(year.deadline),
      overall: { total: o.total - o.ended, compliant: o.compliant, overdue: o.overdue, dueSoon: o.due_soon, due: o.due, percent: o.percentCompliant },
      byRole: report.summary.byRole.map((r) => toLine(r.roleName, r)),
      groupsBehind: report.summary.byGroup
        .filter((g) => g.overdue > 0 && g.groupName)
        .sort((a, b) => b.overdue - a.overdue || a.groupName.localeCompare(b.groupName))
        .slice(0, 5)
        .map((g) => toLine(g.groupName, g)),
      nearMisses: misses,
      dashboardUrl: appUrl(LEADERS_DASHBOARD_PATH),
    };
    for (const officer of officers) {
      emails.push(
        await composeEmail({
          template: "leader-digest",
          to: { email: officer.email, name: officer.name },
          subject: `Leader training this week: ${props.overall.percent ?? 0}% compliant, ${props.overall.overdue} overdue`,
          react: LeaderDigestEmail({ name: officer.name, ...props }),
        }),
      );
    }
  }

  return writeTransaction(db, async (trx) => {
    // Claimed inside the write lock: two job runners at once send one digest.
    const again = await trx.selectFrom("settings").select("value_json").where("key", "=", DIGEST_SETTING).executeTakeFirst();
    if (!opts.force && again && (JSON.parse(again.value_json) as { week?: string }).week === weekKey) return 0;
    const value_json = JSON.stringify({ week: weekKey, sentAt: at.toISOString(), officers: emails.length });
    await trx
      .insertInto("settings")
      .values({ key: DIGEST_SETTING, value_json, updated_at: at.toISOString(), updated_by: null })
      .onConflict((oc) => oc.column("key").doUpdateSet({ value_json, updated_at: at.toISOString() }))
      .execute();
    for (const email of emails) await enqueueEmail(trx, email);
    return emails.length;
  });
}
