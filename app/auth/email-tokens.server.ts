import type { Db, EmailTokenPurpose } from "#db/schema.ts";
import { addMs, DAY, HOUR, now } from "#app/utils/time.ts";
import { randomToken, sha256Hex } from "#app/utils/tokens.server.ts";

/** Emailed links: random, stored only as a hash, expiring, spent once by a POST. */
export const TOKEN_LIFETIME_MS: Record<EmailTokenPurpose, number> = {
  password_reset: HOUR,
  invitation: 7 * DAY,
};

export async function issueEmailToken(db: Db, userId: number, purpose: EmailTokenPurpose): Promise<string> {
  const token = randomToken(32);
  const at = now();
  // A new link replaces any earlier unused one of the same kind.
  await db
    .updateTable("email_tokens")
    .set({ used_at: at.toISOString() })
    .where("user_id", "=", userId)
    .where("purpose", "=", purpose)
    .where("used_at", "is", null)
    .execute();
  await db
    .insertInto("email_tokens")
    .values({
      user_id: userId,
      purpose,
      token_hash: sha256Hex(token),
      created_at: at.toISOString(),
      expires_at: addMs(at, TOKEN_LIFETIME_MS[purpose]).toISOString(),
      used_at: null,
    })
    .execute();
  return token;
}

export type TokenLookup =
  { status: "valid"; tokenId: number; userId: number; purpose: EmailTokenPurpose; email: string; name: string } | { status: "expired" | "used" | "unknown" };

/** Looks a token up without spending it (for the page the link opens). */
export async function lookupEmailToken(db: Db, token: string): Promise<TokenLookup> {
  if (!token || token.length > 200) return { status: "unknown" };
  const row = await db
    .selectFrom("email_tokens")
    .innerJoin("users", "users.id", "email_tokens.user_id")
    .select([
      "email_tokens.id",
      "email_tokens.user_id",
      "email_tokens.purpose",
      "email_tokens.expires_at",
      "email_tokens.used_at",
      "users.email",
      "users.name",
      "users.is_active",
    ])
    .where("email_tokens.token_hash", "=", sha256Hex(token))
    .executeTakeFirst();
  if (!row || row.is_active !== 1) return { status: "unknown" };
  if (row.used_at) return { status: "used" };
  if (row.expires_at <= now().toISOString()) return { status: "expired" };
  return { status: "valid", tokenId: row.id, userId: row.user_id, purpose: row.purpose, email: row.email, name: row.name };
}

/** Spends a token atomically: true for exactly one caller, false if it was already used or expired. */
export async function spendEmailToken(db: Db, tokenId: number): Promise<boolean> {
  const iso = now().toISOString();
  const result = await db
    .updateTable("email_tokens")
    .set({ used_at: iso })
    .where("id", "=", tokenId)
    .where("used_at", "is", null)
    .where("expires_at", ">", iso)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
