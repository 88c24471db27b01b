import { beforeAll, describe, expect, it } from "vitest";
import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import { getDb } from "#app/db.server.ts";
import { saveThresholdPercent } from "#app/venues/threshold.server.ts";
import { attend, leaderCourses, leaderSession } from "#tests/compliance-fixtures.ts";
import { createUser } from "#tests/factories.ts";
import { pinClock } from "#tests/scheduling-fixtures.ts";
import { createStaffMember, createStaffRole, createVenue } from "#tests/staff-fixtures.ts";
import { loadImpactReport } from "./impact-page.server.ts";

let db: Kysely<Database>;
let venueName: string;
let coordinator: Awaited<ReturnType<typeof createUser>>;

beforeAll(async () => {
  db = getDb();
  pinClock("2026-11-21T12:00:00Z");
  coordinator = await createUser(db, { roles: ["coordinator"] });
  const { bystander } = await leaderCourses(db);
  const roleId = await createStaffRole(db, [{ courseId: bystander }]);
  venueName = `Moles ${Date.now()}`;
  const venueId = await createVenue(db, venueName);
  const session = await leaderSession(db, bystander, "2026-10-01");
  for (let i = 0; i < 8; i++) {
    const member = await createStaffMember(db, { organisationId: venueId, roleId });
    if (i < 6) await attend(db, session, member);
  }
});

const coverageTable = async (query: string) => (await loadImpactReport(db, new URLSearchParams(query))).report.tables.find((t) => t.id === "venue-coverage");

describe("the impact report's venues", () => {
  it("shows today's coverage in a period that runs to today, against the threshold as it is now", async () => {
    pinClock("2026-11-21T12:00:00Z");
    const row = async () => (await coverageTable(""))!.rows.find((r) => r[0]!.kind === "text" && r[0]!.text === venueName)!;
    expect((await row())[4]).toEqual({ kind: "text", text: "Not accredited" });
    // Only the setting changes, no record: the kept report must still follow it.
    await saveThresholdPercent(db, coordinator, { thresholdPercent: "75" });
    expect((await row())[4]).toEqual({ kind: "text", text: "Accredited until Fri 1 Oct 2027" });
  });

  it("has none for a past year, nor when narrowed to a course or to departments", async () => {
    pinClock("2026-11-21T12:00:00Z");
    expect(await coverageTable("year=2024")).toBeUndefined();
    expect(await coverageTable("course=1")).toBeUndefined();
    expect(await coverageTable("kind=department")).toBeUndefined();
    expect(await coverageTable("kind=partner_venue")).toBeDefined();
  });
});
