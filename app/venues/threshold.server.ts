import type { Db } from "#db/schema.ts";
import { writeTransaction } from "#app/utils/transaction.server.ts";
import { recordAudit } from "#app/audit/audit.server.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { parseInput } from "#app/roster/input.ts";
import { writeSetting } from "#app/settings/settings.server.ts";
import { nowIso } from "#app/utils/time.ts";
import { requireCoordinator } from "./access.server.ts";
import { DEFAULT_THRESHOLD_PERCENT } from "./coverage.ts";
import { ThresholdSchema, type ThresholdInput } from "./schemas.ts";

/** The share of its staff a venue must have trained to be accredited: a setting the coordinator keeps. */

const KEY = "venue_accreditation";

export async function getThresholdPercent(db: Db): Promise<number> {
  const row = await db.selectFrom("settings").select("value_json").where("key", "=", KEY).executeTakeFirst();
  const parsed = row ? ThresholdSchema.safeParse(JSON.parse(row.value_json)) : null;
  return parsed?.success ? parsed.data.thresholdPercent : DEFAULT_THRESHOLD_PERCENT;
}

export async function saveThresholdPercent(db: Db, actor: SessionUser, input: ThresholdInput): Promise<void> {
  requireCoordinator(actor, "set the accreditation threshold");
  const v = parseInput(ThresholdSchema, input);
  await writeTransaction(db, async (trx) => {
    await writeSetting(trx, KEY, v, actor.id, nowIso());
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: "settings.venue_threshold_updated",
      entityType: "settings",
      entityId: KEY,
      summary: `${actor.name} set the share of staff a venue must have trained to be accredited to ${v.thresholdPercent}%`,
      detail: v,
    });
  });
}
