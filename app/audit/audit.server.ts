import { sql, type Kysely, type RawBuilder, type SqlBool, type Transaction } from "kysely";
import type { Database } from "#db/schema.ts";
import { londonWallTimeToUtc } from "#app/utils/dates.ts";
import { nowIso } from "#app/utils/time.ts";
import { AUDIT_CATEGORIES, AUDIT_CATEGORY_KEYS, categoryOf, type AuditCategory } from "./categories.ts";
import { AuditLogQuerySchema, type AuditLogQuery } from "./schemas.ts";

export interface AuditEntry {
  actorUserId: number | null;
  action: string; // e.g. "user.invited", "user.roles_changed", "course.updated"
  entityType: string;
  entityId: string | number | null;
  summary: string;
  detail?: Record<string, unknown>;
}

/**
 * Keys that name a credential. The audit log is read by people who must never see one, and it is
 * kept for years, so a detail carrying any of these loses the key whatever called recordAudit.
 */
const SECRET_KEY = /(password|passwd|secret|token|tokenhash|apikey|cookie|hash|otp)$|password|secret/;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key.toLowerCase().replace(/[^a-z]/g, ""));
}

/** The detail with every credential-named key removed, at any depth. */
export function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (value && typeof value === "object" && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([k]) => !isSecretKey(k))
        .map(([k, v]) => [k, withoutSecrets(v)]),
    );
  }
  return value;
}

/** Who changed what, when. Call it inside the transaction that makes the change. */
export async function recordAudit(db: Kysely<Database> | Transaction<Database>, entry: AuditEntry) {
  await db
    .insertInto("audit_events")
    .values({
      actor_user_id: entry.actorUserId,
      action: entry.action,
      entity_type: entry.entityType,
      entity_id: entry.entityId === null ? null : String(entry.entityId),
      summary: entry.summary,
      detail_json: entry.detail ? JSON.stringify(withoutSecrets(entry.detail)) : null,
      created_at: nowIso(),
    })
    .execute();
}

/**
 * For events that change nothing else (a refusal, a failed sign-in): written on its own, and a
 * failure to write it never changes the answer the person gets.
 */
export async function recordAuditQuietly(db: Kysely<Database>, entry: AuditEntry) {
  try {
    await recordAudit(db, entry);
  } catch (err) {
    console.warn(`Could not record audit event ${entry.action}:`, err);
  }
}

// ---- Reading ------------------------------------------------------------------------------------

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

function inCategory(category: AuditCategory): RawBuilder<SqlBool> {
  const matches = AUDIT_CATEGORIES[category].actions.map((a) =>
    a.endsWith(".*") ? sql<SqlBool>`a.action like ${`${likeEscape(a.slice(0, -1))}%`} escape '\\'` : sql<SqlBool>`a.action = ${a}`,
  );
  const base = sql<SqlBool>`(${sql.join(matches, sql` or `)})`;
  // Exact names claimed by another category are not also listed under a prefix here.
  const claimedElsewhere = AUDIT_CATEGORY_KEYS.filter((k) => k !== category)
    .flatMap((k) => AUDIT_CATEGORIES[k].actions as readonly string[])
    .filter((a) => !a.endsWith(".*"));
  return claimedElsewhere.length ? sql<SqlBool>`(${base} and a.action not in (${sql.join(claimedElsewhere)}))` : base;
}

export interface AuditFilter {
  category?: AuditCategory;
  /** Part of the actor's email address or name. */
  actor?: string;
  /** Part of the summary, or what it was about ("user 12", "session"). */
  subject?: string;
  /** ISO instants: from inclusive, until exclusive. */
  from?: string;
  until?: string;
  /** Keyset: only entries older than this id. */
  before?: number;
  limit?: number;
}

export async function searchAuditEvents(db: Kysely<Database>, filter: AuditFilter = {}) {
  const limit = filter.limit ?? 50;
  let q = db
    .selectFrom("audit_events as a")
    .leftJoin("users as u", "u.id", "a.actor_user_id")
    .select([
      "a.id",
      "a.action",
      "a.entity_type",
      "a.entity_id",
      "a.summary",
      "a.detail_json",
      "a.created_at",
      "u.name as actor_name",
      "u.email as actor_email",
    ])
    .orderBy("a.id", "desc")
    .limit(limit + 1);
  if (filter.category) {
    const category = filter.category;
    q = q.where(inCategory(category));
  }
  if (filter.actor) {
    const pattern = `%${likeEscape(filter.actor.toLowerCase())}%`;
    q = q.where((eb) => eb.or([sql<SqlBool>`lower(u.email) like ${pattern} escape '\\'`, sql<SqlBool>`lower(u.name) like ${pattern} escape '\\'`]));
  }
  if (filter.subject) {
    const pattern = `%${likeEscape(filter.subject.toLowerCase())}%`;
    q = q.where((eb) =>
      eb.or([
        sql<SqlBool>`lower(a.summary) like ${pattern} escape '\\'`,
        sql<SqlBool>`lower(a.entity_type || ' ' || coalesce(a.entity_id, '')) like ${pattern} escape '\\'`,
      ]),
    );
  }
  if (filter.from) q = q.where("a.created_at", ">=", filter.from);
  if (filter.until) q = q.where("a.created_at", "<", filter.until);
  if (filter.before) q = q.where("a.id", "<", filter.before);
  const rows = await q.execute();
  const events = rows.slice(0, limit).map(({ detail_json, ...e }) => ({
    ...e,
    category: categoryOf(e.action),
    detail: detail_json ? (JSON.parse(detail_json) as Record<string, unknown>) : null,
  }));
  return { events, olderThan: rows.length > limit ? events[events.length - 1]!.id : null };
}

export const AUDIT_LOG_PAGE_SIZE = 50;

const nextDay = (s: string) => new Date(Date.parse(`${s}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** The coordinator's audit log: the filters read from the address, whole London days at both ends, newest first a page at a time. */
export async function auditLogPage(
  db: Kysely<Database>,
  params: URLSearchParams,
): Promise<Awaited<ReturnType<typeof searchAuditEvents>> & { filter: AuditLogQuery }> {
  const filter = AuditLogQuerySchema.parse(Object.fromEntries(params));
  const found = await searchAuditEvents(db, {
    category: filter.category,
    actor: filter.actor,
    subject: filter.subject,
    from: filter.from ? londonWallTimeToUtc(filter.from, "00:00").toISOString() : undefined,
    until: filter.to ? londonWallTimeToUtc(nextDay(filter.to), "00:00").toISOString() : undefined,
    before: filter.before,
    limit: AUDIT_LOG_PAGE_SIZE,
  });
  return { ...found, filter };
}

export async function listAuditEvents(db: Kysely<Database>, opts: { entityType?: string; entityId?: string | number; limit?: number } = {}) {
  let q = db
    .selectFrom("audit_events")
    .leftJoin("users", "users.id", "audit_events.actor_user_id")
    .select([
      "audit_events.id",
      "audit_events.action",
      "audit_events.entity_type",
      "audit_events.entity_id",
      "audit_events.summary",
      "audit_events.created_at",
      "users.name as actor_name",
    ])
    .orderBy("audit_events.id", "desc")
    .limit(opts.limit ?? 100);
  if (opts.entityType) q = q.where("audit_events.entity_type", "=", opts.entityType);
  if (opts.entityId !== undefined) q = q.where("audit_events.entity_id", "=", String(opts.entityId));
  return q.execute();
}
