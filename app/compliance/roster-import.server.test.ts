import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sql, type Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { getDb } from "#app/db.server.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { createOrganisation, createUser } from "#tests/factories.ts";
import { createLeader, createLeaderRole, createLeaderYear, leaderCourses, unique } from "#tests/compliance-fixtures.ts";
import { pinClock } from "#tests/scheduling-fixtures.ts";
import { MAX_IMPORT_ROWS } from "#app/roster/import.ts";
import { readImportRecords } from "#app/roster/import.server.ts";
import { decodeImportFile } from "#app/roster/import-upload.server.ts";
import { commitRosterImport, previewRosterImport, ROSTER_TEMPLATE_CSV } from "./roster-import.server.ts";
import { rejection } from "#tests/rule-violations.ts";
import { rowCount } from "#tests/row-counts.ts";
import { onPostgres } from "#tests/connections.ts";

let db: Kysely<Database>;
let officer: SessionUser;
let roles: { captain: number; hallRep: number; archived: number };
let tag: string;
const YEAR = 2035;

beforeAll(async () => {
  db = getDb();
  officer = await createUser(db, { name: "Jordan Ellis", roles: ["officer"] });
  const courses = await leaderCourses(db);
  await createLeaderYear(db, YEAR);
  roles = {
    captain: await createLeaderRole(db, [{ courseId: courses.bystander }], "Freshers' Week captain"),
    hallRep: await createLeaderRole(db, [{ courseId: courses.bystander }], "Hall rep"),
    archived: await createLeaderRole(db, [], "Buddy"),
  };
  await db.updateTable("leader_roles").set({ is_archived: 1 }).where("id", "=", roles.archived).execute();
});

beforeEach(() => {
  pinClock(`${YEAR}-09-10T12:00:00Z`);
  tag = unique();
});

/** An address unique to this test. */
const mail = (who: string) => `${who}.${tag}@students.example.ac.uk`;

const tableCounts = async () => ({
  people: await rowCount(db, "leader_people"),
  appointments: await rowCount(db, "leader_appointments"),
  audit: await rowCount(db, "audit_events"),
});

describe("reading the spreadsheet", () => {
  it("understands the headings a union spreadsheet uses, a byte order mark, quotes and CRLF", async () => {
    const csv =
      "\uFEFFFirst name,Surname,E-mail address,Student number,Position,Club/Society,Chair?,Notes\r\n" +
      `Amira,Hussain,${mail("amira").toUpperCase()},s2400100,freshers week captains,"Freshers' Week Captains",Yes,"Keen, organised"\r\n`;
    const preview = await previewRosterImport(db, YEAR, csv);
    expect(preview.fileErrors).toEqual([]);
    expect(preview.columns).toEqual({
      firstName: "First name",
      lastName: "Surname",
      email: "E-mail address",
      studentId: "Student number",
      role: "Position",
      group: "Club/Society",
      president: "Chair?",
    });
    expect(preview.ignoredColumns).toEqual(["Notes"]);
    expect(preview.rows[0]).toMatchObject({
      row: 2,
      action: "add",
      name: "Amira Hussain",
      email: mail("amira"),
      studentId: "S2400100",
      roleName: "Freshers' Week captain",
      roleId: roles.captain,
      groupName: "Freshers' Week Captains",
      isPresident: true,
      newPerson: true,
      errors: [],
    });
  });

  it("says which rows are wrong and why, with the spreadsheet's row numbers", async () => {
    const csv = [
      "Name,Email,Student ID,Role,Group,President",
      `Good Person,${mail("good")},,Hall rep,Hall Reps,no`,
      `,${mail("noname")},,Hall rep,Hall Reps,`,
      "Bad Email,not-an-email,,Hall rep,Hall Reps,",
      `Unknown Role,${mail("unknown")},,Chief Vibes Officer,Hall Reps,`,
      `Archived Role,${mail("archived")},,Buddy,,`,
      `Good Person,${mail("good")},,hall reps,hall reps,no`,
      `Bad Id,${mail("badid")},S 12/3,Hall rep,Hall Reps,`,
      `Two Names,${mail("two")},,Hall rep,Hall Reps,`,
      `Two Nams,${mail("two")},,Freshers' Week captain,Freshers' Week Captains,`,
      `Bad President,${mail("pres")},,Hall rep,Hall Reps,maybe`,
      "",
      `Shared Id A,${mail("shared-a")},SH${tag},Hall rep,Hall Reps,`.slice(0, 200),
      `Shared Id B,${mail("shared-b")},SH${tag},Hall rep,Hall Reps,`,
    ].join("\n");
    const preview = await previewRosterImport(db, YEAR, csv);
    const byRow = Object.fromEntries(preview.rows.map((r) => [r.row, [r.action, ...r.errors.map((e) => e.message)]]));
    expect(byRow).toEqual({
      2: ["add"],
      3: ["error", "Missing name"],
      4: ["error", "“not-an-email” is not an email address: write it like name@example.ac.uk"],
      // A role it does not know is answered with the roles it does, and never an archived one.
      5: ["error", expect.stringMatching(/^There is no role called “Chief Vibes Officer”: use one of .*“Hall rep”/)],
      6: ["error", expect.stringMatching(/^The role “Buddy” is archived: use one of (?!.*“Buddy”).*“Freshers' Week captain”/)],
      7: ["error", "Duplicate of row 2"],
      8: ["error", "“S 12/3” is not a student ID: use letters, digits and hyphens, at most 20"],
      9: ["add"],
      10: ["error", "Row 9 gives this email the name “Two Names”"],
      11: ["error", "President should be yes or no, not “maybe”"],
      13: ["add"],
      14: ["error", `Student ID SH${tag.toUpperCase()} is also given to ${mail("shared-a")} on row 13`],
    });
    expect(preview.counts).toEqual({ add: 3, change: 0, unchanged: 0, error: 9, total: 12 });
  });

  it("refuses a file without the columns it needs, an empty file, too many rows, or a broken quote", async () => {
    expect((await previewRosterImport(db, YEAR, "Name,Group\nA,B\n")).fileErrors).toEqual([
      "There is no Email column. Name the column “Email”.",
      "There is no Role column. Name the column “Role”.",
    ]);
    expect((await previewRosterImport(db, YEAR, "First name,Email,Role\nA,a@b.ac.uk,Hall rep\n")).fileErrors).toEqual([
      "There is no Name column. Use a “Name” column, or “First name” and “Last name”.",
    ]);
    expect((await previewRosterImport(db, YEAR, "\r\n\r\n")).fileErrors).toEqual(["The file is empty."]);
    expect((await previewRosterImport(db, YEAR, 'Name,Email,Role\n"A,a@b.ac.uk,Hall rep\n')).fileErrors[0]).toMatch(/quote/);
    const big = ["Name,Email,Role", ...Array.from({ length: MAX_IMPORT_ROWS + 1 }, (_, i) => `P${i},p${i}@x.ac.uk,Hall rep`)].join("\n");
    const tooMany = await previewRosterImport(db, YEAR, big);
    expect(tooMany.fileErrors).toEqual([
      `The file has more than 20,000 rows; at most 20,000 can be imported at once. Split it into smaller files and import each.`,
    ]);
    expect(tooMany.rows).toEqual([]);
  });

  it("refuses a student ID that belongs to someone else already on a roster", async () => {
    const holder = await createLeader(db, { roleId: roles.hallRep, startYear: YEAR, studentId: `H${tag}`.toUpperCase() });
    const preview = await previewRosterImport(db, YEAR, `Name,Email,Student ID,Role\nNew Person,${mail("new")},h${tag},Hall rep\n`);
    expect(preview.rows[0]!.errors).toEqual([
      { column: "Student ID", message: `Student ID H${tag.toUpperCase()} belongs to ${holder.name} (${holder.email})` },
    ]);
  });

  it("the template reads without errors once its roles exist", async () => {
    const preview = await previewRosterImport(db, YEAR, ROSTER_TEMPLATE_CSV.replace("Sports club committee", "Hall rep"));
    expect(preview.fileErrors).toEqual([]);
    expect(preview.rows.map((r) => r.action)).toEqual(["add", "add", "add"]);
  });
});

describe("importing", () => {
  const goodAndBad = () =>
    [
      "Name,Email,Student ID,Role,Group,President,Start date",
      `Ella Morris,${mail("ella")},,Hall rep,Hall Reps,no,`,
      `Femi Adeyemi,${mail("femi")},,Freshers' Week captain,Freshers' Week Captains,yes,01/09/${YEAR}`,
      `Broken,not-an-email,,Hall rep,Hall Reps,no,`,
    ].join("\r\n");

  it("writes nothing from a file with a bad row unless the officer says so", async () => {
    const before = await tableCounts();
    const refused = await rejection(commitRosterImport(db, officer, YEAR, goodAndBad()));
    expect(refused.field).toBe("file");
    expect(refused.message).toBe("1 row has errors (row 4). Fix the file, or import it without those rows.");
    expect(await tableCounts()).toEqual(before);
    expect(
      await db
        .selectFrom("leader_people")
        .select("id")
        .where("email", "in", [mail("ella"), mail("femi")])
        .execute(),
    ).toEqual([]);
  });

  it("with skipErrors imports exactly the good rows", async () => {
    const before = await tableCounts();
    const result = await commitRosterImport(db, officer, YEAR, goodAndBad(), { skipErrors: true });
    expect(result).toEqual({ added: 2, changed: 0, unchanged: 0, skipped: [4], peopleAdded: 2 });
    const after = await tableCounts();
    expect([after.people - before.people, after.appointments - before.appointments, after.audit - before.audit]).toEqual([2, 2, 1]);
    const rows = await db
      .selectFrom("leader_appointments as a")
      .innerJoin("leader_people as p", "p.id", "a.person_id")
      .select(["p.name", "a.role_id", "a.group_name", "a.is_president", "a.started_on"])
      .where("p.email", "in", [mail("ella"), mail("femi")])
      .orderBy("p.name")
      .execute();
    expect(rows).toEqual([
      { name: "Ella Morris", role_id: roles.hallRep, group_name: "Hall Reps", is_president: 0, started_on: `${YEAR}-09-10` },
      { name: "Femi Adeyemi", role_id: roles.captain, group_name: "Freshers' Week Captains", is_president: 1, started_on: `${YEAR}-09-01` },
    ]);
    const audit = await db
      .selectFrom("audit_events")
      .selectAll()
      .where("action", "=", "leader.roster_imported")
      .orderBy("id", "desc")
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ actor_user_id: officer.id, entity_id: String(YEAR) });
    expect(audit.summary).toContain("2 added, 0 changed, 0 unchanged, 1 row with errors left out");
  });

  it("a second import of the same file changes nothing; a changed file shows and applies exactly its changes", async () => {
    const orgName = `Hockey Club ${tag}`;
    const organisationId = await createOrganisation(db, { name: orgName, kind: "sports_club" });
    const file = (president: string, name: string, id: string) =>
      `Name,Email,Student ID,Role,Group,President\n${name},${mail("grace")},${id},Hall rep,${orgName.toUpperCase()},${president}\nHarry Patel,${mail("harry")},,Hall rep,${orgName},no\n`;
    expect(await commitRosterImport(db, officer, YEAR, file("yes", "Grace Kim", ""))).toMatchObject({ added: 2, peopleAdded: 2 });
    const linked = await db.selectFrom("leader_appointments").select(["organisation_id", "group_name"]).where("group_name", "=", orgName).execute();
    expect(linked).toEqual([
      { organisation_id: organisationId, group_name: orgName },
      { organisation_id: organisationId, group_name: orgName },
    ]);

    const same = await previewRosterImport(db, YEAR, file("yes", "Grace Kim", ""));
    expect(same.rows.map((r) => r.action)).toEqual(["unchanged", "unchanged"]);
    expect(await commitRosterImport(db, officer, YEAR, file("yes", "Grace Kim", ""))).toMatchObject({ added: 0, changed: 0, unchanged: 2 });

    const changed = await previewRosterImport(db, YEAR, file("no", "Grace Kim-Lee", `G${tag}`));
    expect(changed.rows[0]).toMatchObject({
      action: "change",
      changes: [
        { field: "name", from: "Grace Kim", to: "Grace Kim-Lee" },
        { field: "studentId", from: null, to: `G${tag}`.toUpperCase() },
        { field: "isPresident", from: "yes", to: "no" },
      ],
    });
    expect(changed.rows[1]!.action).toBe("unchanged");
    expect(await commitRosterImport(db, officer, YEAR, file("no", "Grace Kim-Lee", `G${tag}`))).toMatchObject({ added: 0, changed: 1, unchanged: 1 });
    const person = await db.selectFrom("leader_people").select(["name", "student_id"]).where("email", "=", mail("grace")).executeTakeFirstOrThrow();
    expect(person).toEqual({ name: "Grace Kim-Lee", student_id: `G${tag}`.toUpperCase() });
  });

  it("never restarts a role that was ended, and counts the roster's people the file leaves out", async () => {
    const ended = await createLeader(db, {
      roleId: roles.hallRep,
      startYear: YEAR,
      email: mail("ended"),
      name: "Isla Brown",
      groupName: "Hall Reps",
      endedOn: `${YEAR}-09-05`,
    });
    await createLeader(db, { roleId: roles.hallRep, startYear: YEAR, groupName: "Hall Reps" });
    const preview = await previewRosterImport(db, YEAR, `Name,Email,Role,Group\nIsla Brown,${mail("ended")},Hall rep,Hall Reps\n`);
    expect(preview.rows[0]).toMatchObject({ action: "unchanged", appointmentId: ended.appointmentId, note: expect.stringContaining("does not restart") });
    expect(preview.notInFile).toBeGreaterThanOrEqual(1);
    await commitRosterImport(db, officer, YEAR, `Name,Email,Role,Group\nIsla Brown,${mail("ended")},Hall rep,Hall Reps\n`);
    expect(await db.selectFrom("leader_appointments").select("ended_on").where("id", "=", ended.appointmentId).executeTakeFirstOrThrow()).toEqual({
      ended_on: `${YEAR}-09-05`,
    });
  });

  it("is all or nothing: a write that fails part-way leaves nothing behind", async () => {
    const before = await tableCounts();
    const csv = `Name,Email,Role\nJack Evans,${mail("jack")},Hall rep\nKai Owen,${mail("kai")},Hall rep\n`;
    // A trigger stands in for a failure after the people and the first appointment are written.
    const trigger = sql.raw(`fail_roster_${tag}`);
    const kai = sql`(select id from leader_people where email = ${sql.lit(mail("kai"))})`;
    if (onPostgres) {
      await sql`create function ${trigger}() returns trigger language plpgsql as $$
        begin if new.person_id in ${kai} then raise exception 'boom'; end if; return new; end $$`.execute(db);
      await sql`create trigger ${trigger} before insert on leader_appointments for each row execute function ${trigger}()`.execute(db);
    } else {
      await sql`create trigger ${trigger} before insert on leader_appointments when new.person_id in ${kai} begin select raise(abort, 'boom'); end`.execute(db);
    }
    try {
      await expect(commitRosterImport(db, officer, YEAR, csv)).rejects.toThrow(/boom/);
    } finally {
      await sql`drop trigger ${trigger}${onPostgres ? sql` on leader_appointments` : sql``}`.execute(db);
      if (onPostgres) await sql`drop function ${trigger}()`.execute(db);
    }
    expect(await tableCounts()).toEqual(before);
    expect(await commitRosterImport(db, officer, YEAR, csv)).toMatchObject({ added: 2 });
  });

  it("needs the year to be set up first", async () => {
    expect((await rejection(previewRosterImport(db, 1990, "Name,Email,Role\n"))).field).toBe("startYear");
  });
});

describe("reading a roster file", () => {
  it("stops at the row limit while reading: a million short lines are refused in a 64 MB heap", async () => {
    const script = `
      const { readImportRecords } = await import("#app/roster/import.server.ts");
      const text = "Name,Email,Role\\n" + "a\\n".repeat(1_000_000);
      const file = readImportRecords(text);
      console.log(JSON.stringify({ rows: file.rows.length, tooMany: file.tooMany }));
    `;
    const cwd = path.resolve(import.meta.dirname, "../..");
    const { stdout } = await promisify(execFile)(process.execPath, ["--max-old-space-size=64", "--import", "tsx", "--input-type=module", "-e", script], {
      cwd,
      timeout: 60_000,
    });
    expect(JSON.parse(stdout)).toEqual({ rows: MAX_IMPORT_ROWS, tooMany: true });
  }, 90_000);

  it("says the file has too many rows, and previews nothing, for a million lines", async () => {
    const preview = await previewRosterImport(db, YEAR, `Name,Email,Role\n${"a\n".repeat(1_000_000)}`);
    expect(preview.fileErrors).toEqual([expect.stringMatching(/^The file has more than 20,000 rows/)]);
    expect(preview.rows).toEqual([]);
    expect(preview.counts.total).toBe(0);
  });

  it("keeps blank lines out of the count, and refuses a row of thousands of columns", async () => {
    const spaced = readImportRecords(`\n\nName,Email,Role\n\n${"a,b,c\n,,\n".repeat(MAX_IMPORT_ROWS)}`);
    expect({ rows: spaced.rows.length, tooMany: spaced.tooMany, first: spaced.rows[0]!.row }).toEqual({ rows: MAX_IMPORT_ROWS, tooMany: false, first: 5 });
    const wide = await previewRosterImport(db, YEAR, `Name,Email,Role\n${",".repeat(1_000_000)}\n`);
    expect(wide.fileErrors).toEqual([expect.stringMatching(/^Row 2 has more than 1,000 columns/)]);
  });

  it("reads UTF-16 (either byte order, with its mark), UTF-8 with or without a mark, and Windows-1252", async () => {
    const text = `Name,Email,Role\r\nZoë Ñandú-O’Brien,${mail("zoe")},Hall rep\r\n`;
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
    const be = Buffer.from(le);
    be.swap16();
    const utf8Bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, "utf8")]);
    for (const [label, bytes] of Object.entries({
      le,
      be,
      utf8Bom,
      utf8: Buffer.from(text, "utf8"),
      leWithoutMark: le.subarray(2),
      beWithoutMark: be.subarray(2),
    })) {
      const decoded = decodeImportFile(new Uint8Array(bytes));
      expect(decoded, label).toBe(text);
      const preview = await previewRosterImport(db, YEAR, decoded);
      expect(preview.fileErrors, label).toEqual([]);
      expect(
        preview.rows.map((r) => [r.name, r.action]),
        label,
      ).toEqual([["Zoë Ñandú-O’Brien", "add"]]);
    }
    const cp1252 = Buffer.from("Name,Email,Role\r\nZo\u00eb Smith,z@x.ac.uk,Hall rep\r\n", "latin1");
    expect(decodeImportFile(new Uint8Array(cp1252))).toContain("Zoë Smith");
  });

  it("says what is wrong with a file it cannot read as text", () => {
    const refusal = (bytes: number[] | Buffer) => {
      try {
        decodeImportFile(new Uint8Array(bytes));
      } catch (err) {
        expect(err).toBeInstanceOf(RuleViolation);
        return (err as RuleViolation).message;
      }
      throw new Error("expected the file to be refused");
    };
    expect(refusal([0xff, 0xfe, 0x00, 0x00, 0x41, 0, 0, 0])).toMatch(/UTF-32/);
    expect(refusal([0xff, 0xfe, 0x41, 0x00, 0x00, 0xd8])).toMatch(/says it is UTF-16 but part of it is not/);
    expect(refusal([0xef, 0xbb, 0xbf, 0x41, 0xff, 0x42])).toMatch(/says it is UTF-8 but part of it is not/);
    expect(refusal([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52])).toMatch(/not a text file/);
    expect(refusal([0x50, 0x4b, 0x03, 0x04, 1, 2])).toMatch(/Excel workbook/);
  });
});
