import type { Kysely } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#app/db.server.ts";
import { setClockOffsetForTests } from "#app/utils/time.ts";
import { venuePage, venuesOverview } from "#app/venues/coverage.server.ts";
import type { Database } from "#db/schema.ts";
import { seedDemoData } from "./demo.ts";

// The demo as it is loaded on 21 November 2026.
const AT = new Date("2026-11-21T10:00:00.000Z");

let db: Kysely<Database>;
const coordinator = { id: 0, name: "Alex Morgan", email: "coordinator@neverok.example", roles: ["coordinator" as const] };

beforeAll(async () => {
  db = getDb();
  setClockOffsetForTests(AT.getTime() - Date.now());
  await seedDemoData(db, AT);
}, 60_000);

describe("the demo's venues and staff teams", () => {
  it("range from fully trained to lapsed: one accredited for months, one only until next month, the Forum's training lapsed", async () => {
    setClockOffsetForTests(AT.getTime() - Date.now());
    const { venues } = (await venuesOverview(db, coordinator))!;
    const byName = Object.fromEntries(venues.filter((v) => v.counted > 0).map((v) => [v.name, [v.share, v.accredited, v.accreditedUntil]]));
    expect(byName).toEqual({
      "Advice and Support Centre": [100, true, expect.any(String)],
      Komedia: [62.5, false, null],
      Moles: [90, true, "2027-09-22"],
      "Residential Life team": [83.3, true, "2026-12-21"],
      "The Forum (Students' Union venue)": [28.6, false, null],
      "The Plug (Students' Union venue) and its security team": [50, false, null],
    });
  });

  it("has the Forum's contracted security on its list, their training lapsed, and one matched by SIA licence number", async () => {
    setClockOffsetForTests(AT.getTime() - Date.now());
    const forum = await db.selectFrom("organisations").select("id").where("name", "=", "The Forum (Students' Union venue)").executeTakeFirstOrThrow();
    const page = (await venuePage(db, coordinator, forum.id))!;
    const security = page.members.filter((m) => m.employer === "Shield Security Ltd");
    expect(security.map((m) => [m.name, m.status])).toEqual([
      ["Hamza Ali", "missing"],
      ["Isla Reid", "missing"],
      ["Jonah Pike", "missing"],
      ["Kofi Mensah", "trained"],
      ["Lena Fischer", "missing"],
      ["Marc Dupont", "missing"],
    ]);
    const hamza = security[0]!.requirements.find((r) => r.courseName === "Active Bystander")!;
    expect(hamza).toMatchObject({ state: "missing", lapsedOn: "2026-10-22" });
    expect(page.sendNext.length).toBe(10);
  });
});
