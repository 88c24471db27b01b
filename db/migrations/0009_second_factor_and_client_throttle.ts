import type { Kysely } from "kysely";
import { numberedKey } from "./portable.ts";

// Frozen in time: this file never imports application code.

export async function up(db: Kysely<any>): Promise<void> {
  // Failed sign-ins counted per network address, one row per attempt, so a successful sign-in can
  // take back exactly its own row and the count is a sliding window.
  await db.schema
    .createTable("sign_in_client_failures")
    .addColumn("id", "integer", numberedKey(db))
    .addColumn("client", "text", (c) => c.notNull())
    .addColumn("failed_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("sign_in_client_failures_client_idx").on("sign_in_client_failures").columns(["client", "failed_at"]).execute();

  // One authenticator per account. The secret is stored encrypted; a secret being set up waits in
  // pending_secret until the first code confirms it. last_used_step refuses a code a second time.
  await db.schema
    .createTable("second_factors")
    .addColumn("user_id", "integer", (c) => c.primaryKey().references("users.id").onDelete("cascade"))
    .addColumn("secret", "text")
    .addColumn("confirmed_at", "text")
    .addColumn("pending_secret", "text")
    .addColumn("pending_created_at", "text")
    .addColumn("last_used_step", "integer")
    .addColumn("failure_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("last_failed_at", "text")
    .addColumn("locked_until", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("recovery_codes")
    .addColumn("id", "integer", numberedKey(db))
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("code_hash", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("used_at", "text")
    .execute();
  await db.schema.createIndex("recovery_codes_user_idx").on("recovery_codes").column("user_id").execute();

  // When this session last proved the second factor: null until then, so a session made by a
  // password alone can do nothing but ask for the code.
  await db.schema.alterTable("auth_sessions").addColumn("second_factor_at", "text").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("auth_sessions").dropColumn("second_factor_at").execute();
  await db.schema.dropTable("recovery_codes").execute();
  await db.schema.dropTable("second_factors").execute();
  await db.schema.dropTable("sign_in_client_failures").execute();
}
