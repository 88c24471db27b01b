import { writeTransaction } from "#db/transaction.ts";
import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import { recordAudit } from "#app/audit/audit.server.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { nowIso } from "#app/utils/time.ts";
import { DEFAULT_SETTINGS, SettingsSchema, type Settings } from "./schemas.ts";

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
