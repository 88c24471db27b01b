import { writeTransaction } from "#app/utils/transaction.server.ts";
import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import { recordAudit } from "#app/audit/audit.server.ts";
import { enqueueEmail } from "#app/email/outbox.server.ts";
import { now } from "#app/utils/time.ts";
import { checkPassword } from "./password-check.server.ts";
import { hashPassword } from "./password.server.ts";
import { passwordProblem } from "./password-strength.server.ts";
import { securityNotice } from "./second-factor.server.ts";
import type { SessionUser } from "./session.server.ts";
import { tryAgain } from "./sign-in-throttle.server.ts";
import { providerRequiredFor } from "./sso/providers.server.ts";
import { plural } from "#app/utils/plural.ts";

export type ChangePasswordResult =
  { ok: true; otherSessionsEnded: number } | { ok: false; field: "currentPassword" | "newPassword" | "form"; message: string; status: number };

/**
 * A signed-in person changes their password by giving the current one (checked and throttled like a
 * sign-in, so a borrowed session cannot guess it). Every other session ends, unused password-reset
 * links stop working, the change is audited, and the person is told by email in case it was not them.
 */
export async function changePassword(
  db: Kysely<Database>,
  actor: SessionUser,
  input: { currentPassword: string; newPassword: string; sessionId: string; client: string },
): Promise<ChangePasswordResult> {
  const required = await providerRequiredFor(db, actor.email);
  if (required) {
    return { ok: false, field: "form", status: 403, message: `You sign in through ${required.name}: your password is kept there, not here.` };
  }
  if (input.newPassword === input.currentPassword) {
    return { ok: false, field: "newPassword", status: 400, message: "Choose a password different from your current one." };
  }
  const weak = await passwordProblem(input.newPassword, actor);
  if (weak) return { ok: false, field: "newPassword", status: 400, message: weak };

  const checked = await checkPassword(db, { email: actor.email, password: input.currentPassword, client: input.client }, ({ reason }) =>
    recordAudit(db, {
      actorUserId: actor.id,
      action: "auth.password_check_failed",
      entityType: "user",
      entityId: actor.id,
      summary: `${actor.email} gave a wrong current password while changing it (${reason})`,
      detail: { reason, client: input.client },
    }),
  );
  if (!checked.ok) {
    return checked.reason === "throttled"
      ? { ok: false, field: "form", status: 429, message: `Too many wrong passwords. ${tryAgain(checked.retryAt)}` }
      : {
          ok: false,
          field: "currentPassword",
          status: 400,
          message: `That is not your current password.${checked.retryAt ? ` ${tryAgain(checked.retryAt)}` : ""}`,
        };
  }

  const passwordHash = await hashPassword(input.newPassword);
  const at = now();
  const iso = at.toISOString();
  const notice = await securityNotice(actor, "Your NeverOK Training password was changed.", at, "Every other device signed in to your account was signed out.");
  const ended = await writeTransaction(db, async (trx) => {
    await trx.updateTable("users").set({ password_hash: passwordHash, updated_at: iso }).where("id", "=", actor.id).execute();
    const others = await trx.deleteFrom("auth_sessions").where("user_id", "=", actor.id).where("id", "!=", input.sessionId).executeTakeFirst();
    await trx
      .updateTable("email_tokens")
      .set({ used_at: iso })
      .where("user_id", "=", actor.id)
      .where("purpose", "=", "password_reset")
      .where("used_at", "is", null)
      .execute();
    await enqueueEmail(trx, notice);
    const count = Number(others.numDeletedRows);
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: "user.password_changed",
      entityType: "user",
      entityId: actor.id,
      summary: `${actor.email} changed their password${count ? ` and was signed out on ${plural(count, "other device")}` : ""}`,
      detail: { otherSessionsEnded: count, client: input.client },
    });
    return count;
  });
  return { ok: true, otherSessionsEnded: ended };
}
