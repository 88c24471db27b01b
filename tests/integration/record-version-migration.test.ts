import { Migrator, type MigrationProvider } from "kysely";
import { describe, expect, it } from "vitest";
import { migrateToLatest, openDatabase } from "#db/connection.ts";
import { migrations } from "#db/migrations/index.ts";
import { versionTriggers } from "#tests/record-versions.ts";

const provider: MigrationProvider = { getMigrations: async () => migrations };

describe("record versions by feature (migration 0017)", () => {
  it("replaces the one version every watched table raised, and going back restores it", async () => {
    const db = openDatabase(":memory:");
    const migrator = new Migrator({ db, provider });
    const before = await migrator.migrateTo("0016_single_sign_on");
    if (before.error) throw before.error;
    const single = await versionTriggers(db);
    expect(new Set(single.map((t) => t.feature))).toEqual(new Set(["records"]));
    // A database already in use: a course written before the change.
    const at = "2030-01-01T00:00:00Z";
    await db
      .insertInto("courses")
      .values({
        name: "Consent",
        description: "",
        duration_minutes: 90,
        default_group_size: 20,
        max_group_size: 30,
        colour: "#336699",
        created_at: at,
        updated_at: at,
      })
      .execute();
    expect(await db.selectFrom("record_versions").selectAll().execute()).toEqual([{ name: "records", version: 1 }]);

    await migrateToLatest(db);
    const byFeature = await versionTriggers(db);
    expect(byFeature.filter((t) => t.feature === "records")).toEqual([]);
    // Every table the one version watched is still watched, for a feature of its own.
    expect(new Set(byFeature.map((t) => t.table))).toEqual(new Set(single.map((t) => t.table)));
    const versions = await db.selectFrom("record_versions").select("name").orderBy("name").execute();
    expect(versions.map((v) => v.name)).toEqual([
      "accounts",
      "attendance",
      "calendar",
      "feedback",
      "leaders",
      "reference",
      "registrations",
      "sessions",
      "staff",
    ]);
    await db.updateTable("courses").set({ name: "Consent and respect" }).execute();
    expect((await db.selectFrom("record_versions").select("version").where("name", "=", "reference").executeTakeFirstOrThrow()).version).toBe(1);

    const back = await migrator.migrateTo("0016_single_sign_on");
    if (back.error) throw back.error;
    expect(await versionTriggers(db)).toEqual(single);
    await db.updateTable("courses").set({ name: "Consent" }).execute();
    expect(await db.selectFrom("record_versions").selectAll().execute()).toEqual([{ name: "records", version: 1 }]);
    await db.destroy();
  });
});
