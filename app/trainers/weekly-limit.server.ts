import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import { getSettings } from "#app/settings/settings.server.ts";
import { effectiveLimit, type DefaultLimitReach, type WeeklyLimit } from "./weekly-limit.ts";

/** A trainer's weekly limit, with the default it falls back on. */
export async function weeklySessionLimit(db: Kysely<Database>, userId: number): Promise<WeeklyLimit & { defaultLimit: number }> {
  const [profile, settings] = await Promise.all([
    db.selectFrom("trainer_profiles").select("max_sessions_per_week").where("user_id", "=", userId).executeTakeFirst(),
    getSettings(db),
  ]);
  return { ...effectiveLimit(profile?.max_sessions_per_week, settings.defaultMaxSessionsPerWeek), defaultLimit: settings.defaultMaxSessionsPerWeek };
}

/** The weekly limits of these people, by id, for those of them who are trainers. */
export async function weeklyLimitsOf(db: Kysely<Database>, userIds: number[]): Promise<Map<number, WeeklyLimit>> {
  if (userIds.length === 0) return new Map();
  const [trainers, settings] = await Promise.all([
    db
      .selectFrom("user_roles")
      .leftJoin("trainer_profiles", "trainer_profiles.user_id", "user_roles.user_id")
      .select(["user_roles.user_id", "trainer_profiles.max_sessions_per_week"])
      .where("user_roles.role", "=", "trainer")
      .where("user_roles.user_id", "in", userIds)
      .execute(),
    getSettings(db),
  ]);
  return new Map(trainers.map((t) => [t.user_id, effectiveLimit(t.max_sessions_per_week, settings.defaultMaxSessionsPerWeek)]));
}

/** How many active trainers the default weekly limit reaches, and how many have a limit of their own instead. */
export async function defaultLimitReach(db: Kysely<Database>): Promise<DefaultLimitReach> {
  const [row, settings] = await Promise.all([
    db
      .selectFrom("user_roles")
      .innerJoin("users", "users.id", "user_roles.user_id")
      .leftJoin("trainer_profiles", "trainer_profiles.user_id", "user_roles.user_id")
      .select((eb) => [eb.fn.countAll<number>().as("trainers"), eb.fn.count<number>("trainer_profiles.max_sessions_per_week").as("withOwnLimit")])
      .where("user_roles.role", "=", "trainer")
      .where("users.is_active", "=", 1)
      .executeTakeFirstOrThrow(),
    getSettings(db),
  ]);
  return { defaultLimit: settings.defaultMaxSessionsPerWeek, trainers: Number(row.trainers), withOwnLimit: Number(row.withOwnLimit) };
}
