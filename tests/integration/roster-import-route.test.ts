import { describe, expect, it } from "vitest";
import { createAuthSession, SESSION_COOKIE } from "#app/auth/session.server.ts";
import { getDb } from "#app/db.server.ts";
import { MAX_IMPORT_BYTES } from "#app/roster/import.ts";
import * as importRoute from "#app/routes/officer.roster.import.tsx";
import * as templateRoute from "#app/routes/officer.roster.template.ts";
import { createLeader, createLeaderRole, createLeaderYear, unique } from "#tests/compliance-fixtures.ts";
import { createCourse, createUser } from "#tests/factories.ts";
import { routeOutcome } from "#tests/route-outcome.ts";

/** The import page's action, called as the browser calls it: multipart uploads and confirmations. */

const db = () => getDb();

async function officerCookie() {
  const user = await createUser(db(), { roles: ["officer"] });
  const { token } = await createAuthSession(db(), user.id, null);
  return `${SESSION_COOKIE}=${token}`;
}

const post = (cookie: string, fields: Record<string, string | Blob>, fileName = "roster.csv") => {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) {
    if (typeof v === "string") form.append(k, v);
    else form.append(k, v, fileName);
  }
  const request = new Request("http://localhost:3000/officer/roster/import", {
    method: "POST",
    body: form,
    headers: { Cookie: cookie, "Sec-Fetch-Site": "same-origin" },
  });
  return routeOutcome(() => importRoute.action({ request, params: {}, context: {} }));
};

async function setUp() {
  const startYear = 2040 + Math.floor(Math.random() * 50);
  await createLeaderYear(db(), startYear);
  const roleName = `Captain ${unique()}`;
  const roleId = await createLeaderRole(db(), [{ courseId: await createCourse(db()) }], roleName);
  const existing = await createLeader(db(), { roleId, startYear, groupName: "Chess Club", startedOn: `${startYear}-09-01` });
  const id = unique();
  const csv = [
    "Name,Email,Role,Group,President",
    `New Person,new-${id}@students.example.ac.uk,${roleName},Chess Club,no`,
    `${existing.name},${existing.email},${roleName},Chess Club,yes`,
    `Bad Email,not-an-email,${roleName},Chess Club,no`,
  ].join("\r\n");
  return { startYear, roleId, existing, csv, newEmail: `new-${id}@students.example.ac.uk` };
}

const peopleWithEmail = async (email: string) => (await db().selectFrom("leader_people").select("id").where("email", "=", email).execute()).length;

describe("the roster import page", () => {
  it("previews an uploaded file without writing, carrying the file to the confirmation", async () => {
    const cookie = await officerCookie();
    const { startYear, csv, newEmail } = await setUp();
    const res = await post(cookie, { intent: "preview", startYear: String(startYear), file: new Blob([csv], { type: "text/csv" }) });
    expect(res.status).toBe(200);
    expect(res.body.step).toBe("preview");
    expect(res.body.preview.counts).toMatchObject({ add: 1, change: 1, unchanged: 0, error: 1 });
    expect(res.body.preview.rows.find((r: { row: number }) => r.row === 4).errors).toEqual([
      { column: "Email", message: "“not-an-email” is not an email address: write it like name@example.ac.uk" },
    ]);
    expect(res.body.csv).toBe(csv);
    expect(res.body.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    expect(await peopleWithEmail(newEmail)).toBe(0);
  });

  it("refuses a file over the limit with a message beside the file field", async () => {
    const cookie = await officerCookie();
    const { startYear } = await setUp();
    const big = new Blob([new Uint8Array(MAX_IMPORT_BYTES + 100 * 1024).fill(65)]);
    const res = await post(cookie, { intent: "preview", startYear: String(startYear), file: big });
    expect(res.status).toBe(413);
    expect(res.body.step).toBe("upload");
    expect(res.body.result.error.file[0]).toMatch(/larger than 5 MB/);
  });

  it("refuses an Excel workbook and an empty upload, and reads a Windows-1252 file", async () => {
    const cookie = await officerCookie();
    const { startYear, roleId } = await setUp();
    const xlsx = new Blob([new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3])]);
    const refused = await post(cookie, { intent: "preview", startYear: String(startYear), file: xlsx }, "roster.xlsx");
    expect(refused.status).toBe(400);
    expect(refused.body.result.error.file[0]).toMatch(/Excel workbook/);

    const empty = await post(cookie, { intent: "preview", startYear: String(startYear), file: new Blob([]) });
    expect(empty.status).toBe(400);
    expect(empty.body.step).toBe("upload");

    const role = await db().selectFrom("leader_roles").select("name").where("id", "=", roleId).executeTakeFirstOrThrow();
    // "Zoë" in Windows-1252: ë is the single byte 0xEB.
    const bytes = [...Buffer.from("Name,Email,Role\r\nZo"), 0xeb, ...Buffer.from(` Smith,zoe-${unique()}@students.example.ac.uk,${role.name}\r\n`)];
    const latin = await post(cookie, { intent: "preview", startYear: String(startYear), file: new Blob([new Uint8Array(bytes)]) });
    expect(latin.body.preview.rows[0].name).toBe("Zoë Smith");
  });

  it("imports only when confirmed, and only without the bad rows when the officer says so", async () => {
    const cookie = await officerCookie();
    const { startYear, csv, newEmail, existing } = await setUp();
    const preview = await post(cookie, { intent: "preview", startYear: String(startYear), file: new Blob([csv]) });
    const confirm = { intent: "confirm", startYear: String(startYear), csv, fileName: "roster.csv", fingerprint: preview.body.fingerprint };

    const refused = await post(cookie, confirm);
    expect(refused.status).toBe(400);
    expect(refused.body.step).toBe("preview");
    expect(refused.body.confirmError).toMatch(/1 row has errors \(row 4\)/);
    expect(await peopleWithEmail(newEmail)).toBe(0);

    const done = await post(cookie, { ...confirm, skipErrors: "on" });
    expect(done.status).toBe(302);
    expect(done.headers.get("Location")).toBe(`/officer/roster/import?year=${startYear}&imported=1`);
    expect(done.headers.get("Set-Cookie")).toContain("neverok_flash");
    expect(await peopleWithEmail(newEmail)).toBe(1);
    const appointment = await db().selectFrom("leader_appointments").select("is_president").where("id", "=", existing.appointmentId).executeTakeFirstOrThrow();
    expect(appointment.is_president).toBe(1);
  });

  it("shows the preview again, importing nothing, when the roster changed after the officer checked it", async () => {
    const cookie = await officerCookie();
    const { startYear, csv, newEmail } = await setUp();
    const preview = await post(cookie, { intent: "preview", startYear: String(startYear), file: new Blob([csv]) });
    // Someone else imports the same file in between.
    const other = await post(await officerCookie(), {
      intent: "confirm",
      startYear: String(startYear),
      csv,
      fingerprint: preview.body.fingerprint,
      skipErrors: "on",
    });
    expect(other.status).toBe(302);
    const stale = await post(cookie, { intent: "confirm", startYear: String(startYear), csv, fingerprint: preview.body.fingerprint, skipErrors: "on" });
    expect(stale.status).toBe(409);
    expect(stale.body.notice).toMatch(/changed since/);
    expect(stale.body.preview.counts).toMatchObject({ add: 0, change: 0, unchanged: 2, error: 1 });
    expect(await peopleWithEmail(newEmail)).toBe(1);
  });

  it("answers a confirmation for a year that is not set up with a 400 that says so, importing nothing", async () => {
    const cookie = await officerCookie();
    const { csv, newEmail } = await setUp();
    const res = await post(cookie, { intent: "confirm", startYear: "2001", csv, fingerprint: "0".repeat(32), skipErrors: "on" });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe("Set up this academic year and its deadline first. Choose the file again.");
    expect(await peopleWithEmail(newEmail)).toBe(0);
  });
});

describe("the roster template", () => {
  it("downloads as a CSV file Excel opens as UTF-8", async () => {
    const cookie = await officerCookie();
    const request = new Request("http://localhost:3000/officer/roster/template", { headers: { Cookie: cookie } });
    const res = (await templateRoute.loader({ request, params: {}, context: {} })) as Response;
    expect(res.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("Content-Disposition")).toBe('attachment; filename="leader-roster-template.csv"');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(bytes.slice(3)).split("\r\n")[0]).toBe("First name,Last name,Email,Student ID,Role,Group,President,Start date");
  });
});
