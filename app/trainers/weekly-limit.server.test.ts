import { Migrator, sql, type MigrationProvider } from "kysely";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { migrations } from "#db/migrations/index.ts";
import { migrateToLatest, openDatabase } from "#db/connection.ts";
import { getDb } from "#app/db.server.ts";
import type { Settings } from "#app/settings/schemas.ts";
import { getSettings, saveSettings } from "#app/settings/settings.server.ts";
import { updatePerson } from "#app/users/users.server.ts";
import { createUser } from "#tests/factories.ts";
import { issueFeedToken } from "./trainers.server.ts";
import { describeLimit, describeReach, reachAfterSaving } from "./weekly-limit.ts";
import { defaultLimitReach, weeklyLimitsOf, weeklySessionLimit } from "./weekly-limit.server.ts";

const db = () => getDb();

async function coordinator() {
  return createUser(db(), { roles: ["coordinator"] });
}

async function trainerWithOwnLimit(max: number) {
  const trainer = await createUser(db(), { roles: ["trainer"] });
  await updatePerson(db(), await coordinator(), trainer.id, {
    name: trainer.name,
    roles: ["trainer"],
    organisationIds: [],
    isActive: true,
    weeklyLimit: "own",
    maxSessionsPerWeek: max,
  });
  return trainer;
}

let before: Settings;
beforeAll(async () => {
  before = await getSettings(db());
});
afterEach(async () => {
  await saveSettings(db(), await coordinator(), before);
});

describe("the default weekly limit", () => {
  it("reaches every trainer without a limit of their own, including when the default changes, and never one with their own", async () => {
    const following = await createUser(db(), { roles: ["trainer"] });
    const own = await trainerWithOwnLimit(2);
    await saveSettings(db(), await coordinator(), { ...before, defaultMaxSessionsPerWeek: 7 });
    expect(await weeklySessionLimit(db(), following.id)).toEqual({ sessions: 7, own: false, defaultLimit: 7 });
    expect(await weeklySessionLimit(db(), own.id)).toEqual({ sessions: 2, own: true, defaultLimit: 7 });
    const limits = await weeklyLimitsOf(db(), [following.id, own.id]);
    expect(limits.get(following.id)).toEqual({ sessions: 7, own: false });
    expect(limits.get(own.id)).toEqual({ sessions: 2, own: true });
  });

  it("still reaches a trainer after they make a calendar feed link", async () => {
    const trainer = await createUser(db(), { roles: ["trainer"] });
    await issueFeedToken(db(), trainer);
    await saveSettings(db(), await coordinator(), { ...before, defaultMaxSessionsPerWeek: 6 });
    expect(await weeklySessionLimit(db(), trainer.id)).toMatchObject({ sessions: 6, own: false });
  });

  it("counts the active trainers it reaches and those with their own limit", async () => {
    const start = await defaultLimitReach(db());
    await createUser(db(), { roles: ["trainer"] });
    await trainerWithOwnLimit(3);
    const gone = await createUser(db(), { roles: ["trainer"] });
    await db().updateTable("users").set({ is_active: 0 }).where("id", "=", gone.id).execute();
    await createUser(db(), { roles: ["booker"] });
    const after = await defaultLimitReach(db());
    expect(after.trainers - start.trainers).toBe(2);
    expect(after.withOwnLimit - start.withOwnLimit).toBe(1);
    expect(after.defaultLimit).toBe(before.defaultMaxSessionsPerWeek);
  });
});

describe("the words for it", () => {
  it("say what the default applies to, in agreeing plurals", () => {
    expect(describeReach({ defaultLimit: 4, trainers: 7, withOwnLimit: 2 })).toBe(
      "Applies to trainers who have no limit of their own (5 trainers follow it); 2 trainers have their own limit, set on their page.",
    );
    expect(describeReach({ defaultLimit: 4, trainers: 2, withOwnLimit: 1 })).toBe(
      "Applies to trainers who have no limit of their own (1 trainer follows it); 1 trainer has their own limit, set on their page.",
    );
    expect(describeReach({ defaultLimit: 4, trainers: 2, withOwnLimit: 2 })).toBe(
      "Applies to trainers who have no limit of their own: at the moment every trainer has one; 2 trainers have their own limit, set on their page.",
    );
    expect(reachAfterSaving({ defaultLimit: 3, trainers: 7, withOwnLimit: 2 })).toBe(
      "5 trainers without a limit of their own now have a limit of 3 sessions a week. 2 trainers keep their own.",
    );
    expect(reachAfterSaving({ defaultLimit: 1, trainers: 1, withOwnLimit: 0 })).toBe(
      "1 trainer without a limit of their own now has a limit of 1 session a week.",
    );
    expect(describeReach({ defaultLimit: 4, trainers: 0, withOwnLimit: 0 })).toBe(
      "Applies to each trainer who has no limit of their own (there are no trainers yet).",
    );
    expect(reachAfterSaving({ defaultLimit: 4, trainers: 3, withOwnLimit: 3 })).toBe(
      "The weekly limit of 4 reaches no trainer yet: every trainer has their own limit.",
    );
    expect(describeLimit({ sessions: 1, own: true })).toBe("1 session a week (their own)");
    expect(describeLimit({ sessions: 4, own: false })).toBe("4 sessions a week (the default)");
  });
});

describe("the change to limits that follow the default", () => {
  it("empties each limit equal to the default in force, keeps the others, and changes nobody's limit", async () => {
    const file = openDatabase(":memory:");
    const provider: MigrationProvider = { getMigrations: async () => migrations };
    const result = await new Migrator({ db: file, provider }).migrateTo("0009_second_factor_and_client_throttle");
    if (result.error) throw result.error;
    const at = "2030-01-01T00:00:00.000Z";
    await sql`insert into settings (key, value_json, updated_at, updated_by) values ('scheduling', '{"defaultMaxSessionsPerWeek":5}', ${at}, null)`.execute(
      file,
    );
    for (const [id, max] of [
      [1, 5],
      [2, 2],
      [3, 4],
    ] as const) {
      await sql`insert into users (id, email, name, created_at, updated_at) values (${id}, ${`t${id}@example.ac.uk`}, ${`T${id}`}, ${at}, ${at})`.execute(file);
      await sql`insert into trainer_profiles (user_id, max_sessions_per_week, feed_token_hash) values (${id}, ${max}, ${id === 3 ? "hash" : null})`.execute(
        file,
      );
    }
    await migrateToLatest(file);
    const rows = await file.selectFrom("trainer_profiles").select(["user_id", "max_sessions_per_week", "feed_token_hash"]).orderBy("user_id").execute();
    expect(rows).toEqual([
      { user_id: 1, max_sessions_per_week: null, feed_token_hash: null },
      { user_id: 2, max_sessions_per_week: 2, feed_token_hash: null },
      { user_id: 3, max_sessions_per_week: 4, feed_token_hash: "hash" },
    ]);
    await file.destroy();
  });
});
