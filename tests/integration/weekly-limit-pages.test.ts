import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { createAuthSession, SESSION_COOKIE, type SessionUser } from "#app/auth/session.server.ts";
import { getDb } from "#app/db.server.ts";
import * as peopleRoute from "#app/routes/coordinator.people._index.tsx";
import * as personRoute from "#app/routes/coordinator.people.$userId.tsx";
import * as settingsRoute from "#app/routes/coordinator.settings.tsx";
import type { Settings } from "#app/settings/schemas.ts";
import { getSettings, saveSettings } from "#app/settings/settings.server.ts";
import { readFlash } from "#app/utils/flash.server.ts";
import { createUser, formBody, sameSiteRequest } from "#tests/factories.ts";
import { routeOutcome, type RouteOutcome } from "#tests/route-outcome.ts";

type Action = (args: ActionFunctionArgs) => Promise<unknown>;
type Loader = (args: LoaderFunctionArgs) => Promise<unknown>;
const db = () => getDb();

let coordinator: SessionUser;
let cookie: string;
let before: Settings;
beforeAll(async () => {
  coordinator = await createUser(db(), { roles: ["coordinator"] });
  cookie = `${SESSION_COOKIE}=${(await createAuthSession(db(), coordinator.id, null)).token}`;
  before = await getSettings(db());
});
afterEach(async () => {
  await saveSettings(db(), coordinator, before);
});

const post = (route: { action: unknown }, url: string, params: Record<string, string>, values: Record<string, string | string[]>) =>
  routeOutcome(() => (route.action as Action)({ request: sameSiteRequest(url, { method: "POST", cookie, body: formBody(values) }), params, context: {} }));
const load = (route: { loader: unknown }, url: string, params: Record<string, string> = {}) =>
  (route.loader as Loader)({ request: sameSiteRequest(url, { cookie }), params, context: {} });

async function flashOf(outcome: RouteOutcome) {
  const set = outcome.headers.get("Set-Cookie")?.split(";")[0] ?? "";
  return (await readFlash(new Request("http://localhost/", { headers: { Cookie: set } }))).flash?.message;
}

const settingsForm = (s: Settings) => ({
  intent: "scheduling",
  workingDays: s.workingDays.map(String),
  workingHoursStart: s.workingHoursStart,
  workingHoursEnd: s.workingHoursEnd,
  travelBufferMinutes: String(s.travelBufferMinutes),
  reminderLeadHours: String(s.reminderLeadHours),
  bookerCancellationCutoffHours: String(s.bookerCancellationCutoffHours),
  defaultMaxSessionsPerWeek: String(s.defaultMaxSessionsPerWeek),
});

describe("the default weekly limit on the pages", () => {
  it("the settings page says whom the default reaches, and saving a new default says so again", async () => {
    await createUser(db(), { roles: ["trainer"] });
    const page = (await load(settingsRoute, "/coordinator/settings")) as { reach: { trainers: number; withOwnLimit: number } };
    expect(page.reach.trainers).toBeGreaterThanOrEqual(page.reach.withOwnLimit);
    const saved = await post(
      settingsRoute,
      "/coordinator/settings",
      {},
      { ...settingsForm(before), defaultMaxSessionsPerWeek: String(before.defaultMaxSessionsPerWeek + 1) },
    );
    expect(saved.status).toBe(302);
    expect(await flashOf(saved)).toMatch(
      new RegExp(
        `^Saved the scheduling settings\\. .*without a limit of their own now ha(s|ve) a limit of ${before.defaultMaxSessionsPerWeek + 1} sessions a week\\.`,
      ),
    );
    const unchanged = await post(
      settingsRoute,
      "/coordinator/settings",
      {},
      { ...settingsForm(before), defaultMaxSessionsPerWeek: String(before.defaultMaxSessionsPerWeek + 1) },
    );
    expect(await flashOf(unchanged)).toBe("Saved the scheduling settings.");
  });

  it("the people list shows each trainer's limit and whether it is their own; a trainer's page can return them to the default", async () => {
    const follows = await createUser(db(), { roles: ["trainer"], name: `Follows Default ${Date.now()}` });
    const own = await createUser(db(), { roles: ["trainer"], name: `Has Own ${Date.now()}` });
    const person = `/coordinator/people/${own.id}`;
    const base = { name: own.name, roles: ["trainer"], isActive: "yes", intent: "save" };
    expect((await post(personRoute, person, { userId: String(own.id) }, { ...base, weeklyLimit: "own", maxSessionsPerWeek: "2" })).status).toBe(302);
    const refused = await post(personRoute, person, { userId: String(own.id) }, { ...base, weeklyLimit: "own", maxSessionsPerWeek: "" });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain("Enter their number of sessions a week");

    await saveSettings(db(), coordinator, { ...before, defaultMaxSessionsPerWeek: 6 });
    type List = { people: { id: number; weeklyLimit: { sessions: number; own: boolean } | null }[] };
    const find = async (id: number, name: string) =>
      ((await load(peopleRoute, `/coordinator/people?q=${encodeURIComponent(name)}`)) as List).people.find((p) => p.id === id)?.weeklyLimit;
    expect(await find(follows.id, follows.name)).toEqual({ sessions: 6, own: false });
    expect(await find(own.id, own.name)).toEqual({ sessions: 2, own: true });
    expect(await find(coordinator.id, coordinator.name)).toBeNull();

    await post(personRoute, person, { userId: String(own.id) }, { ...base, weeklyLimit: "default", maxSessionsPerWeek: "2" });
    expect(await find(own.id, own.name)).toEqual({ sessions: 6, own: false });
  });
});
