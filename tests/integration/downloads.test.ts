import contentDisposition from "content-disposition";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { createElement } from "react";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createAuthSession, SESSION_COOKIE } from "#app/auth/session.server.ts";
import { getDb } from "#app/db.server.ts";
import { sendEmail } from "#app/email/outbox.server.ts";
import * as attachmentRoute from "#app/routes/coordinator.outbox.$messageId.attachments.$index.ts";
import * as leadersExport from "#app/routes/officer.leaders.export.ts";
import * as impactExport from "#app/routes/reports.impact_.export.ts";
import * as rosterTemplate from "#app/routes/officer.roster.template.ts";
import { contentDispositionHeader } from "#app/utils/content-disposition.server.ts";
import { parseCsv } from "#app/utils/csv.ts";
import { createLeader, createLeaderRole, createLeaderYear, leaderCourses } from "#tests/compliance-fixtures.ts";
import { createCourse, createOrganisation, createUser, sameSiteRequest } from "#tests/factories.ts";
import { pinClock } from "#tests/scheduling-fixtures.ts";

/**
 * Every download built from names people typed (organisations, groups, courses, leaders, attachment
 * names): the CSV keeps each name in its own cell and never as a formula, and the file name in
 * Content-Disposition is written by the library, so no name can end the header or add another.
 */

const YEAR = 2072;
const HOSTILE = '=HYPERLINK("http://evil.example","Click") "Société", Ltd\r\nSet-Cookie: x=1; \\..\\/';
/** What no header may carry: a line break would start a header of its own, and no control character belongs in one. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_CHARACTER = /[\x00-\x1f\x7f]/;
const FORMULAS = ["=1+1", "+1", "-2+3", "@SUM(A1)", "\t=1", " =1+1", "\r\n=1", "＝1+1"];
let cookie: string;

type Loader = (a: LoaderFunctionArgs) => Promise<Response>;
async function get(mod: { loader: unknown }, url: string, params: Record<string, string> = {}): Promise<Response> {
  try {
    return await (mod.loader as Loader)({ request: sameSiteRequest(url, { cookie }), params, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

/** The file name as a browser reads it, after checking the header is one well-formed value. */
function downloadName(res: Response): string {
  const header = res.headers.get("Content-Disposition")!;
  expect(header).not.toMatch(CONTROL_CHARACTER);
  const parsed = contentDisposition.parse(header);
  expect(parsed.type).toBe("attachment");
  // parse() reads filename* when it is there, and gives it as filename.
  const name = parsed.parameters.filename!;
  expect(name).not.toMatch(/[\r\n/\\"]/);
  return name;
}

beforeEach(() => pinClock(`${YEAR}-11-20T12:00:00Z`));
beforeAll(async () => {
  pinClock(`${YEAR}-11-20T12:00:00Z`);
  const coordinator = await createUser(getDb(), { roles: ["coordinator"] });
  cookie = `${SESSION_COOKIE}=${(await createAuthSession(getDb(), coordinator.id, null)).token}`;
});

describe("the leaders' CSV", () => {
  it("keeps hostile names and groups in their cells as text, and the file name in one header", async () => {
    const db = getDb();
    const courses = await leaderCourses(db);
    await createLeaderYear(db, YEAR);
    const roleId = await createLeaderRole(db, [{ courseId: courses.bystander }], `Role ${HOSTILE}`);
    const names = [HOSTILE, ...FORMULAS];
    for (const name of names) await createLeader(db, { roleId, startYear: YEAR, name, groupName: HOSTILE });

    const res = await get(leadersExport, `/officer/leaders/export?year=${YEAR}&group=${encodeURIComponent(HOSTILE)}`);
    expect(res.status).toBe(200);
    const name = downloadName(res);
    expect(name).toMatch(/^leader-training-2072-73-.*société.*\.csv$/);
    const [header, ...rows] = parseCsv(await res.text());
    expect(header![0]).toBe("Name");
    expect(rows).toHaveLength(names.length);
    const guarded = (v: string) => (/^(?:[\s\u00a0]*[=+\-@\uff1d]|[\t\r\n])/.test(v) ? `'${v}` : v);
    expect(rows.map((r) => r[0]).sort()).toEqual(names.map(guarded).sort());
    for (const r of rows) {
      expect(r[4]).toBe(`'${HOSTILE}`);
      expect(r).toHaveLength(header!.length);
    }
  });
});

describe("the impact report's CSV", () => {
  it("keeps a hostile organisation and course name as text in one cell", async () => {
    const db = getDb();
    const orgId = await createOrganisation(db, { name: ` ${HOSTILE}`, kind: "society" });
    const courseId = await createCourse(db, { name: `-${HOSTILE}` });
    const booker = await createUser(db, { roles: ["booker"], organisationIds: [orgId] });
    const at = "2072-10-01T10:00:00.000Z";
    const request = await db
      .insertInto("booking_requests")
      .values({
        organisation_id: orgId,
        requested_by: booker.id,
        course_id: courseId,
        group_size: 30,
        audience: "students",
        location_kind: "own_premises",
        address: "1 High Street",
        accessibility_needs: null,
        notes: null,
        status: "scheduled",
        status_reason: null,
        session_id: null,
        created_at: at,
        updated_at: at,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db
      .insertInto("sessions")
      .values({
        course_id: courseId,
        booking_request_id: request.id,
        organisation_id: orgId,
        starts_at: at,
        ends_at: "2072-10-01T11:00:00.000Z",
        duration_minutes: 60,
        room_id: null,
        address: "1 High Street",
        capacity: 40,
        status: "delivered",
        cancel_reason: null,
        ical_uid: `downloads-${crypto.randomUUID()}@neverok.example`,
        created_by: null,
        created_at: at,
        updated_at: at,
        kind: "booked",
        head_count: 25,
      })
      .execute();

    for (const table of ["organisations", "courses", "all"]) {
      const res = await get(impactExport, `/reports/impact/export?year=${YEAR}&table=${table}`);
      expect(res.status).toBe(200);
      expect(downloadName(res)).toMatch(/^impact-[a-z-]+-2072-73[a-z-]*\.csv$/);
      const cells = parseCsv(await res.text()).flat();
      const hostile = cells.filter((c) => c.includes("HYPERLINK"));
      expect(hostile.length, table).toBeGreaterThan(0);
      expect(
        hostile.some((c) => c === `' ${HOSTILE}` || c === `'-${HOSTILE}`),
        table,
      ).toBe(true);
      // No cell, other than a plain number, starts the way a formula does.
      for (const c of cells.filter((v) => !/^-?\d+(\.\d+)?$/.test(v))) expect(c, table).not.toMatch(/^(?:[\s\u00a0]*[=+\-@\uff1d]|[\t\r\n])/);
    }
  });
});

describe("file names from stored data", () => {
  it("an outbox attachment with quotes, line breaks and path parts in its name downloads under one safe name", async () => {
    const db = getDb();
    const id = await sendEmail(db, {
      template: "test",
      to: { email: "sam@example.ac.uk", name: "Sam" },
      subject: "Files",
      react: createElement("p", null, "Hi"),
      attachments: [{ filename: 'a"b\r\nContent-Type: text/html; x=..\\..\\évil.ics', contentType: "text/calendar", content: "BEGIN:VCALENDAR" }],
    });
    const res = await get(attachmentRoute, `/coordinator/outbox/${id}/attachments/0`, { messageId: String(id), index: "0" });
    expect(res.status).toBe(200);
    expect(downloadName(res)).toBe("ab Content-Type: text html; x=.. .. évil.ics");
    expect(res.headers.get("Content-Type")).toBe("text/calendar");
  });

  it("the roster template is written by the CSV writer and named by the library", async () => {
    const res = await get(rosterTemplate, "/officer/roster/template");
    expect(downloadName(res)).toBe("leader-roster-template.csv");
    expect(parseCsv(await res.text())[0]).toEqual(["First name", "Last name", "Email", "Student ID", "Role", "Group", "President", "Start date"]);
  });

  it("contentDispositionHeader quotes, escapes and adds filename* for any name", () => {
    for (const name of [HOSTILE, 'x"; filename="evil.exe', "日本語.csv", "a\u0000b\u202e.csv", "", "../../etc/passwd"]) {
      const header = contentDispositionHeader(name);
      expect(header).not.toMatch(CONTROL_CHARACTER);
      expect(header).toMatch(/^[\x20-\x7e]+$/);
      const parsed = contentDisposition.parse(header);
      expect(Object.keys(parsed.parameters)).toEqual(["filename"]);
      expect(parsed.parameters.filename).not.toMatch(CONTROL_CHARACTER);
      expect(parsed.parameters.filename).not.toMatch(/[/\\"\u202e]/);
    }
    expect(contentDispositionHeader("Société – 2025.csv")).toBe(
      `attachment; filename="Societe - 2025.csv"; filename*=UTF-8''Soci%C3%A9t%C3%A9%20%E2%80%93%202025.csv`,
    );
    expect(contentDispositionHeader("feed.ics", "inline")).toBe('inline; filename="feed.ics"');
  });
});
