import crypto from "node:crypto";
import { Secret, TOTP } from "otpauth";
import type { Db, Role } from "#db/schema.ts";
import { writeTransaction } from "#app/utils/transaction.server.ts";
import AccountSecurityNoticeEmail from "#emails/account-security-notice.tsx";
import { recordAudit } from "#app/audit/audit.server.ts";
import { composeEmail, enqueueEmail } from "#app/email/outbox.server.ts";
import { formatDateTime } from "#app/utils/dates.ts";
import { getEnv } from "#app/utils/env.server.ts";
import { addMs, HOUR, MINUTE, now } from "#app/utils/time.ts";
import { sha256Hex } from "#app/utils/tokens.server.ts";
import { checkPassword } from "./password-check.server.ts";
import { open, seal } from "./secret-box.server.ts";
import { awaitsSecondFactor, createAuthSession, sessionProvider, type SessionUser, type ValidatedSession } from "./session.server.ts";
import { pauseAfter, tryAgain, type BackoffPolicy } from "./sign-in-throttle.server.ts";

/**
 * A second factor: a time-based one-time code (RFC 6238: SHA-1, six digits, 30-second steps, which
 * every authenticator app reads) from an app set up by QR code or by typing the secret, and ten
 * single-use recovery codes for when the phone is lost. Asked for after the password at sign-in, and
 * again ("step-up") before a person's data is exported or erased if it was last given more than
 * STEP_UP_MS ago. See docs/decisions/010.
 */
export const ISSUER = "NeverOK Training";
export const STEP_UP_MS = 5 * MINUTE;
/** How recent a sign-in through a provider must be to stand for the password when setting up a second factor. */
export const SSO_SIGN_IN_FRESH_MS = 15 * MINUTE;
const SETUP_LIFETIME_MS = HOUR;
const PERIOD_SECONDS = 30;
/** A code from the step before or after the server's is accepted too: phones' clocks drift. */
const WINDOW_STEPS = 1;
export const RECOVERY_CODE_COUNT = 10;
/** Wrong codes for one account: a few free, then pauses doubling to a quarter of an hour. */
export const CODE_POLICY: BackoffPolicy = { free: 5, firstPauseMs: 30_000, maxPauseMs: 15 * MINUTE, forgetAfterMs: HOUR };

/** Coordinators and union officers see the most personal data, so their accounts need a second factor. */
export function secondFactorRequiredFor(roles: readonly Role[]): boolean {
  return roles.includes("coordinator") || roles.includes("officer");
}

const boundTo = (userId: number) => `second-factor:${userId}`;
const stepAt = (at: Date) => TOTP.counter({ period: PERIOD_SECONDS, timestamp: at.getTime() });

/** How many steps from `at` a six-digit code was made for under `secret` (within the window), or null when it does not match. */
function codeStepOffset(secret: string, code: string, at: Date): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  return TOTP.validate({
    token: code,
    secret: Secret.fromBase32(secret),
    algorithm: "SHA1",
    digits: 6,
    period: PERIOD_SECONDS,
    timestamp: at.getTime(),
    window: WINDOW_STEPS,
  });
}
const authenticator = (secret: Secret, email: string) =>
  new TOTP({ issuer: ISSUER, label: email, algorithm: "SHA1", digits: 6, period: PERIOD_SECONDS, secret });

export async function hasSecondFactor(db: Db, userId: number): Promise<boolean> {
  const row = await db.selectFrom("second_factors").select("confirmed_at").where("user_id", "=", userId).executeTakeFirst();
  return !!row?.confirmed_at;
}

async function recoveryCodesLeft(db: Db, userId: number): Promise<number> {
  const left = await db
    .selectFrom("recovery_codes")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("user_id", "=", userId)
    .where("used_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(left.n);
}

export async function secondFactorStatus(db: Db, userId: number) {
  const row = await db.selectFrom("second_factors").select("confirmed_at").where("user_id", "=", userId).executeTakeFirst();
  if (!row?.confirmed_at) return { enrolled: false as const };
  return { enrolled: true as const, confirmedAt: row.confirmed_at, recoveryCodesLeft: await recoveryCodesLeft(db, userId) };
}

export interface SecondFactorSetup {
  /** The secret in base32, to type into an app that cannot scan. */
  secret: string;
  /** The otpauth:// address the QR code carries. */
  uri: string;
}

/**
 * The authenticator being set up: the same one until it is confirmed or an hour has passed, so
 * opening the page twice (or a prefetch) does not change the QR code under the person's phone.
 * An authenticator already confirmed keeps working until a new one is confirmed.
 */
export async function beginSecondFactorSetup(db: Db, actor: SessionUser): Promise<SecondFactorSetup> {
  const at = now();
  const row = await db.selectFrom("second_factors").selectAll().where("user_id", "=", actor.id).executeTakeFirst();
  const pendingFresh = row?.pending_secret && row.pending_created_at && new Date(row.pending_created_at).getTime() + SETUP_LIFETIME_MS > at.getTime();
  let secret = pendingFresh ? open(row.pending_secret!, boundTo(actor.id)) : null;
  if (!secret) {
    secret = new Secret({ size: 20 }).base32;
    const values = { pending_secret: seal(secret, boundTo(actor.id)), pending_created_at: at.toISOString() };
    await db
      .insertInto("second_factors")
      .values({ user_id: actor.id, created_at: at.toISOString(), ...values })
      .onConflict((oc) => oc.column("user_id").doUpdateSet(values))
      .execute();
  }
  return { secret, uri: authenticator(Secret.fromBase32(secret), actor.email).toString() };
}

export type ConfirmSetupResult =
  { ok: true; recoveryCodes: string[] } | { ok: false; field: "code" | "currentPassword" | "form"; message: string; status: number };

/**
 * Confirms the authenticator being set up with its first code and the person's current password
 * (so a borrowed session cannot tie the account to someone else's phone). Replaces any earlier
 * authenticator and recovery codes, counts as having just given the second factor in this session,
 * and tells the person by email. The recovery codes are returned once and stored only hashed.
 */
export async function confirmSecondFactorSetup(
  db: Db,
  session: ValidatedSession,
  input: { code: string; currentPassword: string | null; client: string },
): Promise<ConfirmSetupResult> {
  const actor = session.user;
  if (awaitsSecondFactor(session)) return { ok: false, field: "form", status: 403, message: "Finish signing in first." };
  // Replacing an authenticator needs the one in use: a borrowed session cannot swap in its own.
  if (session.secondFactor.enrolled && !provedRecently(session)) {
    return { ok: false, field: "form", status: 403, message: "Enter a code from your current authenticator first." };
  }
  const at = now();
  const row = await db.selectFrom("second_factors").selectAll().where("user_id", "=", actor.id).executeTakeFirst();
  const pendingFresh = row?.pending_secret && row.pending_created_at && new Date(row.pending_created_at).getTime() + SETUP_LIFETIME_MS > at.getTime();
  const secret = pendingFresh ? open(row.pending_secret!, boundTo(actor.id)) : null;
  if (!row || !secret) {
    return { ok: false, field: "form", status: 409, message: "This set-up has expired. Scan the new QR code below and enter its code." };
  }
  // Signed in through a provider, there may be no password here: a sign-in there in the last few minutes stands for it.
  if (session.ssoProviderId !== null) {
    if (at.getTime() - new Date(session.signedInAt).getTime() > SSO_SIGN_IN_FRESH_MS) {
      return {
        ok: false,
        field: "form",
        status: 403,
        message: "Your sign-in is more than 15 minutes old: sign in through your provider again, then set this up.",
      };
    }
  } else if (!input.currentPassword) {
    return { ok: false, field: "currentPassword", status: 400, message: "Enter your current password" };
  }
  const password =
    session.ssoProviderId !== null
      ? ({ ok: true } as const)
      : await checkPassword(db, { email: actor.email, password: input.currentPassword ?? "", client: input.client }, ({ reason }) =>
          recordAudit(db, {
            actorUserId: actor.id,
            action: "auth.password_check_failed",
            entityType: "user",
            entityId: actor.id,
            summary: `${actor.email} gave a wrong current password while setting up a second factor (${reason})`,
            detail: { reason, client: input.client },
          }),
        );
  if (!password.ok) {
    return password.reason === "throttled"
      ? { ok: false, field: "form", status: 429, message: `Too many wrong passwords. ${tryAgain(password.retryAt)}` }
      : {
          ok: false,
          field: "currentPassword",
          status: 400,
          message: `That is not your current password.${password.retryAt ? ` ${tryAgain(password.retryAt)}` : ""}`,
        };
  }
  const delta = codeStepOffset(secret, normaliseCode(input.code), at);
  if (delta === null) {
    return {
      ok: false,
      field: "code",
      status: 400,
      message:
        "That code does not match. Enter the six digits your app shows now; if it still does not match, check that your phone sets its clock automatically.",
    };
  }
  const recoveryCodes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  const iso = at.toISOString();
  const notice = await securityNotice(
    actor,
    "A second factor was set up on your NeverOK Training account.",
    at,
    "Signing in now asks for a code from the authenticator app as well as your password.",
  );
  await writeTransaction(db, async (trx) => {
    await trx
      .updateTable("second_factors")
      .set({
        secret: row.pending_secret,
        confirmed_at: iso,
        pending_secret: null,
        pending_created_at: null,
        last_used_step: stepAt(at) + delta,
        failure_count: 0,
        last_failed_at: null,
        locked_until: null,
      })
      .where("user_id", "=", actor.id)
      .execute();
    await trx.deleteFrom("recovery_codes").where("user_id", "=", actor.id).execute();
    await trx
      .insertInto("recovery_codes")
      .values(recoveryCodes.map((code) => ({ user_id: actor.id, code_hash: hashRecoveryCode(code), created_at: iso, used_at: null })))
      .execute();
    await trx.updateTable("auth_sessions").set({ second_factor_at: iso }).where("id", "=", session.sessionId).where("user_id", "=", actor.id).execute();
    await enqueueEmail(trx, notice);
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: "auth.second_factor_set_up",
      entityType: "user",
      entityId: actor.id,
      summary: `${actor.email} set up a second factor`,
      detail: { client: input.client },
    });
  });
  return { ok: true, recoveryCodes: recoveryCodes.map(formatRecoveryCode) };
}

export type SecondFactorCheck =
  | { ok: true; method: "authenticator" | "recovery code"; recoveryCodesLeft: number }
  | { ok: false; reason: "invalid"; retryAt: Date | null }
  | { ok: false; reason: "throttled"; retryAt: Date };

/**
 * A code from the authenticator (six digits) or a recovery code. A code is accepted once: a code (or
 * an earlier one) already used is refused, so one seen over a shoulder or in a proxy's log is
 * worthless. Wrong codes are counted before the check, per account, with growing pauses.
 */
export async function checkSecondFactor(db: Db, userId: number, rawCode: string): Promise<SecondFactorCheck> {
  const at = now();
  const iso = at.toISOString();
  const ticket = await writeTransaction(db, async (trx) => {
    const row = await trx.selectFrom("second_factors").selectAll().where("user_id", "=", userId).executeTakeFirst();
    if (!row?.secret || !row.confirmed_at) return { allowed: false as const, row: null, retryAt: null };
    const fresh = !row.last_failed_at || at.getTime() - new Date(row.last_failed_at).getTime() > CODE_POLICY.forgetAfterMs;
    if (!fresh && row.locked_until && new Date(row.locked_until) > at) return { allowed: false as const, row, retryAt: new Date(row.locked_until) };
    const count = (fresh ? 0 : row.failure_count) + 1;
    const pause = pauseAfter(CODE_POLICY, count);
    const lockedUntil = pause ? addMs(at, pause) : null;
    await trx
      .updateTable("second_factors")
      .set({ failure_count: count, last_failed_at: iso, locked_until: lockedUntil?.toISOString() ?? null })
      .where("user_id", "=", userId)
      .execute();
    return { allowed: true as const, row, retryAtIfWrong: lockedUntil };
  });
  if (!ticket.allowed) return ticket.retryAt ? { ok: false, reason: "throttled", retryAt: ticket.retryAt } : { ok: false, reason: "invalid", retryAt: null };

  const code = normaliseCode(rawCode);
  let method: "authenticator" | "recovery code" | null = null;
  if (/^\d{6}$/.test(code)) {
    const secret = open(ticket.row.secret!, boundTo(userId));
    const delta = secret ? codeStepOffset(secret, code, at) : null;
    if (delta !== null) {
      const step = stepAt(at) + delta;
      const taken = await db
        .updateTable("second_factors")
        .set({ last_used_step: step })
        .where("user_id", "=", userId)
        .where((eb) => eb.or([eb("last_used_step", "is", null), eb("last_used_step", "<", step)]))
        .executeTakeFirst();
      if (Number(taken.numUpdatedRows) === 1) method = "authenticator";
    }
  } else if (code.length === RECOVERY_CODE_LENGTH) {
    const spent = await db
      .updateTable("recovery_codes")
      .set({ used_at: iso })
      .where("user_id", "=", userId)
      .where("code_hash", "=", hashRecoveryCode(code))
      .where("used_at", "is", null)
      .executeTakeFirst();
    if (Number(spent.numUpdatedRows) === 1) method = "recovery code";
  }
  if (!method) return { ok: false, reason: "invalid", retryAt: ticket.retryAtIfWrong };

  await db.updateTable("second_factors").set({ failure_count: 0, last_failed_at: null, locked_until: null }).where("user_id", "=", userId).execute();
  return { ok: true, method, recoveryCodesLeft: await recoveryCodesLeft(db, userId) };
}

export type ProveResult =
  | { ok: true; method: "authenticator" | "recovery code"; recoveryCodesLeft: number; newSession: { token: string; expiresAt: Date } | null }
  | { ok: false; reason: "invalid"; retryAt: Date | null }
  | { ok: false; reason: "throttled"; retryAt: Date };

/**
 * The code asked for after the password (the session is then replaced by a fully signed-in one) or
 * again before sensitive work (the session records when). Audited either way; a recovery code used
 * is also told to the person by email, since it may mean the phone is lost or someone has the codes.
 */
export async function proveSecondFactor(
  db: Db,
  session: ValidatedSession,
  input: { code: string; userAgent: string | null; client: string },
): Promise<ProveResult> {
  const { user } = session;
  const signingIn = awaitsSecondFactor(session);
  const checked = await checkSecondFactor(db, user.id, input.code);
  if (!checked.ok) {
    await recordAudit(db, {
      actorUserId: signingIn ? null : user.id,
      action: "auth.second_factor_failed",
      entityType: "user",
      entityId: user.id,
      summary: `${user.email} gave a wrong second-factor code${checked.reason === "throttled" ? " while paused" : ""}`,
      detail: { signingIn, reason: checked.reason, client: input.client },
    });
    return checked;
  }
  const at = now();
  let newSession: { token: string; expiresAt: Date } | null = null;
  if (signingIn) {
    // A fresh token once the sign-in is complete: the password-only one is worth nothing more.
    const ssoProviderId = await sessionProvider(db, session.sessionId);
    await db.deleteFrom("auth_sessions").where("id", "=", session.sessionId).execute();
    newSession = await createAuthSession(db, user.id, input.userAgent, { secondFactorAt: at.toISOString(), ssoProviderId });
  } else {
    await db.updateTable("auth_sessions").set({ second_factor_at: at.toISOString() }).where("id", "=", session.sessionId).execute();
  }
  const withRecovery = checked.method === "recovery code";
  await recordAudit(db, {
    actorUserId: user.id,
    action: signingIn ? "auth.signed_in" : "auth.second_factor_confirmed",
    entityType: "user",
    entityId: user.id,
    summary: signingIn
      ? `${user.email} signed in (${session.ssoProviderId === null ? "password" : "identity provider"} and ${checked.method})`
      : `${user.email} gave their second factor again (${checked.method})`,
    detail: { method: checked.method, userAgent: input.userAgent?.slice(0, 300) ?? null, client: input.client },
  });
  if (withRecovery) {
    const notice = await securityNotice(
      user,
      "A recovery code was used on your NeverOK Training account.",
      at,
      `It cannot be used again; ${checked.recoveryCodesLeft} of your recovery codes are left. If you have lost your phone, set up your authenticator again under Your account, which also gives you new recovery codes.`,
    );
    await enqueueEmail(db, notice);
  }
  return { ok: true, method: checked.method, recoveryCodesLeft: checked.recoveryCodesLeft, newSession };
}

/** Whether this session gave the second factor recently enough for sensitive work. */
export function provedRecently(session: ValidatedSession, at = now()): boolean {
  const proved = session.secondFactor.provedAt;
  return !!proved && at.getTime() - new Date(proved).getTime() < STEP_UP_MS;
}

/** New recovery codes in place of the old ones, for a person who has just given their second factor. */
export async function replaceRecoveryCodes(db: Db, session: ValidatedSession): Promise<{ ok: true; recoveryCodes: string[] } | { ok: false; message: string }> {
  if (!session.secondFactor.enrolled) return { ok: false, message: "Set up a second factor first." };
  if (!provedRecently(session)) return { ok: false, message: "Enter a code from your authenticator first." };
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  const iso = now().toISOString();
  await writeTransaction(db, async (trx) => {
    await trx.deleteFrom("recovery_codes").where("user_id", "=", session.user.id).execute();
    await trx
      .insertInto("recovery_codes")
      .values(codes.map((code) => ({ user_id: session.user.id, code_hash: hashRecoveryCode(code), created_at: iso, used_at: null })))
      .execute();
    await recordAudit(trx, {
      actorUserId: session.user.id,
      action: "auth.recovery_codes_replaced",
      entityType: "user",
      entityId: session.user.id,
      summary: `${session.user.email} made new recovery codes`,
    });
  });
  return { ok: true, recoveryCodes: codes.map(formatRecoveryCode) };
}

/**
 * Recovery codes: 16 characters from Crockford's base32 alphabet (80 random bits, so a plain SHA-256
 * is enough to store them), shown in groups of four. Typing is forgiving: any case, spaces and
 * dashes ignored, and the letters people confuse with digits read as those digits.
 */
const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
const RECOVERY_CODE_LENGTH = 16;

function newRecoveryCode(): string {
  return Array.from(crypto.randomBytes(RECOVERY_CODE_LENGTH), (b) => ALPHABET[b & 31]).join("");
}

function normaliseCode(raw: string): string {
  const compact = raw.toLowerCase().replace(/[\s-]+/g, "");
  if (/^\d+$/.test(compact)) return compact;
  return compact.replace(/[il]/g, "1").replace(/o/g, "0").replace(/u/g, "v");
}

function hashRecoveryCode(code: string): string {
  return sha256Hex(`recovery-code:${normaliseCode(code)}`);
}

const formatRecoveryCode = (code: string) => code.match(/.{4}/g)!.join("-");

/** The email telling a person that something protecting their account changed. */
export async function securityNotice(user: { email: string; name: string }, change: string, at: Date, consequence?: string) {
  return composeEmail({
    template: "account-security-notice",
    to: { email: user.email, name: user.name },
    subject: change.replace(/\.$/, ""),
    react: AccountSecurityNoticeEmail({
      name: user.name,
      change,
      when: formatDateTime(at),
      consequence,
      forgotPasswordUrl: `${getEnv().APP_URL}/forgot-password`,
    }),
  });
}
