import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { beforeAll, describe, expect, it } from "vitest";
import type { Role } from "#db/schema.ts";
import { createAuthSession, SESSION_COOKIE } from "#app/auth/session.server.ts";
import { getDb } from "#app/db.server.ts";
import { academicYearStartOf } from "#app/utils/dates.ts";
import { createLeader, createLeaderRole, createLeaderYear, leaderCourses } from "#tests/compliance-fixtures.ts";
import { createCourse, createOrganisation, createUser } from "#tests/factories.ts";
import { statusOf } from "#tests/route-outcome.ts";

type RouteModule = {
  loader?: (args: LoaderFunctionArgs) => Promise<unknown>;
  action?: (args: ActionFunctionArgs) => Promise<unknown>;
};

const routes = import.meta.glob<RouteModule>("/app/routes/*.{ts,tsx}", { eager: true });
const name = (file: string) => file.replace("/app/routes/", "").replace(/\.tsx?$/, "");
const params = { userId: "1", courseId: "1", roomId: "1", organisationId: "1", messageId: "1", index: "0", token: "x", group: "Rugby Club" };

async function cookieFor(roles: Role[]) {
  const db = getDb();
  const org = await createOrganisation(db);
  const user = await createUser(db, { roles, organisationIds: [org] });
  const { token } = await createAuthSession(db, user.id, null);
  return `${SESSION_COOKIE}=${token}`;
}

describe("every route with an action refuses a cross-site request before doing anything", () => {
  // The catch-all route answers 404 to everything and changes nothing.
  const withActions = Object.entries(routes).filter(([file, m]) => typeof m.action === "function" && name(file) !== "$");
  it("there are actions to check", () => {
    expect(withActions.length).toBeGreaterThan(8);
  });
  for (const [file, mod] of withActions) {
    it(`${name(file)}: a POST from another site gets 403`, async () => {
      const cookie = await cookieFor(["coordinator", "trainer", "booker", "officer"]);
      const request = new Request(`http://localhost:3000/${name(file)}`, {
        method: "POST",
        headers: { "Sec-Fetch-Site": "cross-site", Origin: "https://evil.example", Cookie: cookie },
        body: new URLSearchParams({ intent: "archive", scope: "everywhere", email: "a@b.co", password: "x" }),
      });
      expect(await statusOf(() => mod.action!({ request, params, context: {} }))).toBe(403);
    });
  }
});

describe("coordinator pages are for coordinators only", () => {
  const coordinatorRoutes = Object.entries(routes).filter(([file]) => name(file).startsWith("coordinator."));
  it("there are coordinator pages to check", () => {
    expect(coordinatorRoutes.length).toBeGreaterThan(8);
    // Personal data and its download are the most sensitive pages there are.
    expect(coordinatorRoutes.map(([file]) => name(file))).toEqual(
      expect.arrayContaining(["coordinator.privacy._index", "coordinator.privacy.export", "coordinator.retention"]),
    );
  });
  for (const [file, mod] of coordinatorRoutes) {
    for (const fn of ["loader", "action"] as const) {
      if (typeof mod[fn] !== "function") continue;
      it(`${name(file)} ${fn}: nobody is sent to sign in; trainers, bookers and officers get 403`, async () => {
        const method = fn === "loader" ? "GET" : "POST";
        const make = (cookie?: string) =>
          new Request(`http://localhost:3000/${name(file)}`, {
            method,
            headers: { "Sec-Fetch-Site": "same-origin", ...(cookie ? { Cookie: cookie } : {}) },
            ...(method === "POST" ? { body: new URLSearchParams({ intent: "archive" }) } : {}),
          });
        const call = (request: Request) => () => mod[fn]!({ request, params, context: {} });
        expect(await statusOf(call(make()))).toBe(302);
        for (const roles of [["trainer"], ["booker"], ["officer"], ["trainer", "booker", "officer"]] as Role[][]) {
          expect(await statusOf(call(make(await cookieFor(roles)))), roles.join("+")).toBe(403);
        }
      });
    }
  }
});

describe("role homes", () => {
  const homes: [string, Role][] = [
    ["coordinator._index", "coordinator"],
    ["trainer._index", "trainer"],
    ["booker._index", "booker"],
  ];
  for (const [route, role] of homes) {
    it(`${route} admits ${role} and refuses the other roles`, async () => {
      const mod = routes[`/app/routes/${route}.tsx`]!;
      const request = (cookie: string) => new Request(`http://localhost:3000/`, { headers: { Cookie: cookie } });
      expect(await statusOf(async () => mod.loader!({ request: request(await cookieFor([role])), params: {}, context: {} }))).toBe(200);
      for (const other of (["coordinator", "trainer", "booker", "officer"] as Role[]).filter((r) => r !== role)) {
        expect(await statusOf(async () => mod.loader!({ request: request(await cookieFor([other])), params: {}, context: {} })), other).toBe(403);
      }
    });
  }
});

describe("the officer's home is the leaders dashboard", () => {
  it("officer._index sends everyone on to /officer/leaders, which checks who they are", async () => {
    const res = (await routes["/app/routes/officer._index.tsx"]!.loader!({
      request: new Request("http://localhost:3000/officer"),
      params: {},
      context: {},
    })) as Response;
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/officer/leaders");
  });
});

describe("the leader pages are for union officers and coordinators", () => {
  beforeAll(async () => {
    const db = getDb();
    await createLeaderYear(db, 2026);
    const roleId = await createLeaderRole(db, [{ courseId: await createCourse(db) }]);
    await createLeader(db, { roleId, startYear: 2026, groupName: params.group });
  });
  const leaderRoutes = ["officer.leaders._index", "officer.leaders.export", "officer.reminders", "officer.groups.$group"];
  for (const route of leaderRoutes) {
    const mod = Object.entries(routes).find(([file]) => name(file) === route)?.[1];
    it(`${route} exists`, () => expect(mod?.loader).toBeTypeOf("function"));
    if (!mod) continue;
    for (const fn of ["loader", "action"] as const) {
      if (typeof mod[fn] !== "function") continue;
      it(`${route} ${fn}: nobody is sent to sign in; officers and coordinators get in; trainers and bookers get 403`, async () => {
        const method = fn === "loader" ? "GET" : "POST";
        const make = (cookie?: string) =>
          new Request(`http://localhost:3000/${route}`, {
            method,
            headers: { "Sec-Fetch-Site": "same-origin", ...(cookie ? { Cookie: cookie } : {}) },
            ...(method === "POST" ? { body: new URLSearchParams({ intent: "review", to: "overdue", year: "2026" }) } : {}),
          });
        const call = (request: Request) => () => mod[fn]!({ request, params, context: {} });
        expect(await statusOf(call(make()))).toBe(302);
        for (const role of ["trainer", "booker"] as Role[]) expect(await statusOf(call(make(await cookieFor([role])))), role).toBe(403);
        for (const role of ["officer", "coordinator"] as Role[]) expect(await statusOf(call(make(await cookieFor([role])))), role).toBe(200);
      });
    }
  }
});

describe("reports are for coordinators and union officers", () => {
  const reportRoutes = Object.entries(routes).filter(([file]) => name(file).startsWith("reports."));
  it("there are report pages to check", () => {
    expect(reportRoutes.length).toBeGreaterThanOrEqual(3);
  });
  for (const [file, mod] of reportRoutes) {
    it(`${name(file)}: nobody is sent to sign in; coordinators and officers get in; trainers and bookers get 403`, async () => {
      const make = (cookie?: string) =>
        new Request(`http://localhost:3000/reports/impact?year=2020&table=summary`, { headers: cookie ? { Cookie: cookie } : {} });
      const call = (request: Request) => () => mod.loader!({ request, params, context: {} });
      expect(await statusOf(call(make()))).toBe(302);
      for (const role of ["coordinator", "officer"] as Role[]) expect(await statusOf(call(make(await cookieFor([role])))), role).toBe(200);
      for (const role of ["trainer", "booker"] as Role[]) expect(await statusOf(call(make(await cookieFor([role])))), role).toBe(403);
    });
  }
});

describe("a leader's page and the possible matches are for union officers and coordinators", () => {
  const pages = ["officer.leaders.$personId", "officer.matches"];
  let personId = "";
  beforeAll(async () => {
    const db = getDb();
    const year = academicYearStartOf(new Date());
    await createLeaderYear(db, year);
    const roleId = await createLeaderRole(db, [{ courseId: (await leaderCourses(db)).bystander }]);
    personId = String((await createLeader(db, { roleId, startYear: year })).personId);
  });
  for (const page of pages) {
    const mod = routes[`/app/routes/${page}.tsx`]!;
    for (const fn of ["loader", "action"] as const) {
      it(`${page} ${fn}: nobody is sent to sign in; trainers and bookers get 403${fn === "loader" ? "; officers and coordinators get in" : ""}`, async () => {
        const method = fn === "loader" ? "GET" : "POST";
        const make = (cookie?: string) =>
          new Request(`http://localhost:3000/officer/leaders/${personId}`, {
            method,
            headers: { "Sec-Fetch-Site": "same-origin", ...(cookie ? { Cookie: cookie } : {}) },
            ...(method === "POST" ? { body: new URLSearchParams({ intent: "nothing" }) } : {}),
          });
        const call = (request: Request) => () => mod[fn]!({ request, params: { personId }, context: {} });
        expect(await statusOf(call(make()))).toBe(302);
        for (const role of ["trainer", "booker"] as Role[]) expect(await statusOf(call(make(await cookieFor([role])))), role).toBe(403);
        if (fn === "loader") {
          for (const role of ["officer", "coordinator"] as Role[]) expect(await statusOf(call(make(await cookieFor([role])))), role).toBe(200);
        }
      });
    }
  }
});

describe("the roster, roles and leader forms are for officers and coordinators", () => {
  const pages = [
    "officer.roster.import",
    "officer.roster.template",
    "officer.roles._index",
    "officer.roles.$roleId",
    "officer.leaders.new",
    "officer.leaders.$personId_.edit",
  ];
  for (const page of pages) {
    const mod = Object.entries(routes).find(([file]) => name(file) === page)?.[1];
    it(`${page} exists`, () => expect(mod?.loader).toBeTypeOf("function"));
    for (const fn of ["loader", "action"] as const) {
      if (!mod || typeof mod[fn] !== "function") continue;
      it(`${page} ${fn}: nobody is sent to sign in; trainers and bookers get 403${fn === "loader" ? "; officers and coordinators get in" : ""}`, async () => {
        const db = getDb();
        await createLeaderYear(db, 2026);
        const roleId = await createLeaderRole(db, []);
        const leader = await createLeader(db, { roleId, startYear: 2026 });
        const routeParams = { roleId: String(roleId), personId: String(leader.personId) };
        const make = (cookie?: string) =>
          new Request(`http://localhost:3000/${page}`, {
            method: fn === "loader" ? "GET" : "POST",
            headers: { "Sec-Fetch-Site": "same-origin", ...(cookie ? { Cookie: cookie } : {}) },
            ...(fn === "action" ? { body: new URLSearchParams({ intent: "nothing" }) } : {}),
          });
        const call = (request: Request) => () => mod[fn]!({ request, params: routeParams, context: {} });
        expect(await statusOf(call(make()))).toBe(302);
        for (const role of ["trainer", "booker"] as Role[]) expect(await statusOf(call(make(await cookieFor([role])))), role).toBe(403);
        if (fn === "loader") {
          for (const role of ["officer", "coordinator"] as Role[]) expect(await statusOf(call(make(await cookieFor([role])))), role).toBe(200);
        }
      });
    }
  }
});
