import type { Kysely } from "kysely";
import type { Database, Db, SupportService } from "#db/schema.ts";
import { writeTransaction } from "#app/utils/transaction.server.ts";
import { recordAudit } from "#app/audit/audit.server.ts";
import { hasPermission } from "#app/auth/permissions.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { isUniqueViolation } from "#db/dialect.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { nowIso } from "#app/utils/time.ts";
import { telHref, type SupportServiceView } from "./directory.ts";
import type { SupportServiceInput } from "./schemas.ts";

/**
 * The support directory the coordinator keeps: the services a person can reach from every feedback
 * page, the page footer and the emails that ask for feedback or remind someone of a session.
 * Urgent services (999, 101) always come first, then each in the order the coordinator chose.
 */

function inDisplayOrder(db: Db) {
  return db.selectFrom("support_services").orderBy("is_urgent", "desc").orderBy("position").orderBy("id");
}

function toView(row: SupportService): SupportServiceView {
  return {
    id: row.id,
    name: row.name,
    purpose: row.purpose,
    url: row.url,
    phone: row.phone,
    phoneHref: row.phone ? telHref(row.phone) : null,
    hours: row.hours,
    urgent: row.is_urgent === 1,
  };
}

/**
 * Every service, urgent first, in one query. Not cached: the footer of every page reads it, but a
 * cache would itself cost a query to check the record versions, and the table is a dozen rows.
 */
export async function supportDirectory(db: Db): Promise<SupportServiceView[]> {
  const rows = await inDisplayOrder(db).selectAll().execute();
  return rows.map(toView);
}

export async function getSupportService(db: Db, id: number): Promise<SupportServiceView | undefined> {
  const row = await db.selectFrom("support_services").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? toView(row) : undefined;
}

function assertMayManage(actor: SessionUser) {
  if (!hasPermission(actor.roles, "manage:reference-data"))
    throw new RuleViolation("forbidden", "Only the training coordinator can change the support directory.");
}

const gone = () => new RuleViolation("form", "That service is no longer in the support directory.");

function columns(input: SupportServiceInput) {
  return {
    name: input.name,
    purpose: input.purpose,
    url: input.url,
    phone: input.phone,
    hours: input.hours,
    is_urgent: input.urgent ? (1 as const) : (0 as const),
  };
}

/**
 * Adds a service at the end of its group (urgent or not), or changes the one with `id`; audited in
 * the same transaction. A name already listed is refused beside the name field, by the unique index.
 */
export async function saveSupportService(db: Kysely<Database>, actor: SessionUser, id: number | null, input: SupportServiceInput): Promise<number> {
  assertMayManage(actor);
  const at = nowIso();
  const values = columns(input);
  try {
    return await writeTransaction(db, async (trx) => {
      let savedId: number;
      if (id) {
        const saved = await trx
          .updateTable("support_services")
          .set({ ...values, updated_at: at })
          .where("id", "=", id)
          .returning("id")
          .executeTakeFirst();
        if (!saved) throw gone();
        savedId = saved.id;
      } else {
        const last = await trx
          .selectFrom("support_services")
          .select((eb) => eb.fn.max("position").as("position"))
          .executeTakeFirstOrThrow();
        const saved = await trx
          .insertInto("support_services")
          .values({ ...values, position: Number(last.position ?? 0) + 1, created_at: at, updated_at: at })
          .returning("id")
          .executeTakeFirstOrThrow();
        savedId = saved.id;
      }
      await recordAudit(trx, {
        actorUserId: actor.id,
        action: id ? "support_service.updated" : "support_service.created",
        entityType: "support_service",
        entityId: savedId,
        summary: `${actor.name} ${id ? "updated" : "added"} ${input.name} in the support directory`,
        detail: values,
      });
      return savedId;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new RuleViolation("name", "The directory already lists a service with this name");
    throw err;
  }
}

/**
 * Moves a service one place up or down among those of its kind: urgent services stay above the
 * rest whatever the order, so a move never crosses from one group to the other. The positions are
 * written afresh as 1, 2, 3…, so the order is always exactly what the coordinator sees.
 */
export async function moveSupportService(db: Kysely<Database>, actor: SessionUser, id: number, direction: "up" | "down"): Promise<{ name: string }> {
  assertMayManage(actor);
  return writeTransaction(db, async (trx) => {
    const order = await inDisplayOrder(trx).select(["id", "name", "is_urgent", "position"]).execute();
    const index = order.findIndex((s) => s.id === id);
    if (index < 0) throw gone();
    const service = order[index]!;
    const neighbour = order[direction === "up" ? index - 1 : index + 1];
    if (!neighbour || neighbour.is_urgent !== service.is_urgent) {
      const group = service.is_urgent ? "urgent services" : "other services";
      throw new RuleViolation("form", `${service.name} is already ${direction === "up" ? "first" : "last"} of the ${group}.`);
    }
    order[index] = neighbour;
    order[direction === "up" ? index - 1 : index + 1] = service;
    const at = nowIso();
    for (const [i, s] of order.entries()) {
      if (s.position !== i + 1)
        await trx
          .updateTable("support_services")
          .set({ position: i + 1, updated_at: at })
          .where("id", "=", s.id)
          .execute();
    }
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: "support_service.moved",
      entityType: "support_service",
      entityId: id,
      summary: `${actor.name} moved ${service.name} ${direction} the support directory`,
      detail: { direction, order: order.map((s) => s.name) },
    });
    return { name: service.name };
  });
}

/** Takes a service out of the directory; the audit entry keeps what it said, so it can be added again. */
export async function removeSupportService(db: Kysely<Database>, actor: SessionUser, id: number): Promise<{ name: string }> {
  assertMayManage(actor);
  return writeTransaction(db, async (trx) => {
    const row = await trx.deleteFrom("support_services").where("id", "=", id).returningAll().executeTakeFirst();
    if (!row) throw gone();
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: "support_service.removed",
      entityType: "support_service",
      entityId: id,
      summary: `${actor.name} removed ${row.name} from the support directory`,
      detail: { name: row.name, purpose: row.purpose, url: row.url, phone: row.phone, hours: row.hours, is_urgent: row.is_urgent },
    });
    return { name: row.name };
  });
}
