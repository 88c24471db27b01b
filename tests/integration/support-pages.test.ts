import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { createAuthSession, SESSION_COOKIE, type SessionUser } from "#app/auth/session.server.ts";
import { getDb } from "#app/db.server.ts";
import * as rootRoute from "#app/root.tsx";
import * as frontDoorRoute from "#app/routes/_index.tsx";
import * as listRoute from "#app/routes/coordinator.support._index.tsx";
import * as serviceRoute from "#app/routes/coordinator.support.$serviceId.tsx";
import { createOpenSession } from "#app/signup/open-sessions.server.ts";
import { register } from "#app/signup/registrations.server.ts";
import { supportDirectory } from "#app/support/support.server.ts";
import { readFlash } from "#app/utils/flash.server.ts";
import { nowIso } from "#app/utils/time.ts";
import { createCourse, createUser, formBody, sameSiteRequest } from "#tests/factories.ts";
import { routeOutcome, type RouteOutcome } from "#tests/route-outcome.ts";
import { createCoordinator, londonDate, openSessionInput } from "#tests/scheduling-fixtures.ts";

type Action = (args: ActionFunctionArgs) => Promise<unknown>;
type Loader = (args: LoaderFunctionArgs) => Promise<unknown>;

const db = () => getDb();

async function cookieFor(user: SessionUser) {
  const { token } = await createAuthSession(db(), user.id, null);
  return `${SESSION_COOKIE}=${token}`;
}

function post(route: { action: unknown }, url: string, params: Record<string, string>, cookie: string, values: Record<string, string>) {
  return routeOutcome(() =>
    (route.action as Action)({
      request: sameSiteRequest(`http://localhost:3000${url}`, { method: "POST", cookie, body: formBody(values) }),
      params,
      context: {},
    }),
  );
}

function get(route: { loader: unknown }, url: string, cookie?: string) {
  return routeOutcome(() => (route.loader as Loader)({ request: sameSiteRequest(`http://localhost:3000${url}`, { cookie }), params: {}, context: {} }));
}

async function flashOf(outcome: RouteOutcome) {
  const cookie = outcome.headers.get("Set-Cookie")?.split(";")[0] ?? "";
  return (await readFlash(new Request("http://localhost/", { headers: { Cookie: cookie } }))).flash;
}

const idOf = async (name: string) => (await db().selectFrom("support_services").select("id").where("name", "=", name).executeTakeFirstOrThrow()).id;

describe("the coordinator's support directory pages", () => {
  it("add a service to the list, and refuse a web address that is not a page beside its field, keeping what was typed", async () => {
    const cookie = await cookieFor(await createCoordinator(db()));
    const service = {
      name: `Report + Support ${Date.now()}`,
      purpose: "Report what happened, named or anonymously.",
      url: "javascript:alert(1)",
      phone: "020 7946 0000",
    };
    const refused = await post(serviceRoute, "/coordinator/support/new", { serviceId: "new" }, cookie, service);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toEqual({ url: ["Enter the full web address, starting with https://"] });
    expect(refused.body.initialValue).toMatchObject(service);
    expect((await supportDirectory(db())).some((s) => s.name === service.name)).toBe(false);

    const added = await post(serviceRoute, "/coordinator/support/new", { serviceId: "new" }, cookie, {
      ...service,
      url: "https://reportandsupport.example.ac.uk/",
    });
    expect(added.headers.get("Location")).toBe("/coordinator/support");
    expect((await flashOf(added))?.message).toBe(`Saved ${service.name}: it shows on every page with the support directory.`);
    const again = await post(serviceRoute, "/coordinator/support/new", { serviceId: "new" }, cookie, {
      ...service,
      url: "https://reportandsupport.example.ac.uk/",
    });
    expect(again.body.error).toEqual({ name: ["The directory already lists a service with this name"] });

    const id = await idOf(service.name);
    const page = await routeOutcome(() =>
      (serviceRoute.loader as Loader)({
        request: sameSiteRequest(`http://localhost:3000/coordinator/support/${id}`, { cookie }),
        params: { serviceId: String(id) },
        context: {},
      }),
    );
    expect(page.body.service).toMatchObject({ name: service.name, url: "https://reportandsupport.example.ac.uk/", urgent: false });
    const missing = await routeOutcome(() =>
      (serviceRoute.loader as Loader)({
        request: sameSiteRequest("http://localhost:3000/coordinator/support/x", { cookie }),
        params: { serviceId: "999999" },
        context: {},
      }),
    );
    expect(missing.status).toBe(404);
  });

  it("move a service within its group, say so when it cannot go further, and remove one", async () => {
    const coordinator = await createCoordinator(db());
    const cookie = await cookieFor(coordinator);
    for (const name of ["Student Services", "Wellbeing Service"]) {
      await post(serviceRoute, "/coordinator/support/new", { serviceId: "new" }, cookie, {
        name,
        purpose: "Support for students.",
        url: "https://www.example.ac.uk/",
      });
    }
    const wellbeing = await idOf("Wellbeing Service");
    const moved = await post(listRoute, "/coordinator/support", {}, cookie, { intent: "up", serviceId: String(wellbeing) });
    expect(moved.headers.get("Location")).toBe("/coordinator/support");
    expect(await flashOf(moved)).toEqual({ kind: "success", message: "Moved Wellbeing Service up." });
    const names = (await supportDirectory(db())).map((s) => s.name);
    expect(names.indexOf("Wellbeing Service")).toBeLessThan(names.indexOf("Student Services"));

    const first = (await supportDirectory(db()))[0]!;
    const stuck = await post(listRoute, "/coordinator/support", {}, cookie, { intent: "up", serviceId: String(first.id) });
    expect(await flashOf(stuck)).toEqual({ kind: "error", message: `${first.name} is already first of the urgent services.` });
    expect((await post(listRoute, "/coordinator/support", {}, cookie, { intent: "up" })).status).toBe(400);
    expect((await post(listRoute, "/coordinator/support", {}, cookie, { intent: "sideways", serviceId: String(wellbeing) })).status).toBe(400);

    const removed = await post(serviceRoute, `/coordinator/support/${wellbeing}`, { serviceId: String(wellbeing) }, cookie, { intent: "remove" });
    expect(await flashOf(removed)).toEqual({ kind: "success", message: "Removed Wellbeing Service from the support directory." });
    expect((await supportDirectory(db())).map((s) => s.name)).not.toContain("Wellbeing Service");
  });

  it("give every page the directory through the root loader, for the footer and the feedback pages", async () => {
    const root = await get(rootRoute, "/feedback/not-a-real-link");
    expect(root.body.support).toEqual(await supportDirectory(db()));
    expect(root.body.support[0]).toMatchObject({ phoneHref: "tel:999", urgent: true });
  });
});

describe("the front door", () => {
  it("shows someone not signed in the next open sessions, the courses, and no one's details", async () => {
    const coordinator = await createCoordinator(db());
    const courseId = await createCourse(db(), { name: `Active Bystander ${Date.now()}` });
    const sessionId = await createOpenSession(db(), coordinator, openSessionInput(courseId, { title: "Front door induction", date: londonDate(1, 3) }));
    await register(db(), sessionId, { name: "Zanele Ndlovu", email: "zanele@students.example.ac.uk", studentId: null, accessibilityNeeds: null, answer: null });
    const page = await get(frontDoorRoute, "/");
    expect(page.status).toBe(200);
    expect(page.body.sessions.map((s: { title: string }) => s.title)).toContain("Front door induction");
    expect(page.body.openCount).toBeGreaterThanOrEqual(1);
    expect(page.body.courses.map((c: { name: string }) => c.name)).toContain(
      (await db().selectFrom("courses").select("name").where("id", "=", courseId).executeTakeFirstOrThrow()).name,
    );
    const text = JSON.stringify(page.body);
    expect(text).not.toContain("Zanele");
    expect(text).not.toMatch(/@/);
  });

  it("sends someone signed in to their home, and a sign-in still waiting for its code to give it", async () => {
    const booker = await createUser(db(), { roles: ["booker"] });
    expect((await get(frontDoorRoute, "/", await cookieFor(booker))).location).toBe("/booker");
    const nobody = await createUser(db(), { roles: [] });
    expect((await get(frontDoorRoute, "/", await cookieFor(nobody))).location).toBe("/account");
    const trainer = await createUser(db(), { roles: ["trainer"] });
    await db().insertInto("second_factors").values({ user_id: trainer.id, secret: "v1.sealed", confirmed_at: nowIso(), created_at: nowIso() }).execute();
    expect((await get(frontDoorRoute, "/", await cookieFor(trainer))).location).toBe("/verify");
  });
});
