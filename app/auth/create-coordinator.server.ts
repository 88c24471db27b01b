import { writeTransaction } from "#app/utils/transaction.server.ts";
import type { Kysely } from "kysely";
import { z } from "zod";
import type { Database } from "#db/schema.ts";
import { recordAudit } from "#app/audit/audit.server.ts";
import { isUniqueViolation } from "#db/dialect.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { addMs, nowIso, now } from "#app/utils/time.ts";
import { EmailSchema, NameSchema } from "#app/utils/validation.ts";
import { issueEmailToken, TOKEN_LIFETIME_MS } from "./email-tokens.server.ts";

const Input = z.object({ email: EmailSchema, name: NameSchema });

/**
 * A coordinator made from the command line, for a deployment's first account (and for getting back in
 * when no coordinator can sign in). No password is set here: the person chooses one, checked like
 * any other, through the single-use link returned, which whoever ran the command passes on.
 */
export async function createCoordinatorFromCommand(
  db: Kysely<Database>,
  raw: { email: unknown; name: unknown },
  appUrl: string,
): Promise<{ userId: number; email: string; setPasswordUrl: string; expiresAt: Date }> {
  const parsed = Input.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RuleViolation(String(issue.path[0] ?? "email"), issue.message);
  }
  const { email, name } = parsed.data;
  const taken = () =>
    new RuleViolation("email", `${email} already has an account. If it is yours, choose a new password with "Forgotten your password?" on the sign-in page.`);
  if (await db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirst()) throw taken();
  const at = nowIso();
  return writeTransaction(db, async (trx) => {
    const user = await trx
      .insertInto("users")
      .values({ email, name, password_hash: null, created_at: at, updated_at: at })
      .returning("id")
      .executeTakeFirstOrThrow()
      .catch((err: unknown) => {
        throw isUniqueViolation(err) ? taken() : err;
      });
    await trx.insertInto("user_roles").values({ user_id: user.id, role: "coordinator", granted_at: at }).execute();
    const token = await issueEmailToken(trx, user.id, "invitation");
    await recordAudit(trx, {
      actorUserId: null,
      action: "user.created_from_command",
      entityType: "user",
      entityId: user.id,
      summary: `${email} was made a coordinator from the command line`,
    });
    return {
      userId: user.id,
      email,
      setPasswordUrl: `${appUrl}/set-password/${token}`,
      expiresAt: addMs(now(), TOKEN_LIFETIME_MS.invitation),
    };
  });
}
