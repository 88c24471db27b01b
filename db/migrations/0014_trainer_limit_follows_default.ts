import { sql, type Kysely } from "kysely";

// Frozen in time: this file never imports application code.

/** The scheduling settings' default when none has been saved, as it stood when this was written. */
const DEFAULT_WHEN_WRITTEN = 4;

/**
 * A trainer's weekly limit becomes their own only when the coordinator sets one: an empty limit
 * follows the default in the scheduling settings, so changing that default reaches every trainer
 * without a limit of their own. Before, every trainer's profile held a number (the column's default,
 * or the default copied in when their page was saved), so a changed default reached nobody. A limit
 * equal to the default in force now was copied, not chosen, and becomes empty; nobody's limit changes.
 * SQLite cannot drop NOT NULL in place, so the table is rebuilt.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const saved = await db.selectFrom("settings").select("value_json").where("key", "=", "scheduling").executeTakeFirst();
  let current = DEFAULT_WHEN_WRITTEN;
  try {
    const value = saved ? (JSON.parse(saved.value_json) as { defaultMaxSessionsPerWeek?: unknown }).defaultMaxSessionsPerWeek : undefined;
    if (Number.isInteger(value)) current = value as number;
  } catch {
    // An unreadable setting is read by the app as the default, so the default is what was in force.
  }

  await db.schema
    .createTable("trainer_profiles_next")
    .addColumn("user_id", "integer", (c) => c.primaryKey().references("users.id").onDelete("cascade"))
    .addColumn("max_sessions_per_week", "integer")
    .addColumn("feed_token_hash", "text", (c) => c.unique())
    .addColumn("feed_token_created_at", "text")
    .execute();
  await sql`
    insert into trainer_profiles_next (user_id, max_sessions_per_week, feed_token_hash, feed_token_created_at)
    select user_id, case when max_sessions_per_week = ${current} then null else max_sessions_per_week end, feed_token_hash, feed_token_created_at
    from trainer_profiles`.execute(db);
  await db.schema.dropTable("trainer_profiles").execute();
  await db.schema.alterTable("trainer_profiles_next").renameTo("trainer_profiles").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("trainer_profiles_previous")
    .addColumn("user_id", "integer", (c) => c.primaryKey().references("users.id").onDelete("cascade"))
    .addColumn("max_sessions_per_week", "integer", (c) => c.notNull().defaultTo(DEFAULT_WHEN_WRITTEN))
    .addColumn("feed_token_hash", "text", (c) => c.unique())
    .addColumn("feed_token_created_at", "text")
    .execute();
  await sql`
    insert into trainer_profiles_previous (user_id, max_sessions_per_week, feed_token_hash, feed_token_created_at)
    select user_id, coalesce(max_sessions_per_week, ${DEFAULT_WHEN_WRITTEN}), feed_token_hash, feed_token_created_at from trainer_profiles`.execute(db);
  await db.schema.dropTable("trainer_profiles").execute();
  await db.schema.alterTable("trainer_profiles_previous").renameTo("trainer_profiles").execute();
}
