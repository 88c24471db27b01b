import { writeTransaction } from "#app/utils/transaction.server.ts";
import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import { recordAudit } from "#app/audit/audit.server.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { hasPermission } from "#app/auth/permissions.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { nowIso } from "#app/utils/time.ts";
import { CoordinatorContactSchema, DEFAULT_SETTINGS, SettingsSchema, type CoordinatorContact, type Settings } from "./schemas.ts";

const KEY = "scheduling";

/** The coordinator's scheduling settings, with the defaults for anything never set. */
export async function getSettings(db: Kysely<Database>): Promise<Settings> {
  const row = await db.selectFrom("settings").select("value_json").where("key", "=", KEY).executeTakeFirst();
  if (!row) return DEFAULT_SETTINGS;
  const parsed = SettingsSchema.safeParse({ ...DEFAULT_SETTINGS, ...JSON.parse(row.value_json) });
  return parsed.success ? parsed.data : DEFAULT_SETTINGS;
}

/** Stores one setting as JSON, replacing what was there, with who changed it and when. */
export async function writeSetting(trx: Kysely<Database>, key: string, value: unknown, actorId: number, at: string) {
  const value_json = JSON.stringify(value);
  await trx
    .insertInto("settings")
    .values({ key, value_json, updated_at: at, updated_by: actorId })
    .onConflict((oc) => oc.column("key").doUpdateSet({ value_json, updated_at: at, updated_by: actorId }))
    .execute();
}

export async function saveSettings(db: Kysely<Database>, actor: SessionUser, settings: Settings) {
  const at = nowIso();
  await writeTransaction(db, async (trx) => {
    await writeSetting(trx, KEY, settings, actor.id, at);
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: "settings.updated",
      entityType: "settings",
      entityId: KEY,
      summary: `${actor.name} changed the scheduling settings`,
      detail: settings,
    });
  });
}

const CONTACT_KEY = "coordinator-contact";

/** Whom bookers contact about their bookings, or null until a coordinator has said. */
export async function getCoordinatorContact(db: Kysely<Database>): Promise<CoordinatorContact | null> {
  const row = await db.selectFrom("settings").select("value_json").where("key", "=", CONTACT_KEY).executeTakeFirst();
  if (!row) return null;
  const parsed = CoordinatorContactSchema.safeParse(JSON.parse(row.value_json));
  return parsed.success ? parsed.data : null;
}

export async function saveCoordinatorContact(db: Kysely<Database>, actor: SessionUser, input: unknown) {
  if (!hasPermission(actor.roles, "manage:reference-data")) throw new RuleViolation("form", "Only a coordinator can change the contact details.");
  const contact = CoordinatorContactSchema.parse(input);
  const at = nowIso();
  await writeTransaction(db, async (trx) => {
    await writeSetting(trx, CONTACT_KEY, contact, actor.id, at);
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: "settings.updated",
      entityType: "settings",
      entityId: CONTACT_KEY,
      summary: `${actor.name} changed the coordinator's contact details shown to bookers`,
      detail: contact,
    });
  });
  return contact;
}
