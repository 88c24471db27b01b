import type { Kysely } from "kysely";
import { numberedKey } from "./portable.ts";

// Frozen in time: this file never imports application code.

/**
 * Signing in through the institution's identity provider (OpenID Connect). Accounts stay the app's:
 * a provider only proves who someone is, and `user_identities` ties the provider's subject to the
 * invited account, so a changed email address at the provider never makes a second person.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // email_domains: lower-case domains separated by spaces. The client secret is sealed (encrypted
  // and bound to the provider's slug), so a copy of the database does not give it away.
  await db.schema
    .createTable("sign_in_providers")
    .addColumn("id", "integer", numberedKey(db))
    .addColumn("slug", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("issuer_url", "text", (c) => c.notNull())
    .addColumn("client_id", "text", (c) => c.notNull())
    .addColumn("client_secret_sealed", "text")
    .addColumn("email_domains", "text", (c) => c.notNull())
    .addColumn("sso_required", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("bookers_may_join", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("trusts_provider_second_factor", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("is_enabled", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("user_identities")
    .addColumn("id", "integer", numberedKey(db))
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("provider_id", "integer", (c) => c.notNull().references("sign_in_providers.id").onDelete("cascade"))
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("email", "text", (c) => c.notNull()) // as the provider last gave it
    .addColumn("linked_at", "text", (c) => c.notNull())
    .addColumn("last_signed_in_at", "text", (c) => c.notNull())
    .addUniqueConstraint("user_identities_provider_subject", ["provider_id", "subject"])
    .addUniqueConstraint("user_identities_user_provider", ["user_id", "provider_id"])
    .execute();

  // A sign-in on its way through the provider: found again by the hash of its `state`, which the
  // browser also holds in a cookie; spent on first use and good for ten minutes.
  await db.schema
    .createTable("sso_attempts")
    .addColumn("state_hash", "text", (c) => c.primaryKey())
    .addColumn("provider_id", "integer", (c) => c.notNull().references("sign_in_providers.id").onDelete("cascade"))
    .addColumn("nonce", "text", (c) => c.notNull())
    .addColumn("code_verifier", "text", (c) => c.notNull())
    .addColumn("redirect_to", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("sso_attempts_expires_idx").on("sso_attempts").column("expires_at").execute();

  // A session made through a provider remembers which, so signing out can offer the provider's own sign-out.
  await db.schema
    .alterTable("auth_sessions")
    .addColumn("sso_provider_id", "integer", (c) => c.references("sign_in_providers.id").onDelete("set null"))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("auth_sessions").dropColumn("sso_provider_id").execute();
  await db.schema.dropTable("sso_attempts").execute();
  await db.schema.dropTable("user_identities").execute();
  await db.schema.dropTable("sign_in_providers").execute();
}
