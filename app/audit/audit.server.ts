import type { Kysely, Transaction } from "kysely";
import type { Database } from "#db/schema.ts";
import { nowIso } from "#app/utils/time.ts";

export interface AuditEntry {
  actorUserId: number | null;
  action: string; // e.g. "user.invited", "user.roles_changed", "course.updated"
  entityType: string;
  entityId: string | number | null;
  summary: string;
  detail?: Record<string, unknown>;
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
      detail_json: entry.detail ? JSON.stringify(entry.detail) : null,
      created_at: nowIso(),
    })
    .execute();
}

export async function listAuditEvents(
  db: Kysely<Database>,
  opts: { entityType?: string; entityId?: string | number; limit?: number } = {},
) {
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
