import { describe, expect, it } from "vitest";
import { createAuthSession, SESSION_COOKIE } from "#app/auth/session.server.ts";
import { getDb } from "#app/db.server.ts";
import * as importRoute from "#app/routes/officer.roster.import.tsx";
import { createLeaderRole, createLeaderYear, unique } from "#tests/compliance-fixtures.ts";
import { createCourse, createUser } from "#tests/factories.ts";
import { routeOutcome } from "#tests/route-outcome.ts";

/** The import page given files as spreadsheets save them, and a file built to exhaust the server. */

const db = () => getDb();

async function setUp() {
  const user = await createUser(db(), { roles: ["officer"] });
  const cookie = `${SESSION_COOKIE}=${(await createAuthSession(db(), user.id, null)).token}`;
  const startYear = 2040 + Math.floor(Math.random() * 50);
  await createLeaderYear(db(), startYear);
  const roleName = `Captain ${unique()}`;
  await createLeaderRole(db(), [{ courseId: await createCourse(db()) }], roleName);
  return { cookie, startYear, roleName };
}

async function preview(cookie: string, startYear: number, bytes: Uint8Array<ArrayBuffer>) {
  const form = new FormData();
  form.append("intent", "preview");
  form.append("startYear", String(startYear));
  form.append("file", new Blob([bytes], { type: "text/csv" }), "roster.csv");
  const request = new Request("http://localhost:3000/officer/roster/import", {
    method: "POST",
    body: form,
    headers: { Cookie: cookie, "Sec-Fetch-Site": "same-origin" },
  });
  return routeOutcome(() => importRoute.action({ request, params: {}, context: {} }));
}

describe("roster files by encoding and size", () => {
  it("previews a UTF-16 file saved by Excel as Unicode text, in either byte order", async () => {
    const { cookie, startYear, roleName } = await setUp();
    const text = `Name,Email,Role\r\nZoë Ñandú,zoe-${unique()}@students.example.ac.uk,${roleName}\r\n`;
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
    const be = Buffer.from(le).swap16();
    for (const bytes of [le, be]) {
      const res = await preview(cookie, startYear, new Uint8Array(bytes));
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.preview.fileErrors).toEqual([]);
      expect(res.body.preview.rows.map((r: { name: string; action: string }) => [r.name, r.action])).toEqual([["Zoë Ñandú", "add"]]);
      expect(res.body.csv).toBe(text);
    }
  });

  it("refuses a small file of a million short lines with a clear message, writing nothing", async () => {
    const { cookie, startYear } = await setUp();
    const before = await db()
      .selectFrom("leader_people")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    const res = await preview(cookie, startYear, new Uint8Array(Buffer.from(`Name,Email,Role\n${"a\n".repeat(1_000_000)}`)));
    expect(res.status).toBeLessThan(500);
    expect(res.body.preview.fileErrors).toEqual([expect.stringMatching(/^The file has more than 20,000 rows; at most 20,000 can be imported at once/)]);
    expect(res.body.preview.rows).toEqual([]);
    const after = await db()
      .selectFrom("leader_people")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });
});
