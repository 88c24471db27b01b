import { writeTransaction } from "#app/utils/transaction.server.ts";
import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import PasswordResetEmail from "#emails/password-reset.tsx";
import { composeEmail, enqueueEmail } from "#app/email/outbox.server.ts";
import { getEnv } from "#app/utils/env.server.ts";
import { nowIso } from "#app/utils/time.ts";
import { recordAudit } from "#app/audit/audit.server.ts";
import { issueEmailToken, lookupEmailToken, spendEmailToken, TOKEN_LIFETIME_MS } from "./email-tokens.server.ts";
import { checkPassword } from "./password-check.server.ts";
import { hashPassword } from "./password.server.ts";
import { passwordProblem } from "./password-strength.server.ts";
import { hasSecondFactor } from "./second-factor.server.ts";
import { createAuthSession, invalidateAllSessions } from "./session.server.ts";
import { clearSignInFailures } from "./sign-in-throttle.server.ts";
import { emailDomain, providerRequiredFor } from "./sso/providers.server.ts";

export type SignInResult =
  | {
      ok: true;
      userId: number;
      token: string;
      expiresAt: Date;
      /** The account has a second factor: the session is good for nothing but giving the code. */
      awaitsSecondFactor: boolean;
    }
  | { ok: false; reason: "invalid"; retryAt: Date | null }
  | { ok: false; reason: "throttled"; retryAt: Date }
  | { ok: false; reason: "sso_required"; provider: { slug: string; name: string }; domain: string };

export async function signIn(
  db: Kysely<Database>,
  input: { email: string; password: string; userAgent: string | null; client: string },
): Promise<SignInResult> {
  const email = input.email.toLowerCase();
  const userAgent = input.userAgent?.slice(0, 300) ?? null;
  // People at a domain whose provider must sign them in have no password here, whatever they type.
  // Said for the domain, so it tells nothing about whether this address has an account.
  const required = await providerRequiredFor(db, email);
  if (required) {
    await recordAudit(db, {
      actorUserId: null,
      action: "auth.sign_in_failed",
      entityType: "user",
      entityId: null,
      summary: `Failed sign-in as ${email}: people at ${emailDomain(email)} sign in through ${required.name}`,
      detail: { email, reason: "sso_required", provider: required.slug, userAgent, client: input.client },
    });
    return { ok: false, reason: "sso_required", provider: { slug: required.slug, name: required.name }, domain: emailDomain(email) };
  }
  // The address tried and why it failed, never what was typed as the password.
  const checked = await checkPassword(db, { email, password: input.password, client: input.client }, ({ userId, reason }) =>
    recordAudit(db, {
      actorUserId: null,
      action: "auth.sign_in_failed",
      entityType: "user",
      entityId: userId,
      summary: `Failed sign-in as ${email}: ${reason}`,
      detail: { email, reason, userAgent, client: input.client },
    }),
  );
  if (!checked.ok) return checked;
  const user = checked.user;
  const awaits = await hasSecondFactor(db, user.id);
  // A fresh token at every sign-in: nothing from before sign-in carries over.
  const session = await createAuthSession(db, user.id, input.userAgent);
  if (!awaits) {
    await recordAudit(db, {
      actorUserId: user.id,
      action: "auth.signed_in",
      entityType: "user",
      entityId: user.id,
      summary: `${email} signed in`,
      detail: { userAgent, client: input.client },
    });
  }
  return { ok: true, userId: user.id, ...session, awaitsSecondFactor: awaits };
}

/** Signing out, of this device or every device, as the audit log tells it. */
export async function recordSignOut(db: Kysely<Database>, user: { id: number; email: string }, everywhere: boolean) {
  await recordAudit(db, {
    actorUserId: user.id,
    action: "auth.signed_out",
    entityType: "user",
    entityId: user.id,
    summary: everywhere ? `${user.email} signed out on every device` : `${user.email} signed out`,
    detail: { everywhere },
  });
}

/**
 * Sends a reset link when the address has an active account, and does nothing otherwise.
 * The caller shows the same answer either way.
 */
export async function requestPasswordReset(db: Kysely<Database>, rawEmail: string): Promise<{ signsInThrough: string | null }> {
  const email = rawEmail.toLowerCase();
  const required = await providerRequiredFor(db, email);
  if (required) return { signsInThrough: required.name };
  const user = await db.selectFrom("users").select(["id", "name", "email"]).where("email", "=", email).where("is_active", "=", 1).executeTakeFirst();
  if (!user) return { signsInThrough: null };
  await writeTransaction(db, async (trx) => {
    const token = await issueEmailToken(trx, user.id, "password_reset");
    const resetUrl = `${getEnv().APP_URL}/set-password/${token}`;
    const email = await composeEmail({
      template: "password-reset",
      to: { email: user.email, name: user.name },
      subject: "Choose a new password for NeverOK Training",
      react: PasswordResetEmail({ name: user.name, resetUrl, expiresInMinutes: TOKEN_LIFETIME_MS.password_reset / 60_000 }),
    });
    await enqueueEmail(trx, email);
    await recordAudit(trx, {
      actorUserId: null,
      action: "user.password_reset_requested",
      entityType: "user",
      entityId: user.id,
      summary: `Password reset requested for ${user.email}`,
    });
  });
  return { signsInThrough: null };
}

export type SetPasswordResult =
  | { ok: true; userId: number; token: string; expiresAt: Date; awaitsSecondFactor: boolean }
  | { ok: false; reason: "expired" | "used" | "unknown" }
  | { ok: false; reason: "weak"; message: string }
  | { ok: false; reason: "sso_required"; provider: string };

/**
 * Spends the emailed token, sets the password, ends every other session and signs in afresh. An
 * account with a second factor is signed in only as far as the code: the link alone is not enough.
 */
export async function setPasswordWithToken(
  db: Kysely<Database>,
  input: { token: string; password: string; userAgent: string | null },
): Promise<SetPasswordResult> {
  const found = await lookupEmailToken(db, input.token);
  if (found.status !== "valid") return { ok: false, reason: found.status };
  const required = await providerRequiredFor(db, found.email);
  if (required) return { ok: false, reason: "sso_required", provider: required.name };
  const weak = await passwordProblem(input.password, { name: found.name, email: found.email });
  if (weak) return { ok: false, reason: "weak", message: weak };
  const passwordHash = await hashPassword(input.password);
  const spent = await writeTransaction(db, async (trx) => {
    if (!(await spendEmailToken(trx, found.tokenId))) return false;
    await trx.updateTable("users").set({ password_hash: passwordHash, updated_at: nowIso() }).where("id", "=", found.userId).execute();
    await recordAudit(trx, {
      actorUserId: found.userId,
      action: found.purpose === "invitation" ? "user.invitation_accepted" : "user.password_reset",
      entityType: "user",
      entityId: found.userId,
      summary: found.purpose === "invitation" ? `${found.email} set their first password` : `${found.email} reset their password`,
    });
    return true;
  });
  if (!spent) return { ok: false, reason: "used" };
  await invalidateAllSessions(db, found.userId);
  await clearSignInFailures(db, found.email);
  const session = await createAuthSession(db, found.userId, input.userAgent);
  return { ok: true, userId: found.userId, ...session, awaitsSecondFactor: await hasSecondFactor(db, found.userId) };
}
