import fs from "node:fs";
import path from "node:path";
import type { ActionFunctionArgs } from "@remix-run/node";
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { createAuthSession, SESSION_COOKIE } from "#app/auth/session.server.ts";
import { createSignInProvider } from "#app/auth/sso/provider-admin.server.ts";
import { getDb } from "#app/db.server.ts";
import { FORM_REFUSAL_MESSAGES, MAX_REQUEST_BODY_BYTES, SHORT_FORM_MAX_BYTES } from "#app/utils/request-body.server.ts";
import { createOpenSession } from "#app/signup/open-sessions.server.ts";
import { saveSupportService } from "#app/support/support.server.ts";
import { addMs, DAY, now } from "#app/utils/time.ts";
import { createLeader, createLeaderRole, createLeaderYear } from "#tests/compliance-fixtures.ts";
import { createCourse, createOrganisation, createUser, sameSiteRequest } from "#tests/factories.ts";
import { linkIdentity, providerInput } from "#tests/sso-fixtures.ts";
import { routeOutcome } from "#tests/route-outcome.ts";
import { createRequest, createRoom, insertSession, londonDate, openSessionInput } from "#tests/scheduling-fixtures.ts";
import { createStaffMember, createStaffRole, createVenue } from "#tests/staff-fixtures.ts";

/**
 * Every action under app/routes, posted oversized, malformed and hostile values by someone allowed to
 * use it: the answer is a 4xx, the form again with its errors, or (without JavaScript) a redirect back
 * with a message; never a server error, and nothing is written. Bodies that are not a well-formed form
 * at all (another content type, broken multipart, too large, not UTF-8) are refused with a 4xx by
 * every action, whatever the intent.
 */

type RouteModule = { action?: (args: ActionFunctionArgs) => Promise<unknown> };
const routes = import.meta.glob<RouteModule>("/app/routes/*.{ts,tsx}", { eager: true });
const name = (file: string) => file.replace("/app/routes/", "").replace(/\.tsx?$/, "");
const root = path.resolve(import.meta.dirname, "../..");

// Tables that may change on a refused request: the sign-in itself and the records of refusals.
const IGNORED_TABLES = new Set(["auth_sessions", "audit_events", "sign_in_failures", "qr_feedback_limits"]);

async function tableCounts(): Promise<Record<string, number>> {
  const db = getDb();
  const counts: Record<string, number> = {};
  for (const { name: table } of (await db.introspection.getTables()).filter((t) => !t.isView)) {
    if (IGNORED_TABLES.has(table)) continue;
    const row = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(db);
    counts[table] = Number(row.rows[0]!.n);
  }
  // Counting rows misses an update; the record versions (raised by triggers on every insert, update and
  // delete of the records people and reports rely on) do not.
  const versions = await db.selectFrom("record_versions").select(["name", "version"]).execute();
  for (const v of versions) counts[`(any update to a watched record: ${v.name})`] = Number(v.version);
  return counts;
}

/** The status and message of an action's answer: a thrown `data({ message })`, or a resource route's plain-text Response. */
async function refusalOf(run: () => Promise<unknown>): Promise<{ status: number; message: string | null; error?: string }> {
  const { status, body, response, error } = await routeOutcome(run);
  if (response) return { status, message: response.headers.get("Content-Type")?.startsWith("text/plain") ? await response.text() : null };
  const message: unknown = body?.message;
  return { status, message: typeof message === "string" ? message : null, error };
}

/** The intents and field names a route's form uses, read from its source. */
function formVocabulary(file: string): { intents: string[]; fields: string[] } {
  const source = fs.readFileSync(path.join(root, file), "utf8");
  const intents = new Set<string>();
  for (const m of source.matchAll(/intent\s*===\s*"([\w-]+)"|case\s+"([\w-]+)"|name="intent"\s+value="([\w-]+)"|value="([\w-]+)"\s+name="intent"/g)) {
    intents.add((m[1] ?? m[2] ?? m[3] ?? m[4])!);
  }
  const fields = new Set<string>([
    "name",
    "email",
    "notes",
    "reason",
    "title",
    "password",
    "groupSize",
    "capacity",
    "courseId",
    "roomId",
    "startsAt",
    "date",
    "start",
    "end",
  ]);
  for (const m of source.matchAll(/name="([\w.[\]-]+)"|fields\.(\w+)/g)) fields.add((m[1] ?? m[2])!);
  fields.delete("intent");
  return { intents: [...intents], fields: [...fields] };
}

const BIG = "A".repeat(100_000);
const HOSTILE = [
  "<script>alert(1)</script>",
  "' OR 1=1 --",
  "Robert'); DROP TABLE users;--",
  "\u0000\u0007\u001b[31m\u202e",
  "NaN",
  "-1",
  "1e309",
  "../../etc/passwd",
  '{"$gt":""}',
];

/**
 * `refused`: the action must answer 4xx (or the form again) and write nothing. Hostile but well-formed text
 * (a reason that reads "<script>") may be saved as text: for those only a server error is a problem.
 */
type Payload = { label: string; refused: boolean; body: (fields: string[], intent?: string) => URLSearchParams };
const EMPTY: Payload = { label: "nothing at all", refused: true, body: (_fields, intent) => withFields([], intent, () => "") };
const PAYLOADS: Payload[] = [
  EMPTY,
  { label: "an unknown intent", refused: true, body: (fields) => withFields(fields, "delete-everything", () => "x") },
  { label: "100 KB in every field", refused: true, body: (fields, intent) => withFields(fields, intent, () => BIG) },
  ...HOSTILE.map((v) => ({
    label: `every field ${JSON.stringify(v)}`,
    refused: false,
    body: (fields: string[], intent?: string) => withFields(fields, intent, () => v),
  })),
  {
    label: "every field twice, as an array",
    refused: false,
    body: (fields, intent) => {
      const body = withFields(fields, intent, () => "1");
      for (const f of fields) body.append(f, "<b>2</b>");
      return body;
    },
  },
  { label: "a 100 KB intent", refused: true, body: (fields) => withFields(fields, BIG, () => "1") },
];

function withFields(fields: string[], intent: string | undefined, value: (field: string) => string): URLSearchParams {
  const body = new URLSearchParams();
  if (intent !== undefined) body.set("intent", intent);
  for (const f of fields) body.append(f, value(f));
  return body;
}

/**
 * Bodies that are not a well-formed form, whatever is in them: every action must answer 4xx and write
 * nothing. Each carries the route's intent and fields, so an action that read it anyway could act on it.
 */
type Malformed = {
  label: string;
  contentType?: string;
  headers?: Record<string, string>;
  body: (fields: string[], intent?: string) => Uint8Array<ArrayBuffer>;
};
const URLENCODED = "application/x-www-form-urlencoded";
const BOUNDARY = "----hostileBoundary9f8e7d";
const plain = (fields: string[], intent?: string) => withFields(fields, intent, () => "1");
const utf8 = (text: string) => new Uint8Array(Buffer.from(text, "utf8"));
function multipartOf(fields: string[], intent?: string): string {
  return (
    [...plain(fields, intent)].map(([k, v]) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`).join("") + `--${BOUNDARY}--\r\n`
  );
}
const OVERSIZED = Buffer.alloc(MAX_REQUEST_BODY_BYTES + 1, 0x41);
const MALFORMED: Malformed[] = [
  { label: "JSON", contentType: "application/json", body: (f, i) => utf8(JSON.stringify(Object.fromEntries(plain(f, i)))) },
  { label: "text/plain", contentType: "text/plain", body: (f, i) => utf8(plain(f, i).toString()) },
  { label: "no content type", body: (f, i) => utf8(plain(f, i).toString()) },
  { label: "a form in another charset", contentType: `${URLENCODED}; charset=ISO-8859-1`, body: (f, i) => utf8(plain(f, i).toString()) },
  { label: "broken multipart", contentType: `multipart/form-data; boundary=${BOUNDARY}`, body: (f, i) => utf8(plain(f, i).toString()) },
  {
    label: "truncated multipart",
    contentType: `multipart/form-data; boundary=${BOUNDARY}`,
    body: (f, i) => utf8(multipartOf(f, i).slice(0, -(BOUNDARY.length + 10))),
  },
  { label: "multipart with no boundary", contentType: "multipart/form-data", body: (f, i) => utf8(multipartOf(f, i)) },
  {
    label: "oversized, streamed",
    contentType: URLENCODED,
    body: (f, i) => Buffer.concat([Buffer.from(`${plain(f, i).toString()}&notes=`), OVERSIZED]),
  },
  {
    label: "oversized, declared",
    contentType: URLENCODED,
    headers: { "Content-Length": String(OVERSIZED.length) },
    body: (f, i) => utf8(plain(f, i).toString()),
  },
  { label: "invalid UTF-8", contentType: URLENCODED, body: (f, i) => Buffer.concat([Buffer.from(`${plain(f, i).toString()}&name=Zo`), Buffer.from([0xeb])]) },
  { label: "invalid UTF-8 in an escape", contentType: URLENCODED, body: (f, i) => utf8(`${plain(f, i).toString()}&name=Zo%EB`) },
  { label: "a malformed % escape", contentType: URLENCODED, body: (f, i) => utf8(`${plain(f, i).toString()}&notes=100%&reason=%zz`) },
  { label: "a compressed body", contentType: URLENCODED, headers: { "Content-Encoding": "gzip" }, body: (f, i) => utf8(plain(f, i).toString()) },
];

/** Cases that write on purpose: none at present. */
const KNOWN: Record<string, string[]> = {};

let cookie = "";
const params: Record<string, string> = {};

beforeAll(async () => {
  const db = getDb();
  const organisationId = await createOrganisation(db);
  const user = await createUser(db, { roles: ["coordinator", "trainer", "booker", "officer"], organisationIds: [organisationId] });
  const courseId = await createCourse(db);
  const roomId = await createRoom(db);
  const requestId = await createRequest(db, { booker: user, organisationId, courseId });
  const sessionId = await insertSession(db, { courseId, startsAt: addMs(now(), 5 * DAY), roomId, trainerIds: [user.id] });
  const year = now().getUTCFullYear() - (now().getUTCMonth() < 7 ? 1 : 0);
  await createLeaderYear(db, year);
  const roleId = await createLeaderRole(db, [{ courseId }]);
  const leader = await createLeader(db, { roleId, startYear: year, groupName: "Rugby Club" });
  const serviceId = await saveSupportService(db, user, null, {
    name: "Report + Support",
    purpose: "Report what happened, named or anonymously.",
    url: "https://reportandsupport.example.ac.uk/",
    phone: null,
    hours: null,
    urgent: false,
  });
  // A provider nothing answers for (port 1, which fetch never connects to), linked to this person, so
  // the connection check fails at once and unlinking has something to unlink.
  const providerId = await createSignInProvider(db, user, providerInput({ issuerUrl: "http://127.0.0.1:1", ssoRequired: true }));
  await linkIdentity(db, user.id, providerId);
  Object.assign(params, {
    providerId: String(providerId),
    organisationId: String(organisationId),
    userId: String(user.id),
    courseId: String(courseId),
    roomId: String(roomId),
    requestId: String(requestId),
    sessionId: String(sessionId),
    roleId: String(roleId),
    personId: String(leader.personId),
    serviceId: String(serviceId),
    messageId: "1",
    index: "0",
    group: "Rugby Club",
    token: "not-a-real-token",
    code: "NOCODE",
    "*": "nowhere",
  });
  cookie = `${SESSION_COOKIE}=${(await createAuthSession(db, user.id, null)).token}`;
  // The public sign-up page only reads a form for a session open for sign-up.
  const openSessionId = await createOpenSession(
    db,
    user,
    openSessionInput(courseId, { title: "Leader induction", date: londonDate(5, 3), address: "Online", capacity: 20, asksStudentId: "yes" }),
  );
  ROUTE_PARAMS["sessions.open.$sessionId"] = { sessionId: String(openSessionId) };
  // A venue whose staff list this person keeps, with someone on it.
  const venueId = await createVenue(db);
  await db.insertInto("organisation_members").values({ organisation_id: venueId, user_id: user.id, added_at: now().toISOString() }).execute();
  const staffRoleId = await createStaffRole(db, [{ courseId }]);
  const member = await createStaffMember(db, { organisationId: venueId, roleId: staffRoleId });
  const venue = { organisationId: String(venueId), memberId: String(member.id) };
  for (const route of ["venues.$organisationId", "venues.$organisationId_.import", "venues.$organisationId_.staff.$memberId"]) ROUTE_PARAMS[route] = venue;
  ROUTE_PARAMS["coordinator.venues.roles.$roleId"] = { roleId: String(staffRoleId) };
  // The booker's page acts on a scheduled booking (asking for a change, cancelling), not only on a request still waiting.
  const scheduledRequestId = await createRequest(db, { booker: user, organisationId, courseId });
  const bookedSessionId = await insertSession(db, { courseId, startsAt: addMs(now(), 9 * DAY), roomId, organisationId });
  await db.updateTable("sessions").set({ booking_request_id: scheduledRequestId }).where("id", "=", bookedSessionId).execute();
  await db.updateTable("booking_requests").set({ status: "scheduled", session_id: bookedSessionId }).where("id", "=", scheduledRequestId).execute();
  ROUTE_PARAMS["booker.requests.$requestId"] = { requestId: String(scheduledRequestId) };
});

/** Parameters for a route that needs a record of its own kind. */
const ROUTE_PARAMS: Record<string, Record<string, string>> = {};
const paramsFor = (route: string) => ({ ...params, ...ROUTE_PARAMS[route] });

const withActions = Object.entries(routes).filter(([file, m]) => typeof m.action === "function" && !["logout"].includes(name(file)));
const everyAction = Object.entries(routes).filter(([, m]) => typeof m.action === "function");

describe("hostile input to every action", () => {
  it("there are actions to try", () => {
    expect(withActions.length).toBeGreaterThan(30);
  });
  for (const [file, mod] of withActions) {
    const route = name(file);
    it(`${route}: never a server error, and nothing written`, async () => {
      const { intents, fields } = formVocabulary(file.slice(1));
      const problems: string[] = [];
      for (const intent of [undefined, ...intents]) {
        // An intent that succeeds with no input at all (archive, restore, send a link) has nothing to validate:
        // for it, only a server error is a problem.
        let needsInput = true;
        for (const payload of PAYLOADS) {
          const before = await tableCounts();
          const request = sameSiteRequest(`http://localhost:3000/${route}`, { method: "POST", cookie, body: payload.body(fields, intent) });
          const { status, error } = await routeOutcome(() => mod.action!({ request, params: paramsFor(route), context: {} }));
          const after = await tableCounts();
          const written = Object.keys(after).filter((t) => after[t] !== before[t]);
          const what = `intent ${intent ?? "(none)"}, ${payload.label}`;
          if (status >= 500) {
            problems.push(`${what}: ${status} ${error?.split("\n").slice(0, 3).join(" ") ?? ""}`);
            continue;
          }
          if (payload === EMPTY && intent !== undefined && status < 400) needsInput = false;
          if (!needsInput || !payload.refused) continue;
          if (written.length && !KNOWN[route]?.includes(what))
            problems.push(`${what}: wrote ${written.map((t) => `${t} ${before[t]}→${after[t]}`).join(", ")}`);
        }
      }
      expect(problems.join("\n")).toBe("");
    });
  }
});

describe("bodies that are not a well-formed form, to every action", () => {
  for (const [file, mod] of everyAction) {
    const route = name(file);
    it(`${route}: 4xx for each, and nothing written`, async () => {
      const { intents, fields } = formVocabulary(file.slice(1));
      const problems: string[] = [];
      for (const intent of [undefined, ...intents]) {
        for (const malformed of MALFORMED) {
          const before = await tableCounts();
          const headers = new Headers(malformed.headers);
          if (malformed.contentType) headers.set("Content-Type", malformed.contentType);
          const request = sameSiteRequest(`http://localhost:3000/${route}`, { method: "POST", cookie, headers, body: malformed.body(fields, intent) });
          const { status, message, error } = await refusalOf(() => mod.action!({ request, params: paramsFor(route), context: {} }));
          const after = await tableCounts();
          const written = Object.keys(after).filter((t) => after[t] !== before[t]);
          const what = `intent ${intent ?? "(none)"}, ${malformed.label}`;
          // Refused as a form (not merely failing the route's own checks, which a body read leniently could pass):
          // the reader's message, or 413 for a body past the route's limit; the catch-all is a 404 whatever is sent.
          const refused =
            route === "$"
              ? status === 404
              : malformed.label.startsWith("oversized")
                ? status === 413
                : status < 500 && FORM_REFUSAL_MESSAGES.includes(message ?? "");
          if (!refused) problems.push(`${what}: ${status} ${message ?? ""} ${error?.split("\n").slice(0, 3).join(" ") ?? ""}`);
          if (written.length) problems.push(`${what}: wrote ${written.map((t) => `${t} ${before[t]}→${after[t]}`).join(", ")}`);
        }
      }
      expect(problems.join("\n")).toBe("");
    });
  }
});

/** Anonymous forms whose answers are long (feedback, signing up with access needs): they keep the ordinary limit. */
const LONG_ANONYMOUS_FORMS = new Set(["feedback.$token", "feedback.s.$code", "sessions.open.$sessionId"]);

describe("anonymous forms take a short body", () => {
  for (const [file, mod] of everyAction) {
    const route = name(file);
    if (LONG_ANONYMOUS_FORMS.has(route)) continue;
    it(`${route}: more than ${SHORT_FORM_MAX_BYTES / 1024} KB from someone not signed in is refused or sent to sign in`, async () => {
      const { intents, fields } = formVocabulary(file.slice(1));
      const body = withFields(fields, intents[0], () => "1");
      body.set("notes", "A".repeat(SHORT_FORM_MAX_BYTES));
      const request = sameSiteRequest(`http://localhost:3000/${route}`, { method: "POST", body });
      const { status } = await routeOutcome(() => mod.action!({ request, params: paramsFor(route), context: {} }));
      // 413: read no further; a redirect (to sign in), 403 or 404: refused before the body was read.
      expect([302, 403, 404, 413]).toContain(status);
    });
  }
});
