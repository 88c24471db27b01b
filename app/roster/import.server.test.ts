import { sql, type Generated, type Kysely, type Selectable } from "kysely";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import type { Database } from "#db/schema.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { getDb } from "#app/db.server.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { EmailSchema } from "#app/utils/validation.ts";
import { MAX_IMPORT_BYTES, MAX_IMPORT_ROWS } from "./import.ts";
import { commitImport, previewImport, readImportRecords, type ImportChange, type ImportDefinition, type ImportPreview } from "./import.server.ts";

/**
 * The list import with a made-up list that has nothing to do with student leaders: a venue's staff,
 * by name, email, role and employer (door staff are contracted, so they must name theirs).
 */

type StaffField = "name" | "email" | "role" | "employer";
interface StaffTable {
  id: Generated<number>;
  venue: string;
  name: string;
  email: string;
  role: string;
  employer: string | null;
}
type StaffRecord = Selectable<StaffTable>;
interface StaffEntry {
  name: string;
  email: string;
  role: string;
  employer: string | null;
  staffId: number | null;
}
const staffTable = (db: Kysely<Database>) => db.withTables<{ import_test_staff: StaffTable }>();

const ROLES = ["Bar staff", "Door security", "Manager"] as const;

const staffSchema = () =>
  z
    .object({
      name: z.string().min(1, "Missing name").max(120, "The name is longer than 120 characters"),
      email: z.string().min(1, "Missing email").pipe(EmailSchema),
      role: z.string().transform((raw, ctx) => {
        const role = ROLES.find((r) => r.toLowerCase() === raw.toLowerCase());
        if (!role) ctx.issues.push({ code: "custom", input: raw, message: `Unknown role “${raw}”` });
        return role ?? z.NEVER;
      }),
      employer: z.string().transform((v) => v || null),
    })
    .refine((v) => v.role !== "Door security" || v.employer, { path: ["employer"], error: "Door staff are contracted: say who employs them" });

type StaffShape = ReturnType<typeof staffSchema>["shape"];

const staffImport: ImportDefinition<StaffField, string, null, StaffShape, StaffRecord, StaffEntry, ImportChange<"role" | "employer">, { written: number }> = {
  columns: {
    name: { label: "Name", headings: ["Name", "Full name"] },
    email: { label: "Email", headings: ["Email", "E-mail address"] },
    role: { label: "Role", headings: ["Role", "Job title"] },
    employer: { label: "Employer", headings: ["Employer", "Employed by", "Agency"] },
  },
  requiredColumns: [{ anyOf: [["name"]] }, { anyOf: [["email"]] }, { anyOf: [["role"]] }],
  load: async () => null,
  rowSchema: staffSchema,
  recordKey: (v) => v.email ?? null,
  async findExisting(db, rows) {
    const emails = rows.flatMap((r) => (r.values.email ? [r.values.email] : []));
    const found = emails.length ? await staffTable(db).selectFrom("import_test_staff").selectAll().where("email", "in", emails).execute() : [];
    return rows.map((r) => found.find((s) => s.email === r.values.email));
  },
  plan(row, existing) {
    const v = row.values;
    const entry = {
      name: v.name ?? row.cells.name,
      email: v.email ?? row.cells.email,
      role: v.role ?? row.cells.role,
      employer: v.employer ?? null,
      staffId: existing?.id ?? null,
    };
    const changes: ImportChange<"role" | "employer">[] = [];
    if (existing && v.role && existing.role !== v.role) changes.push({ field: "role", from: existing.role, to: v.role });
    if (existing && v.employer !== undefined && existing.employer !== v.employer) changes.push({ field: "employer", from: existing.employer, to: v.employer });
    return { entry, adds: !existing, changes };
  },
  async apply(trx, _actor, { rows, scope }) {
    for (const r of rows) {
      if (r.staffId === null)
        await staffTable(trx)
          .insertInto("import_test_staff")
          .values({ venue: scope, name: r.name, email: r.email, role: r.role, employer: r.employer })
          .execute();
      else await staffTable(trx).updateTable("import_test_staff").set({ role: r.role, employer: r.employer }).where("id", "=", r.staffId).execute();
    }
    return { written: rows.length };
  },
};

const manager: SessionUser = { id: 0, email: "manager@moles.example", name: "Venue manager", roles: [] };
let db: Kysely<Database>;
let run = 0;

beforeAll(async () => {
  db = getDb();
  await sql`create table import_test_staff (id integer primary key, venue text not null, name text not null, email text not null unique, role text not null, employer text)`.execute(
    db,
  );
});
beforeEach(() => {
  run++;
});

/** An address unique to this test. */
const mail = (who: string) => `${who}.${run}@moles.example`;
const staffCount = async () => Number((await sql<{ n: number }>`select count(*) as n from import_test_staff`.execute(db)).rows[0]!.n);
const preview = async (csv: string) => (await previewImport(db, staffImport, "The Moles", csv)).preview;
const messagesByRow = (p: ImportPreview<StaffEntry>) => Object.fromEntries(p.rows.map((r) => [r.row, r.errors]));

describe("reading a staff list", () => {
  it("finds each column by any of its headings, whatever the capitals and punctuation, and ignores the rest", async () => {
    const p = await preview(
      `JOB-TITLE,Full Name,Notes,E mail address:,agency,Email\nDoor security,Kim Lee,first aid,${mail("kim")},SafeNight Ltd,other@x.example\n`,
    );
    expect(p.fileErrors).toEqual([]);
    expect(p.columns).toEqual({ role: "JOB-TITLE", name: "Full Name", email: "E mail address:", employer: "agency" });
    // A second column for the same thing is not read.
    expect(p.ignoredColumns).toEqual(["Notes", "Email"]);
    expect(p.rows).toEqual([
      {
        row: 2,
        action: "add",
        name: "Kim Lee",
        email: mail("kim"),
        role: "Door security",
        employer: "SafeNight Ltd",
        staffId: null,
        changes: [],
        errors: [],
        note: null,
      },
    ]);
  });

  it("names the columns a file is missing", async () => {
    expect((await preview("Full name,Employer\nKim Lee,SafeNight Ltd\n")).fileErrors).toEqual([
      "There is no Email column. Name the column “Email”.",
      "There is no Role column. Name the column “Role”.",
    ]);
  });

  it("reports each problem against its row, as the spreadsheet numbers it, and its column, as the file heads it", async () => {
    const csv = [
      "Full name,E-mail address,Job title,Employed by",
      `Ana Silva,${mail("ana")},Bar staff,`,
      `,${mail("noname")},Manager,`,
      "",
      `Bad Address,not-an-email,Bar staff,`,
      `Sam Cole,${mail("sam")},Door security,`,
      `Jo Park,${mail("jo")},Juggler,`,
      `Ana Silva,${mail("ana")},Bar staff,`,
      // A row with one bad cell is still compared with the others by the cells that are good.
      `Ana Silva,${mail("ana").toUpperCase()},Juggler,`,
    ].join("\n");
    expect(messagesByRow(await preview(csv))).toEqual({
      2: [],
      3: [{ column: "Full name", message: "Missing name" }],
      5: [{ column: "E-mail address", message: "Enter an email address like name@example.ac.uk" }],
      6: [{ column: "Employed by", message: "Door staff are contracted: say who employs them" }],
      7: [{ column: "Job title", message: "Unknown role “Juggler”" }],
      8: [{ column: null, message: "Duplicate of row 2" }],
      9: [
        { column: "Job title", message: "Unknown role “Juggler”" },
        { column: null, message: "Duplicate of row 2" },
      ],
    });
  });

  it("says what a row changes on someone already on the list, and shows nothing changed for a row that is the same", async () => {
    await commitImport(db, manager, staffImport, "The Moles", `Name,Email,Role,Employer\nLee Ward,${mail("lee")},Bar staff,\nMo Diaz,${mail("mo")},Manager,\n`);
    const p = await preview(`Name,Email,Role,Employer\nLee Ward,${mail("lee")},Door security,SafeNight Ltd\nMo Diaz,${mail("mo")},Manager,\n`);
    expect(p.rows.map((r) => [r.action, r.changes])).toEqual([
      [
        "change",
        [
          { field: "role", from: "Bar staff", to: "Door security" },
          { field: "employer", from: null, to: "SafeNight Ltd" },
        ],
      ],
      ["unchanged", []],
    ]);
    expect(p.counts).toEqual({ add: 0, change: 1, unchanged: 1, error: 0, total: 2 });
  });
});

describe("importing a staff list", () => {
  const withOneBadRow = () => `Name,Email,Role\nNia Hart,${mail("nia")},Bar staff\nOwen Pryce,${mail("owen")},Bouncer\n`;

  it("writes nothing when any row has an error, and says which rows", async () => {
    const before = await staffCount();
    const refused = await commitImport(db, manager, staffImport, "The Moles", withOneBadRow()).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RuleViolation);
    expect((refused as RuleViolation).message).toBe("1 row has errors (row 3). Fix the file, or import it without those rows.");
    expect(await staffCount()).toBe(before);
  });

  it("writes exactly the good rows when told to leave the bad ones out", async () => {
    const before = await staffCount();
    expect(await commitImport(db, manager, staffImport, "The Moles", withOneBadRow(), { skipErrors: true })).toEqual({ written: 1 });
    expect(await staffCount()).toBe(before + 1);
  });

  it("writes nothing when writing fails part-way", async () => {
    const before = await staffCount();
    const failing = {
      ...staffImport,
      async apply(trx: Kysely<Database>, actor: SessionUser, batch: Parameters<typeof staffImport.apply>[2]) {
        await staffImport.apply(trx, actor, { ...batch, rows: batch.rows.slice(0, 1) });
        throw new Error("The disk is full");
      },
    };
    const csv = `Name,Email,Role\nPia Ross,${mail("pia")},Bar staff\nQuinn Ames,${mail("quinn")},Manager\n`;
    await expect(commitImport(db, manager, failing, "The Moles", csv)).rejects.toThrow("The disk is full");
    expect(await staffCount()).toBe(before);
  });

  it("checks the file again when importing: a file with no rows is refused", async () => {
    await expect(commitImport(db, manager, staffImport, "The Moles", "Name,Email,Role\n")).rejects.toThrow("The file has headings but no rows.");
  });
});

describe("the limits on a file", () => {
  const rows = (n: number) => Array.from({ length: n }, (_, i) => `P${i},p${i}.${run}@moles.example,Bar staff`).join("\n");

  it("takes a file of the most rows allowed, and refuses one row more without previewing any", async () => {
    const full = readImportRecords(`Name,Email,Role\n${rows(MAX_IMPORT_ROWS)}\n`);
    expect({ rows: full.rows.length, tooMany: full.tooMany }).toEqual({ rows: MAX_IMPORT_ROWS, tooMany: false });
    const over = await preview(`Name,Email,Role\n${rows(MAX_IMPORT_ROWS + 1)}\n`);
    expect(over.fileErrors).toEqual([
      "The file has more than 20,000 rows; at most 20,000 can be imported at once. Split it into smaller files and import each.",
    ]);
    expect(over.rows).toEqual([]);
  });

  it("refuses text larger than the file limit", async () => {
    const big = `Name,Email,Role\n${"x".repeat(MAX_IMPORT_BYTES)}\n`;
    expect((await preview(big)).fileErrors).toEqual(["The file is larger than 5 MB. Split it into smaller files."]);
  });
});
