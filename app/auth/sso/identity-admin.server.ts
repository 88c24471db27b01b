import type { Kysely } from "kysely";
import type { Database, Db } from "#db/schema.ts";
import { writeTransaction } from "#app/utils/transaction.server.ts";
import { recordAudit } from "#app/audit/audit.server.ts";
import { hasPermission } from "#app/auth/permissions.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { RuleViolation } from "#app/utils/errors.ts";

/** An account's link to a provider, as the person's page shows it. */
export interface LinkedIdentity {
  id: number;
  providerId: number;
  providerName: string;
  email: string;
  linkedAt: string;
  lastSignedInAt: string;
}

export async function listIdentitiesOf(db: Db, userId: number): Promise<LinkedIdentity[]> {
  return db
    .selectFrom("user_identities")
    .innerJoin("sign_in_providers", "sign_in_providers.id", "user_identities.provider_id")
    .select([
      "user_identities.id",
      "user_identities.provider_id as providerId",
      "sign_in_providers.name as providerName",
      "user_identities.email",
      "user_identities.linked_at as linkedAt",
      "user_identities.last_signed_in_at as lastSignedInAt",
    ])
    .where("user_identities.user_id", "=", userId)
    .orderBy("sign_in_providers.name")
    .orderBy("user_identities.id")
    .execute();
}

/** The providers each of these people signs in through, by name, in one query. */
export async function providerNamesOf(db: Db, userIds: number[]): Promise<Map<number, string[]>> {
  const names = new Map<number, string[]>();
  if (userIds.length === 0) return names;
  const rows = await db
    .selectFrom("user_identities")
    .innerJoin("sign_in_providers", "sign_in_providers.id", "user_identities.provider_id")
    .select(["user_identities.user_id", "sign_in_providers.name"])
    .where("user_identities.user_id", "in", userIds)
    .orderBy("sign_in_providers.name")
    .execute();
  for (const r of rows) names.set(r.user_id, [...(names.get(r.user_id) ?? []), r.name]);
  return names;
}

/**
 * Unlinks a provider's identity from a person, who then cannot sign in through it until they do so
 * again as an invited person; the sessions they began through that provider end now. The identity
 * must be this person's: an id from another account is refused as if it did not exist.
 */
export async function unlinkIdentity(db: Kysely<Database>, actor: SessionUser, userId: number, identityId: number): Promise<{ providerName: string }> {
  if (!hasPermission(actor.roles, "manage:users")) throw new RuleViolation("forbidden", "Only the training coordinator can unlink a sign-in.");
  return writeTransaction(db, async (trx) => {
    const identity = await trx
      .selectFrom("user_identities")
      .innerJoin("sign_in_providers", "sign_in_providers.id", "user_identities.provider_id")
      .innerJoin("users", "users.id", "user_identities.user_id")
      .select([
        "user_identities.id",
        "user_identities.provider_id",
        "user_identities.email",
        "sign_in_providers.name as providerName",
        "users.name as personName",
      ])
      .where("user_identities.id", "=", identityId)
      .where("user_identities.user_id", "=", userId)
      .executeTakeFirst();
    if (!identity) throw new RuleViolation("form", "That sign-in is no longer linked to this person.");
    await trx.deleteFrom("user_identities").where("id", "=", identity.id).execute();
    const ended = await trx.deleteFrom("auth_sessions").where("user_id", "=", userId).where("sso_provider_id", "=", identity.provider_id).executeTakeFirst();
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: "sso.identity_unlinked",
      entityType: "user",
      entityId: userId,
      summary: `${actor.name} unlinked ${identity.personName}'s sign-in through ${identity.providerName} (${identity.email})`,
      detail: { providerId: identity.provider_id, provider: identity.providerName, email: identity.email, sessionsEnded: Number(ended.numDeletedRows) },
    });
    return { providerName: identity.providerName };
  });
}
