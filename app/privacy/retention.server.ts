import crypto from "node:crypto";
import { sql, type ExpressionBuilder, type SqlBool } from "kysely";
import type { Database, Db } from "#db/schema.ts";
import { writeTransaction } from "#app/utils/transaction.server.ts";
import { recordAudit } from "#app/audit/audit.server.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { academicYear, academicYearStartOf, addDays, londonDateOf, londonDayStart } from "#app/utils/dates.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { HOUR, now, nowIso } from "#app/utils/time.ts";
import {
  DEFAULT_RETENTION,
  dueAt,
  RETENTION_CATEGORIES,
  retentionCutoffs,
  RetentionSchema,
  type RetentionCategory,
  type RetentionPeriods,
} from "./retention.ts";
import { ANONYMISED_NAME, containsPattern, ERASED_BODY, ERASED_NAME, PLACEHOLDER_DOMAIN, REMOVED_BODY } from "./tables.ts";
import { writeSetting } from "#app/settings/settings.server.ts";
import { plural } from "#app/utils/plural.ts";

const KEY = "retention";
const RUN_KEY = "retention_last_run";
/**
 * Random keys, one per academic year, that turn an attendee's address into the same meaningless
 * placeholder on all their registrations of that year, so "people trained" still counts them once.
 * A year's key is deleted when its last registration has been anonymised; from then on nothing
 * can tie the placeholders back to anyone.
 */
const YEAR_KEYS = "retention_year_keys";
/** The server's timer runs every few seconds; retention needs to run no more than hourly. */
const RUN_EVERY_MS = HOUR;

export async function getRetentionPeriods(db: Db): Promise<RetentionPeriods> {
  const row = await db.selectFrom("settings").select("value_json").where("key", "=", KEY).executeTakeFirst();
  if (!row) return DEFAULT_RETENTION;
  const parsed = RetentionSchema.safeParse({ ...DEFAULT_RETENTION, ...JSON.parse(row.value_json) });
  return parsed.success ? parsed.data : DEFAULT_RETENTION;
}

/**
 * The longest "valid for N months" of any leader or staff role's requirement, and whose: attendance
 * must be kept at least that long, or training would stop counting before it lapses.
 */
async function longestValidity(db: Db): Promise<{ months: number; roster: string }> {
  const [leaders, staff] = await Promise.all(
    (["leader_role_requirements", "staff_role_requirements"] as const).map((table) =>
      db
        .selectFrom(table)
        .select((eb) => eb.fn.max("validity_months").as("n"))
        .where("validity", "=", "months")
        .executeTakeFirst(),
    ),
  );
  const leaderMonths = Number(leaders?.n ?? 0);
  const staffMonths = Number(staff?.n ?? 0);
  return staffMonths > leaderMonths ? { months: staffMonths, roster: "a staff role's" } : { months: leaderMonths, roster: "a leader role's" };
}

export async function saveRetentionPeriods(db: Db, actor: SessionUser, periods: RetentionPeriods) {
  const longest = await longestValidity(db);
  if (periods.registrationsMonths < longest.months) {
    throw new RuleViolation(
      "registrationsMonths",
      `Keep registrations for at least ${plural(longest.months, "month")}: ${longest.roster} training counts for ${plural(longest.months, "month")}, and people are matched to their attendance by email`,
    );
  }
  const at = nowIso();
  await writeTransaction(db, async (trx) => {
    await writeSetting(trx, KEY, periods, actor.id, at);
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: "settings.retention_updated",
      entityType: "settings",
      entityId: KEY,
      summary: `${actor.name} changed how long personal data is kept`,
      detail: { ...periods },
    });
  });
}

export type RetentionCounts = Record<RetentionCategory, number>;

const zeroCounts = (): RetentionCounts => ({
  registrations: 0,
  feedbackText: 0,
  emailBodies: 0,
  emailRecipients: 0,
  auditEntries: 0,
  expiredTokens: 0,
  staffLeavers: 0,
});

/** Staff-list entries are dated by the London day someone left: due when that day is before the cutoff's. */
const leftBefore = (cutoff: Date) => londonDateOf(cutoff);

const notAnonymised = sql<SqlBool>`r.name not in (${ANONYMISED_NAME}, ${ERASED_NAME})`;
const bodyStillThere = sql<SqlBool>`html not in (${REMOVED_BODY}, ${ERASED_BODY})`;
const recipientStillThere = sql<SqlBool>`to_address not like ${containsPattern(`@${PLACEHOLDER_DOMAIN}`)} escape '\\'`;
const hasFeedbackText = (eb: ExpressionBuilder<Database, "feedback_responses">) =>
  eb.or([eb("do_differently", "is not", null), eb("comments", "is not", null)]);
/** Mail still being delivered keeps its content until it is sent or given up on. */
const settledMail = ["held", "sent", "failed"] as const;

/** The rows past each period: what the preview counts and what a run takes, by the same query. */
const due = {
  feedbackText: (db: Db, cutoff: string) => db.selectFrom("feedback_responses").where("created_at", "<", cutoff).where(hasFeedbackText),
  emailBodies: (db: Db, cutoff: string) =>
    db.selectFrom("email_messages").where("created_at", "<", cutoff).where("status", "in", settledMail).where(bodyStillThere),
  emailRecipients: (db: Db, cutoff: string) =>
    db.selectFrom("email_messages").where("created_at", "<", cutoff).where("status", "in", settledMail).where(recipientStillThere),
  auditEntries: (db: Db, cutoff: string) => db.selectFrom("audit_events").where("created_at", "<", cutoff),
  expiredTokens: (db: Db, table: TokenTable, cutoff: string) => db.selectFrom(table).where("expires_at", "<", cutoff),
};
const TOKEN_TABLES = ["feedback_tokens", "leader_access_tokens", "email_tokens"] as const;
type TokenTable = (typeof TOKEN_TABLES)[number];
/** A query for the ids of due rows. */
interface IdQuery {
  orderBy(ref: "id"): { limit(n: number): { execute(): Promise<{ id: number }[]> } };
}

export interface RetentionPreviewRow {
  key: RetentionCategory;
  /** Items past their period now: the next run takes them. */
  due: number;
  /** Everything older than this is due. */
  cutoff: string;
  /** When the next item still kept becomes due, if any. */
  nextAt: string | null;
}

/** What the next run will remove, and when the next items after that fall due. */
export async function retentionPreview(db: Db, at: Date = now()): Promise<RetentionPreviewRow[]> {
  const periods = await getRetentionPeriods(db);
  const cut = retentionCutoffs(periods, at);
  const iso = (k: RetentionCategory) => cut[k].toISOString();
  const count = sql<number>`count(*)`.as("n");

  const registrations = () => db.selectFrom("registrations as r").innerJoin("sessions as s", "s.id", "r.session_id").where(notAnonymised);
  const [reg, regNext, fb, fbNext, body, bodyNext, rcpt, rcptNext, audit, auditNext, tokens, tokensNext, leavers, leaversNext] = await Promise.all([
    registrations().select(count).where("s.starts_at", "<", iso("registrations")).executeTakeFirstOrThrow(),
    registrations()
      .select((eb) => eb.fn.min("s.starts_at").as("d"))
      .where("s.starts_at", ">=", iso("registrations"))
      .executeTakeFirstOrThrow(),
    due.feedbackText(db, iso("feedbackText")).select(count).executeTakeFirstOrThrow(),
    db
      .selectFrom("feedback_responses")
      .select((eb) => eb.fn.min("created_at").as("d"))
      .where("created_at", ">=", iso("feedbackText"))
      .where(hasFeedbackText)
      .executeTakeFirstOrThrow(),
    due.emailBodies(db, iso("emailBodies")).select(count).executeTakeFirstOrThrow(),
    db
      .selectFrom("email_messages")
      .select((eb) => eb.fn.min("created_at").as("d"))
      .where("created_at", ">=", iso("emailBodies"))
      .executeTakeFirstOrThrow(),
    due.emailRecipients(db, iso("emailRecipients")).select(count).executeTakeFirstOrThrow(),
    db
      .selectFrom("email_messages")
      .select((eb) => eb.fn.min("created_at").as("d"))
      .where("created_at", ">=", iso("emailRecipients"))
      .executeTakeFirstOrThrow(),
    due.auditEntries(db, iso("auditEntries")).select(count).executeTakeFirstOrThrow(),
    db
      .selectFrom("audit_events")
      .select((eb) => eb.fn.min("created_at").as("d"))
      .where("created_at", ">=", iso("auditEntries"))
      .executeTakeFirstOrThrow(),
    Promise.all(TOKEN_TABLES.map((t) => due.expiredTokens(db, t, iso("expiredTokens")).select(count).executeTakeFirstOrThrow())),
    Promise.all(
      TOKEN_TABLES.map((t) =>
        db
          .selectFrom(t)
          .select((eb) => eb.fn.min("expires_at").as("d"))
          .where("expires_at", ">=", iso("expiredTokens"))
          .executeTakeFirstOrThrow(),
      ),
    ),
    db.selectFrom("staff_members").select(count).where("ended_on", "<", leftBefore(cut.staffLeavers)).executeTakeFirstOrThrow(),
    db
      .selectFrom("staff_members")
      .select((eb) => eb.fn.min("ended_on").as("d"))
      .where("ended_on", ">=", leftBefore(cut.staffLeavers))
      .executeTakeFirstOrThrow(),
  ]);
  const n = (row: { n: unknown }) => Number(row.n);
  const next = (key: RetentionCategory, d: unknown) => (typeof d === "string" && d ? dueAt(key, d, periods).toISOString() : null);
  const earliest = (rows: { d: unknown }[]) =>
    rows
      .map((r) => r.d)
      .filter((d): d is string => typeof d === "string" && !!d)
      .sort()[0];
  const rows: Record<RetentionCategory, Omit<RetentionPreviewRow, "key" | "cutoff">> = {
    registrations: { due: n(reg), nextAt: next("registrations", regNext.d) },
    feedbackText: { due: n(fb), nextAt: next("feedbackText", fbNext.d) },
    emailBodies: { due: n(body), nextAt: next("emailBodies", bodyNext.d) },
    emailRecipients: { due: n(rcpt), nextAt: next("emailRecipients", rcptNext.d) },
    auditEntries: { due: n(audit), nextAt: next("auditEntries", auditNext.d) },
    expiredTokens: { due: tokens.reduce((sum, r) => sum + n(r), 0), nextAt: next("expiredTokens", earliest(tokensNext)) },
    staffLeavers: {
      due: n(leavers),
      nextAt: typeof leaversNext.d === "string" ? dueAt("staffLeavers", londonDayStart(addDays(leaversNext.d, 1)), periods).toISOString() : null,
    },
  };
  return RETENTION_CATEGORIES.map((c) => ({ key: c.key, cutoff: cut[c.key].toISOString(), ...rows[c.key] }));
}

export interface RetentionRun {
  at: string;
  counts: RetentionCounts;
}

export async function lastRetentionRun(db: Db): Promise<RetentionRun | null> {
  const row = await db.selectFrom("settings").select("value_json").where("key", "=", RUN_KEY).executeTakeFirst();
  return row ? (JSON.parse(row.value_json) as RetentionRun) : null;
}

/** Runs retention when it has not run in the last hour; what the job timer calls. */
export async function applyRetentionIfDue(db: Db): Promise<RetentionCounts | null> {
  const last = await lastRetentionRun(db);
  if (last && now().getTime() - new Date(last.at).getTime() < RUN_EVERY_MS) return null;
  return applyRetention(db);
}

/**
 * Applies every retention period, in batches of `batchSize` rows, each batch its own short write
 * transaction so sign-ups and registers never wait long. Rows that reports count are anonymised,
 * never deleted. Safe to run twice at once: a batch only takes rows still due inside its transaction.
 */
export async function applyRetention(db: Db, opts: { batchSize?: number; maxBatches?: number } = {}): Promise<RetentionCounts> {
  const batchSize = opts.batchSize ?? 500;
  const maxBatches = opts.maxBatches ?? 50;
  const at = now();
  const periods = await getRetentionPeriods(db);
  const cut = retentionCutoffs(periods, at);
  const iso = (k: RetentionCategory) => cut[k].toISOString();
  const counts = zeroCounts();

  const inBatches = async (key: RetentionCategory, batch: (trx: Db) => Promise<number>) => {
    for (let i = 0; i < maxBatches; i++) {
      const done = await writeTransaction(db, batch);
      counts[key] += done;
      if (done < batchSize) break;
    }
  };
  /** Takes the due rows a batch at a time, lowest id first, and changes or deletes just those. */
  const takeDue = (key: RetentionCategory, dueIds: (trx: Db) => IdQuery, change: (trx: Db, ids: number[]) => Promise<unknown>) =>
    inBatches(key, async (trx) => {
      const ids = (await dueIds(trx).orderBy("id").limit(batchSize).execute()).map((r) => r.id);
      if (ids.length) await change(trx, ids);
      return ids.length;
    });

  await inBatches("registrations", (trx) => anonymiseRegistrations(trx, iso("registrations"), batchSize));
  await forgetFinishedYears(db, cut.registrations);
  await takeDue(
    "feedbackText",
    (trx) => due.feedbackText(trx, iso("feedbackText")).select("id"),
    (trx, ids) => trx.updateTable("feedback_responses").set({ do_differently: null, comments: null }).where("id", "in", ids).execute(),
  );
  await takeDue(
    "emailBodies",
    (trx) => due.emailBodies(trx, iso("emailBodies")).select("id"),
    (trx, ids) =>
      trx
        .updateTable("email_messages")
        .set({ raw_mime: REMOVED_BODY, html: REMOVED_BODY, text: REMOVED_BODY, attachments_json: "[]" })
        .where("id", "in", ids)
        .execute(),
  );
  await takeDue(
    "emailRecipients",
    (trx) => due.emailRecipients(trx, iso("emailRecipients")).select("id"),
    (trx, ids) =>
      trx
        .updateTable("email_messages")
        .set({ to_address: sql<string>`'removed-' || cast(id as text) || ${`@${PLACEHOLDER_DOMAIN}`}`, to_name: null })
        .where("id", "in", ids)
        .execute(),
  );
  await takeDue(
    "auditEntries",
    (trx) => due.auditEntries(trx, iso("auditEntries")).select("id"),
    (trx, ids) => trx.deleteFrom("audit_events").where("id", "in", ids).execute(),
  );
  for (const table of TOKEN_TABLES) {
    await takeDue(
      "expiredTokens",
      (trx) => due.expiredTokens(trx, table, iso("expiredTokens")).select("id"),
      (trx, ids) => trx.deleteFrom(table).where("id", "in", ids).execute(),
    );
  }

  // Someone long gone from a venue: their staff-list entry goes, and with it what was recorded about them.
  await inBatches("staffLeavers", async (trx) => {
    const ids = await trx
      .selectFrom("staff_members")
      .select("id")
      .where("ended_on", "<", leftBefore(cut.staffLeavers))
      .orderBy("id")
      .limit(batchSize)
      .execute();
    if (ids.length)
      await trx
        .deleteFrom("staff_members")
        .where(
          "id",
          "in",
          ids.map((r) => r.id),
        )
        .execute();
    return ids.length;
  });

  const run: RetentionRun = { at: at.toISOString(), counts };
  const value_json = JSON.stringify(run);
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  await writeTransaction(db, async (trx) => {
    await trx
      .insertInto("settings")
      .values({ key: RUN_KEY, value_json, updated_at: run.at, updated_by: null })
      .onConflict((oc) => oc.column("key").doUpdateSet({ value_json, updated_at: run.at }))
      .execute();
    // A run that found nothing due is not worth an entry every hour.
    if (total > 0) {
      await recordAudit(trx, {
        actorUserId: null,
        action: "privacy.retention_applied",
        entityType: "settings",
        entityId: KEY,
        summary: `Retention periods applied: ${plural(total, "item")} anonymised, removed or deleted`,
        detail: { ...counts },
      });
    }
  });
  return counts;
}

async function readYearKeys(db: Db): Promise<Record<string, string>> {
  const row = await db.selectFrom("settings").select("value_json").where("key", "=", YEAR_KEYS).executeTakeFirst();
  return row ? (JSON.parse(row.value_json) as Record<string, string>) : {};
}

async function writeYearKeys(db: Db, keys: Record<string, string>) {
  const at = nowIso();
  if (Object.keys(keys).length === 0) {
    await db.deleteFrom("settings").where("key", "=", YEAR_KEYS).execute();
    return;
  }
  const value_json = JSON.stringify(keys);
  await db
    .insertInto("settings")
    .values({ key: YEAR_KEYS, value_json, updated_at: at, updated_by: null })
    .onConflict((oc) => oc.column("key").doUpdateSet({ value_json, updated_at: at }))
    .execute();
}

async function anonymiseRegistrations(trx: Db, cutoff: string, batchSize: number): Promise<number> {
  const rows = await trx
    .selectFrom("registrations as r")
    .innerJoin("sessions as s", "s.id", "r.session_id")
    .select(["r.id", "r.email", "r.student_id", "s.starts_at"])
    .where("s.starts_at", "<", cutoff)
    .where(notAnonymised)
    .orderBy("r.id")
    .limit(batchSize)
    .execute();
  if (rows.length === 0) return 0;
  const keys = await readYearKeys(trx);
  let newKey = false;
  // The person the report counts (their address, else their student ID), the same within a year whatever the batch.
  const groups = new Map<string, number[]>();
  for (const r of rows) {
    const person = r.email ? r.email.toLowerCase() : r.student_id ? `sid:${r.student_id.toUpperCase()}` : null;
    let placeholder = "";
    if (person) {
      const year = String(academicYearStartOf(r.starts_at));
      if (!keys[year]) {
        keys[year] = crypto.randomBytes(32).toString("hex");
        newKey = true;
      }
      const digest = crypto.createHmac("sha256", keys[year]).update(person).digest("hex").slice(0, 24);
      placeholder = `anon-${digest}@${PLACEHOLDER_DOMAIN}`;
    }
    groups.set(placeholder, [...(groups.get(placeholder) ?? []), r.id]);
  }
  if (newKey) await writeYearKeys(trx, keys);
  for (const [placeholder, ids] of groups) {
    await trx
      .updateTable("registrations")
      .set({ name: ANONYMISED_NAME, email: placeholder || null, student_id: null, accessibility_needs: null, answer: null, manage_token_hash: null })
      .where("id", "in", ids)
      .execute();
  }
  return rows.length;
}

/** Deletes the key of every academic year that has ended before the cutoff and has no attendee left to anonymise. */
async function forgetFinishedYears(db: Db, cutoff: Date) {
  await writeTransaction(db, async (trx) => {
    const keys = await readYearKeys(trx);
    let changed = false;
    for (const year of Object.keys(keys)) {
      const period = academicYear(Number(year));
      if (period.end > cutoff) continue;
      const left = await trx
        .selectFrom("registrations as r")
        .innerJoin("sessions as s", "s.id", "r.session_id")
        .select("r.id")
        .where("s.starts_at", ">=", period.start.toISOString())
        .where("s.starts_at", "<", period.end.toISOString())
        .where(notAnonymised)
        .limit(1)
        .executeTakeFirst();
      if (!left) {
        delete keys[year];
        changed = true;
      }
    }
    if (changed) await writeYearKeys(trx, keys);
  });
}
