import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import { getDb } from "#app/db.server.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { toCsv } from "#app/utils/csv.ts";
import { leaderCourses, unique } from "#tests/compliance-fixtures.ts";
import { createUser } from "#tests/factories.ts";
import { pinClock } from "#tests/scheduling-fixtures.ts";
import { createStaffMember, createStaffRole, createVenue } from "#tests/staff-fixtures.ts";
import { commitStaffImport, previewStaffImport, STAFF_TEMPLATE_CSV } from "./staff-import.server.ts";

let db: Kysely<Database>;
let door: string;
let bar: string;

beforeAll(async () => {
  db = getDb();
  const courses = await leaderCourses(db);
  const tag = unique();
  door = `Door supervisor ${tag}`;
  bar = `Bar staff ${tag}`;
  await createStaffRole(db, [{ courseId: courses.bystander }], door);
  await createStaffRole(db, [{ courseId: courses.bystander }], bar);
});

beforeEach(() => pinClock("2025-09-15T12:00:00Z"));

async function venue() {
  const venueId = await createVenue(db);
  const manager = await createUser(db, { roles: ["booker"], organisationIds: [venueId] });
  return { venueId, manager };
}

const staffOf = (venueId: number) =>
  db
    .selectFrom("staff_members")
    .select(["name", "email", "staff_number", "employer", "started_on", "ended_on"])
    .where("organisation_id", "=", venueId)
    .orderBy("email")
    .execute();

describe("importing a venue's staff list", () => {
  it("previews every row: who is added or changed, and each bad value beside its column, writing nothing", async () => {
    const { venueId, manager } = await venue();
    const tag = unique();
    const known = await createStaffMember(db, {
      organisationId: venueId,
      roleId: (await db.selectFrom("staff_roles").select("id").where("name", "=", bar).executeTakeFirstOrThrow()).id,
      name: "Jo Known",
      email: `jo.${tag}@venue.example.com`,
      staffNumber: `K${tag}`,
    });
    const csv = toCsv([
      ["Surname", "First name", "E-mail", "Staff no", "Job title", "Contractor", "Start date"],
      ["Known", "Jo", known.email, "", door, "", ""],
      ["Price", "Rhiannon", `r.price.${tag}@shield.example`, "SIA-1", `${door}s`, "Shield Security Ltd", "01/10/2025"],
      ["Bad", "Email", "not-an-address", "", bar, "", ""],
      ["No", "Role", `norole.${tag}@venue.example.com`, "", "Glass collector", "", ""],
      ["Taken", "Number", `taken.${tag}@venue.example.com`, `k${tag}`, bar, "", ""],
      ["Bad", "Date", `date.${tag}@venue.example.com`, "", bar, "", "31/02/2025"],
      ["Price", "Again", `r.price.${tag}@shield.example`, "", bar, "", ""],
    ]);
    const preview = await previewStaffImport(db, manager, venueId, csv);
    expect(preview.fileErrors).toEqual([]);
    expect(preview.counts).toEqual({ add: 1, change: 1, unchanged: 0, error: 5, total: 7 });
    const byRow = Object.fromEntries(preview.rows.map((r) => [r.row, r]));
    expect(byRow[2]).toMatchObject({ action: "change", changes: [{ field: "role", from: bar, to: door }] });
    expect(byRow[3]).toMatchObject({
      action: "add",
      name: "Rhiannon Price",
      staffNumber: "SIA-1",
      employer: "Shield Security Ltd",
      roleName: door,
      startedOn: "2025-10-01",
    });
    expect(byRow[4]!.errors).toEqual([{ column: "E-mail", message: "“not-an-address” is not an email address: write it like name@example.ac.uk" }]);
    expect(byRow[5]!.errors).toEqual([
      { column: "Job title", message: expect.stringMatching(/There is no role called “Glass collector”: use one of .*“Bar staff/) },
    ]);
    expect(byRow[6]!.errors).toEqual([{ column: "Staff no", message: `Staff number K${tag} belongs to Jo Known (${known.email})` }]);
    expect(byRow[7]!.errors).toEqual([{ column: "Start date", message: "“31/02/2025” is not a date: write it like 2026-09-01 or 01/09/2026" }]);
    expect(byRow[8]!.errors).toEqual([{ column: null, message: "Duplicate of row 3" }]);
    expect(await staffOf(venueId)).toHaveLength(1);
  });

  it("imports all of a file or none of it; without its bad rows only when asked", async () => {
    const { venueId, manager } = await venue();
    const tag = unique();
    const csv = toCsv([
      ["Name", "Email", "Role", "Employer"],
      ["Ana Cruz", `ana.${tag}@venue.example.com`, bar, ""],
      ["Bo Lee", `bo.${tag}@shield.example`, door, "Shield Security Ltd"],
      ["Cy Broken", "broken", bar, ""],
    ]);
    const refused = await commitStaffImport(db, manager, venueId, csv).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RuleViolation);
    expect((refused as RuleViolation).message).toMatch(/1 row has errors \(row 4\)/);
    expect(await staffOf(venueId)).toEqual([]);

    expect(await commitStaffImport(db, manager, venueId, csv, { skipErrors: true })).toEqual({ added: 2, changed: 0, unchanged: 0, skipped: [4] });
    expect(await staffOf(venueId)).toEqual([
      { name: "Ana Cruz", email: `ana.${tag}@venue.example.com`, staff_number: null, employer: null, started_on: "2025-09-15", ended_on: null },
      { name: "Bo Lee", email: `bo.${tag}@shield.example`, staff_number: null, employer: "Shield Security Ltd", started_on: "2025-09-15", ended_on: null },
    ]);
    // The same file again changes nothing; someone who has since left stays off the list.
    await db.updateTable("staff_members").set({ ended_on: "2025-09-10" }).where("email", "=", `ana.${tag}@venue.example.com`).execute();
    const again = await previewStaffImport(db, manager, venueId, csv);
    expect(again.rows.map((r) => [r.action, r.note])).toEqual([
      ["unchanged", "Left on Wed 10 Sep 2025; importing does not put them back on the list."],
      ["unchanged", null],
      ["error", null],
    ]);
  });

  it("refuses one staff number given to two people in the file, and records what the import did", async () => {
    const { venueId, manager } = await venue();
    const tag = unique();
    const csv = toCsv([
      ["First name", "Last name", "Email", "Staff number", "Role"],
      ["Dee", "One", `dee.${tag}@venue.example.com`, `T${tag}`, bar],
      ["Eli", "Two", `eli.${tag}@venue.example.com`, `t${tag}`, door],
    ]);
    const preview = await previewStaffImport(db, manager, venueId, csv);
    expect(preview.rows.map((r) => [r.action, r.name, r.errors])).toEqual([
      ["add", "Dee One", []],
      ["error", "Eli Two", [{ column: "Staff number", message: `Staff number T${tag.toUpperCase()} is also given to dee.${tag}@venue.example.com on row 2` }]],
    ]);
    await commitStaffImport(db, manager, venueId, csv, { skipErrors: true });
    const audit = await db
      .selectFrom("audit_events")
      .select("summary")
      .where("action", "=", "staff_list.imported")
      .where("entity_id", "=", String(venueId))
      .executeTakeFirstOrThrow();
    expect(audit.summary).toMatch(/: 1 added, 0 changed, 0 unchanged, 1 row with errors left out$/);
  });

  it("refuses a file without the columns it needs, and a venue the person does not keep", async () => {
    const { venueId, manager } = await venue();
    const other = await venue();
    const noRole = await previewStaffImport(
      db,
      manager,
      venueId,
      toCsv([
        ["Name", "Email"],
        ["A", "a@b.example"],
      ]),
    );
    expect(noRole.fileErrors).toEqual(["There is no Role column. Name the column “Role”."]);
    await expect(previewStaffImport(db, other.manager, venueId, STAFF_TEMPLATE_CSV)).rejects.toMatchObject({ field: "organisationId" });
    await expect(commitStaffImport(db, other.manager, venueId, STAFF_TEMPLATE_CSV)).rejects.toMatchObject({ field: "organisationId" });
    expect(await staffOf(venueId)).toEqual([]);
  });
});
