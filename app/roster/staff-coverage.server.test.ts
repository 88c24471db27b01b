import { beforeAll, describe, expect, it } from "vitest";
import { sql, type Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import { getDb } from "#app/db.server.ts";
import { attend, leaderCourses, leaderSession } from "#tests/compliance-fixtures.ts";
import { createOrganisation, createUser } from "#tests/factories.ts";
import { matchedAttendance } from "./attendance.server.ts";
import {
  CountingDay,
  indexEvidence,
  meetRequirement,
  REQUIREMENT_SEVERITY,
  type CompletionEvidence,
  type CourseRequirement,
  type Exemption,
} from "./requirements.ts";
import { percentOf, worstOf } from "./status.ts";

/**
 * The roster rules serve more than student leaders. Here a partner venue's staff (their accounts
 * stand in for a staff list) is evaluated the way venue coverage needs: training valid for a rolling
 * twelve or twenty-four months, no academic year and no deadline; attendance counted by email from
 * the registers; who is covered, until when, and the share of the staff trained.
 */

let db: Kysely<Database>;
let courses: Awaited<ReturnType<typeof leaderCourses>>;
beforeAll(async () => {
  db = getDb();
  courses = await leaderCourses(db);
});

const DOOR_SUPERVISOR = 1;
const BAR_STAFF = 2;

async function venueWorld() {
  const requirementsByRole = new Map<number, CourseRequirement[]>([
    [
      DOOR_SUPERVISOR,
      [
        { courseId: courses.bystander, courseName: "Active Bystander", lasts: { kind: "months", months: 12 } },
        { courseId: courses.disclosures, courseName: "Handling Disclosures", lasts: { kind: "months", months: 24 } },
      ],
    ],
    [BAR_STAFF, [{ courseId: courses.bystander, courseName: "Active Bystander", lasts: { kind: "months", months: 12 } }]],
  ]);
  const venue = await createOrganisation(db, { kind: "partner_venue" });
  const member = async (name: string, role: number) => ({ ...(await createUser(db, { name, organisationIds: [venue] })), role });
  const staff = {
    priya: await member("Priya Shah", DOOR_SUPERVISOR),
    tom: await member("Tom Reid", BAR_STAFF),
    kemi: await member("Kemi Ade", BAR_STAFF),
    sam: await member("Sam Fox", DOOR_SUPERVISOR),
    lee: await member("Lee Ng", BAR_STAFF),
  };
  // Someone at another venue, trained: never one of this venue's.
  const elsewhere = await createUser(db, { organisationIds: [await createOrganisation(db, { kind: "partner_venue" })] });

  const bystander = (date: string, status?: "scheduled") => leaderSession(db, courses.bystander, date, { status });
  await attend(db, await bystander("2025-03-10"), { name: "P Shah", email: staff.priya.email.toUpperCase() });
  await attend(db, await bystander("2024-05-01"), staff.tom);
  await attend(db, await bystander("2025-05-20"), staff.kemi);
  await attend(db, await bystander("2025-05-21", "scheduled"), staff.lee);
  await attend(db, await bystander("2025-05-21"), elsewhere);
  // Handling Disclosures done with another provider, as the venue's manager would record it.
  const recorded = new Map<number, CompletionEvidence[]>([
    [
      staff.priya.id,
      [
        {
          courseId: courses.disclosures,
          completedOn: "2024-01-15",
          source: "external",
          completionId: 1,
          registrationId: null,
          sessionId: null,
          provider: "SIA course",
        },
      ],
    ],
  ]);
  const exemptions = new Map<number, Exemption[]>([[staff.sam.id, [{ id: 1, courseId: null, reason: "Trains the team", grantedBy: "Venue manager" }]]]);
  return { venue, staff, requirementsByRole, recorded, exemptions };
}

/** The venue's staff as the registers know them: a selection of id, email and student ID. */
const staffOf = (venue: number) =>
  db
    .selectFrom("users as u")
    .innerJoin("organisation_members as m", "m.user_id", "u.id")
    .where("m.organisation_id", "=", venue)
    .select(["u.id", "u.email", sql<string | null>`null`.as("student_id")]);

async function coverage(world: Awaited<ReturnType<typeof venueWorld>>, asOf: string) {
  const day = new CountingDay(asOf, null);
  const attended = await matchedAttendance(db, staffOf(world.venue));
  const people = Object.values(world.staff).map((person) => {
    const evidence = indexEvidence([...(attended.get(person.id) ?? []), ...(world.recorded.get(person.id) ?? [])]);
    const outcomes = world.requirementsByRole.get(person.role)!.map((r) => meetRequirement(r, evidence, world.exemptions.get(person.id) ?? [], day));
    return {
      name: person.name,
      state: worstOf(
        outcomes.map((o) => o.state),
        REQUIREMENT_SEVERITY,
        "met",
      ),
      lapsesOn: outcomes.flatMap((o) => (o.validUntil ? [o.validUntil] : [])).sort()[0] ?? null,
    };
  });
  return { people, trained: percentOf(people.filter((p) => p.state !== "missing").length, people.length), attended };
}

describe("a venue's staff on the roster rules", () => {
  it("says who is covered and until when, and the share trained, on a rolling twelve months without a year or a deadline", async () => {
    const world = await venueWorld();
    const june = await coverage(world, "2025-06-01");
    expect(june.people).toEqual([
      // Active Bystander until 10 March 2026, Handling Disclosures (24 months) until 15 January 2026: the earlier.
      { name: "Priya Shah", state: "met", lapsesOn: "2026-01-15" },
      // Done in May 2024: lapsed on 1 May 2025, so a refresher is due.
      { name: "Tom Reid", state: "missing", lapsesOn: null },
      { name: "Kemi Ade", state: "met", lapsesOn: "2026-05-20" },
      { name: "Sam Fox", state: "exempt", lapsesOn: null },
      // On a register, but the session was not delivered.
      { name: "Lee Ng", state: "missing", lapsesOn: null },
    ]);
    expect(june.trained).toBe(60);
    expect([...june.attended.keys()].sort()).toEqual([world.staff.priya.id, world.staff.tom.id, world.staff.kemi.id].sort());

    // Seen later, Priya's Handling Disclosures has lapsed; Kemi's training still counts.
    const february = await coverage(world, "2026-02-01");
    expect(february.people.map((p) => [p.name, p.state, p.lapsesOn])).toEqual([
      ["Priya Shah", "missing", "2026-03-10"],
      ["Tom Reid", "missing", null],
      ["Kemi Ade", "met", "2026-05-20"],
      ["Sam Fox", "exempt", null],
      ["Lee Ng", "missing", null],
    ]);
    expect(february.trained).toBe(40);
  });
});
