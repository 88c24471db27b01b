import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { getDb } from "#app/db.server.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { attend, leaderCourses, leaderSession, unique } from "#tests/compliance-fixtures.ts";
import { createOrganisation, createUser } from "#tests/factories.ts";
import { pinClock } from "#tests/scheduling-fixtures.ts";
import { createStaffMember, createStaffRole, createVenue } from "#tests/staff-fixtures.ts";
import { venueFor } from "./access.server.ts";
import { venuePage, venuesOverview } from "./coverage.server.ts";
import { addStaffMember, endStaffMember, recordStaffCompletion, recordStaffExemption, updateStaffMember, withdrawStaffRecord } from "./members.server.ts";
import { saveStaffRole, setStaffRoleRequirements } from "./roles.server.ts";
import { saveThresholdPercent } from "./threshold.server.ts";

let db: Kysely<Database>;
let courses: Awaited<ReturnType<typeof leaderCourses>>;
let coordinator: SessionUser;
let doorRole: number;
let barRole: number;

beforeAll(async () => {
  db = getDb();
  courses = await leaderCourses(db);
  coordinator = await createUser(db, { roles: ["coordinator"] });
  doorRole = await createStaffRole(db, [
    { courseId: courses.bystander, months: 12 },
    { courseId: courses.disclosures, months: 24 },
  ]);
  barRole = await createStaffRole(db, [{ courseId: courses.bystander, months: 12 }]);
});

beforeEach(() => pinClock("2025-06-01T12:00:00Z"));

async function rejection(promise: Promise<unknown>): Promise<RuleViolation> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RuleViolation);
  return err as RuleViolation;
}

/** A venue with its manager (a booker whose organisation it is). */
async function venueWithManager() {
  const venueId = await createVenue(db);
  const manager = await createUser(db, { roles: ["booker"], organisationIds: [venueId] });
  return { venueId, manager };
}

const staffCount = async (organisationId: number) =>
  Number(
    (
      await db
        .selectFrom("staff_members")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("organisation_id", "=", organisationId)
        .executeTakeFirstOrThrow()
    ).n,
  );

describe("who may see and keep a staff list", () => {
  it("the coordinator any venue's, a venue's own booker theirs, nobody else's", async () => {
    const { venueId, manager } = await venueWithManager();
    const other = await venueWithManager();
    const department = await createOrganisation(db, { kind: "department" });
    const departmentBooker = await createUser(db, { roles: ["booker"], organisationIds: [department] });
    const trainer = await createUser(db, { roles: ["trainer", "officer"], organisationIds: [venueId] });
    expect(await venueFor(db, coordinator, venueId)).toMatchObject({ id: venueId, kind: "partner_venue" });
    expect(await venueFor(db, manager, venueId)).toMatchObject({ id: venueId });
    expect(await venueFor(db, other.manager, venueId)).toBeNull();
    expect(await venueFor(db, trainer, venueId)).toBeNull();
    // A department has no staff list, even for its own booker.
    expect(await venueFor(db, departmentBooker, department)).toBeNull();
    expect(await venueFor(db, coordinator, department)).toBeNull();
    expect(await venuePage(db, other.manager, venueId)).toBeNull();
    expect(await venuesOverview(db, manager)).toBeNull();
  });

  it("a booker cannot add to, change or end anyone on another venue's list, and nothing is written", async () => {
    const mine = await venueWithManager();
    const theirs = await venueWithManager();
    const member = await createStaffMember(db, { organisationId: theirs.venueId, roleId: barRole });
    const input = { name: "Sneaky Add", email: `sneaky.${unique()}@venue.example.com`, roleId: String(barRole), startedOn: "2025-01-01" };
    expect((await rejection(addStaffMember(db, mine.manager, { organisationId: theirs.venueId, ...input }))).field).toBe("organisationId");
    // Their member through my venue's page: not found on my list.
    expect((await rejection(updateStaffMember(db, mine.manager, { organisationId: mine.venueId, memberId: member.id, ...input }))).field).toBe("memberId");
    expect(
      (await rejection(endStaffMember(db, mine.manager, { organisationId: mine.venueId, memberId: String(member.id), endedOn: "2025-05-01" }))).field,
    ).toBe("memberId");
    expect(await staffCount(theirs.venueId)).toBe(1);
    const after = await db.selectFrom("staff_members").select(["name", "ended_on"]).where("id", "=", member.id).executeTakeFirstOrThrow();
    expect(after).toEqual({ name: member.name, ended_on: null });
  });

  it("only the coordinator grants or withdraws an exemption; the venue may record training done elsewhere", async () => {
    const { venueId, manager } = await venueWithManager();
    const member = await createStaffMember(db, { organisationId: venueId, roleId: barRole });
    const exemption = { organisationId: venueId, memberId: String(member.id), courseId: "all", reason: "Owner", grantedBy: "Owner" };
    expect((await rejection(recordStaffExemption(db, manager, exemption))).message).toMatch(/Only the training coordinator/);
    await recordStaffCompletion(db, manager, {
      organisationId: venueId,
      memberId: String(member.id),
      courseId: String(courses.bystander),
      completedOn: "2025-05-01",
      provider: "Another provider",
    });
    await recordStaffExemption(db, coordinator, exemption);
    const [ex] = await db.selectFrom("staff_exemptions").select("id").where("member_id", "=", member.id).execute();
    const withdraw = { organisationId: venueId, memberId: String(member.id), id: String(ex!.id), kind: "exemption" as const, reason: "Mistake" };
    expect((await rejection(withdrawStaffRecord(db, manager, withdraw))).message).toMatch(/Only the training coordinator/);
    await withdrawStaffRecord(db, coordinator, withdraw);
  });
});

describe("keeping a staff list by hand", () => {
  it("adds a contractor with their employer, and refuses a second entry with the same email or staff number beside the field", async () => {
    const { venueId, manager } = await venueWithManager();
    const email = `r.price.${unique()}@shieldsecurity.example`;
    const id = await addStaffMember(db, manager, {
      organisationId: venueId,
      name: "Rhiannon Price",
      email: email.toUpperCase(),
      staffNumber: "sia-1014",
      employer: "Shield Security Ltd",
      roleId: String(doorRole),
      startedOn: "2025-02-01",
    });
    const row = await db.selectFrom("staff_members").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ email, staff_number: "SIA-1014", employer: "Shield Security Ltd", role_id: doorRole, ended_on: null });
    const again = (changes: Record<string, string>) =>
      addStaffMember(db, manager, {
        organisationId: venueId,
        name: "Someone",
        email: `other.${unique()}@x.example`,
        roleId: String(barRole),
        startedOn: "2025-01-01",
        ...changes,
      });
    expect(await rejection(again({ email }))).toMatchObject({ field: "email", message: expect.stringMatching(/Rhiannon Price is already on the staff list/) });
    expect(await rejection(again({ staffNumber: "SIA-1014" }))).toMatchObject({
      field: "staffNumber",
      message: expect.stringMatching(/belongs to Rhiannon Price/),
    });
    // The same person may also work at another venue.
    const elsewhere = await venueWithManager();
    await addStaffMember(db, elsewhere.manager, {
      organisationId: elsewhere.venueId,
      name: "Rhiannon Price",
      email,
      roleId: String(doorRole),
      startedOn: "2025-03-01",
    });
    expect(await staffCount(venueId)).toBe(1);
  });

  it("refuses an archived role for someone new, and a leaving day before they started", async () => {
    const { venueId, manager } = await venueWithManager();
    const archived = await createStaffRole(db, []);
    await db.updateTable("staff_roles").set({ is_archived: 1 }).where("id", "=", archived).execute();
    const add = { organisationId: venueId, name: "New Starter", email: `new.${unique()}@venue.example.com`, startedOn: "2025-04-01" };
    expect((await rejection(addStaffMember(db, manager, { ...add, roleId: String(archived) }))).field).toBe("roleId");
    const id = await addStaffMember(db, manager, { ...add, roleId: String(barRole) });
    expect(await rejection(endStaffMember(db, manager, { organisationId: venueId, memberId: String(id), endedOn: "2025-03-31" }))).toMatchObject({
      field: "endedOn",
    });
  });
});

describe("a venue's coverage", () => {
  it("counts attendance by itself, by email in any case or by staff number, and training recorded by hand; not a session that was not delivered, nor someone who has left", async () => {
    const { venueId, manager } = await venueWithManager();
    const member = (name: string, roleId: number, extra: { staffNumber?: string; endedOn?: string } = {}) =>
      createStaffMember(db, { organisationId: venueId, roleId, name, ...extra });
    const byEmail = await member("Tom Reid", barRole);
    const byNumber = await member("Kemi Ade", barRole, { staffNumber: `F${unique()}` });
    const notDelivered = await member("Lee Ng", barRole);
    const recorded = await member("Priya Shah", doorRole);
    const left = await member("Sam Fox", barRole, { endedOn: "2025-06-01" });
    const leaving = await member("Ana Cruz", barRole, { endedOn: "2025-06-02" });

    await attend(db, await leaderSession(db, courses.bystander, "2025-03-10"), { name: "T Reid", email: byEmail.email.toUpperCase() });
    await attend(db, await leaderSession(db, courses.bystander, "2025-03-11"), {
      name: "Kemi",
      email: "kemi@personal.example.com",
      studentId: byNumber.staffNumber!.toLowerCase(),
    });
    await attend(db, await leaderSession(db, courses.bystander, "2025-06-20", { status: "scheduled" }), notDelivered);
    await attend(db, await leaderSession(db, courses.bystander, "2025-01-10"), left);
    await attend(db, await leaderSession(db, courses.bystander, "2025-01-10"), leaving);
    await attend(db, await leaderSession(db, courses.bystander, "2025-02-01"), recorded);
    await recordStaffCompletion(db, manager, {
      organisationId: venueId,
      memberId: String(recorded.id),
      courseId: String(courses.disclosures),
      completedOn: "2024-01-15",
      provider: "SIA course",
    });

    const page = (await venuePage(db, manager, venueId))!;
    const status = Object.fromEntries(page.members.map((m) => [m.name, [m.status, m.lapsesOn]]));
    expect(status).toEqual({
      "Ana Cruz": ["trained", "2026-01-10"],
      "Kemi Ade": ["trained", "2026-03-11"],
      "Lee Ng": ["missing", null],
      "Priya Shah": ["trained", "2026-01-15"],
      "Tom Reid": ["trained", "2026-03-10"],
    });
    expect(page.leavers.map((l) => l.name)).toEqual(["Sam Fox"]);
    expect(page.summary).toMatchObject({ counted: 5, trained: 4, share: 80, accreditation: { accredited: true, until: "2026-01-10" } });
    expect(page.sendNext.map((m) => [m.name, m.needs.map((n) => n.courseId)])).toEqual([["Lee Ng", [courses.bystander]]]);
  });

  it("is accredited against the coordinator's threshold, on the coordinator's list too", async () => {
    const { venueId } = await venueWithManager();
    for (let i = 0; i < 4; i++) {
      const m = await createStaffMember(db, { organisationId: venueId, roleId: barRole });
      if (i < 3) await attend(db, await leaderSession(db, courses.bystander, "2025-05-01"), m);
    }
    const listed = async () => (await venuesOverview(db, coordinator))!.venues.find((v) => v.id === venueId)!;
    expect(await listed()).toMatchObject({ counted: 4, trained: 3, share: 75, accredited: false, needTraining: 1, nextLapse: "2026-05-01" });
    await saveThresholdPercent(db, coordinator, { thresholdPercent: "75" });
    expect(await listed()).toMatchObject({ accredited: true, accreditedUntil: "2026-05-01" });
    await saveThresholdPercent(db, coordinator, { thresholdPercent: "80" });
    expect((await listed()).accredited).toBe(false);
    await expect(saveThresholdPercent(db, await createUser(db, { roles: ["booker"], organisationIds: [venueId] }), { thresholdPercent: "10" })).rejects.toThrow(
      /Only the training coordinator/,
    );
  });
});

describe("the campaign's staff roles", () => {
  it("are set by the coordinator only, each course once, from the courses there are", async () => {
    const roleId = await saveStaffRole(db, coordinator, null, { name: `Cloakroom ${unique()}`, description: "" });
    const booker = await createUser(db, { roles: ["booker"], organisationIds: [await createVenue(db)] });
    const needs = (requirements: { courseId: number; validity: string; validityMonths: number | string | null }[]) =>
      setStaffRoleRequirements(db, coordinator, roleId, { requirements } as never);
    await expect(setStaffRoleRequirements(db, booker, roleId, { requirements: [] })).rejects.toThrow(/Only the training coordinator/);
    await expect(saveStaffRole(db, booker, null, { name: "Sneaky role" })).rejects.toThrow(/Only the training coordinator/);
    expect(await rejection(needs([{ courseId: 999_999, validity: "once", validityMonths: null }]))).toMatchObject({ field: "requirements.0.courseId" });
    expect(await rejection(needs([{ courseId: courses.consent, validity: "months", validityMonths: null }]))).toMatchObject({
      field: "requirements.0.validityMonths",
    });
    expect(await rejection(needs([{ courseId: courses.consent, validity: "academic_year", validityMonths: null }]))).toMatchObject({
      field: "requirements.0.validity",
    });
    await needs([
      { courseId: courses.consent, validity: "once", validityMonths: "6" },
      { courseId: courses.bystander, validity: "months", validityMonths: 24 },
    ]);
    const saved = await db
      .selectFrom("staff_role_requirements")
      .select(["course_id", "validity", "validity_months"])
      .where("role_id", "=", roleId)
      .orderBy("course_id")
      .execute();
    expect(saved).toEqual(
      [
        { course_id: courses.bystander, validity: "months", validity_months: 24 },
        { course_id: courses.consent, validity: "once", validity_months: null },
      ].sort((a, b) => a.course_id - b.course_id),
    );
  });
});
