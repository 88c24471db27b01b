import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createAuthSession, SESSION_COOKIE, type SessionUser } from "#app/auth/session.server.ts";
import { getDb } from "#app/db.server.ts";
import * as calendarRoute from "#app/routes/coordinator.calendar.tsx";
import * as openSessionRoute from "#app/routes/coordinator.open-sessions.new.tsx";
import * as requestRoute from "#app/routes/coordinator.requests.$requestId.tsx";
import * as sessionRoute from "#app/routes/coordinator.sessions.$sessionId.tsx";
import * as settingsRoute from "#app/routes/coordinator.settings.tsx";
import { addClosurePeriod, listClosurePeriods } from "#app/scheduling/closures.server.ts";
import { createCourse, formBody, sameSiteRequest } from "#tests/factories.ts";
import { routeOutcome } from "#tests/route-outcome.ts";
import { createRequest, insertSession, london, pinClock, schedulingWorld } from "#tests/scheduling-fixtures.ts";

type Action = (args: ActionFunctionArgs) => Promise<unknown>;
type Loader = (args: LoaderFunctionArgs) => Promise<unknown>;

const db = () => getDb();
// Wednesday 2 October 2030; Christmas Day 2030 is a Wednesday.
beforeEach(() => pinClock("2030-10-02T08:00:00Z"));
afterEach(async () => {
  await db().deleteFrom("settings").where("key", "=", "closures").execute();
});

async function cookieFor(user: SessionUser) {
  const { token } = await createAuthSession(db(), user.id, null);
  return `${SESSION_COOKIE}=${token}`;
}

const post = (route: { action: unknown }, url: string, params: Record<string, string>, cookie: string, values: Record<string, string>) =>
  routeOutcome(() => (route.action as Action)({ request: sameSiteRequest(url, { method: "POST", cookie, body: formBody(values) }), params, context: {} }));

const get = (route: { loader: unknown }, url: string, params: Record<string, string>, cookie: string) =>
  routeOutcome(() => (route.loader as Loader)({ request: sameSiteRequest(url, { cookie }), params, context: {} }));

describe("the settings page's closure periods", () => {
  it("refuses a period that ends before it starts beside the last day, keeping what was typed, and writes nothing", async () => {
    const w = await schedulingWorld(db());
    const cookie = await cookieFor(w.coordinator);
    const refused = await post(settingsRoute, "/coordinator/settings", {}, cookie, {
      intent: "add-closure",
      name: "Christmas closure",
      first: "2030-12-24",
      last: "2030-12-02",
    });
    expect(refused.status).toBe(400);
    expect(refused.body.form).toBe("add-closure");
    expect(refused.body.result.error).toEqual({ last: ["The last day must be on or after the first day"] });
    expect(refused.body.result.initialValue).toMatchObject({ name: "Christmas closure", first: "2030-12-24", last: "2030-12-02" });
    const impossible = await post(settingsRoute, "/coordinator/settings", {}, cookie, {
      intent: "add-closure",
      name: "X",
      first: "2030-02-30",
      last: "2030-03-01",
    });
    expect(impossible.body.result.error).toEqual({ first: ["30 February 2030 does not exist: February has 28 days"] });
    expect(await listClosurePeriods(db())).toEqual([]);
  });

  it("adds and removes a period, and lists it with the bank holidays ahead", async () => {
    const w = await schedulingWorld(db());
    const cookie = await cookieFor(w.coordinator);
    const added = await post(settingsRoute, "/coordinator/settings", {}, cookie, {
      intent: "add-closure",
      name: "Christmas closure",
      first: "2030-12-24",
      last: "2031-01-01",
    });
    expect(added.status).toBe(302);
    const page = await get(settingsRoute, "/coordinator/settings", {}, cookie);
    expect(page.body.closures).toEqual([{ id: expect.any(String), name: "Christmas closure", when: "24 December 2030 – 1 January 2031", past: false }]);
    expect(page.body.bankHolidays).toContainEqual({ name: "Christmas Day", when: "25 December 2030" });
    const removed = await post(settingsRoute, "/coordinator/settings", {}, cookie, { intent: "remove-closure", closureId: page.body.closures[0].id });
    expect(removed.status).toBe(302);
    expect(await listClosurePeriods(db())).toEqual([]);
    const again = await post(settingsRoute, "/coordinator/settings", {}, cookie, { intent: "remove-closure", closureId: page.body.closures[0].id });
    expect(again.status).toBe(400);
    expect(again.body.result.error).toEqual({ "": ["That closure is no longer on the list"] });
  });
});

describe("closure days on the coordinator's pages", () => {
  it("the calendar names each closed day of the month", async () => {
    const w = await schedulingWorld(db());
    await addClosurePeriod(db(), w.coordinator, { name: "Christmas closure", first: "2030-12-24", last: "2031-01-01" });
    const page = await get(calendarRoute, "/coordinator/calendar?view=month&date=2030-12-01", {}, await cookieFor(w.coordinator));
    expect(page.body.closures).toMatchObject({ "2030-12-24": "Christmas closure", "2030-12-25": "Christmas Day", "2030-12-31": "Christmas closure" });
    expect(page.body.closures["2030-12-23"]).toBeUndefined();
  });

  it("the open-session form refuses 100 places on a 20-person course and Christmas Day, beside each field, keeping what was typed", async () => {
    const w = await schedulingWorld(db());
    const courseId = await createCourse(db(), { name: "Consent", maxGroupSize: 20 });
    const cookie = await cookieFor(w.coordinator);
    const typed = { courseId: String(courseId), date: "2030-10-16", time: "10:00", place: "address", address: "Online", capacity: "100", policy: "anyone" };
    const tooMany = await post(openSessionRoute, "/coordinator/open-sessions/new", {}, cookie, typed);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error).toEqual({ capacity: ["Consent takes at most 20 people: offer 20 places or fewer"] });
    expect(tooMany.body.initialValue).toMatchObject({ capacity: "100", date: "2030-10-16", address: "Online" });
    const christmas = await post(openSessionRoute, "/coordinator/open-sessions/new", {}, cookie, { ...typed, capacity: "20", date: "2030-12-25" });
    expect(christmas.body.error).toEqual({ date: ["25 December 2030 is Christmas Day, a bank holiday: the university is closed"] });
    expect(await db().selectFrom("sessions").select("id").where("course_id", "=", courseId).execute()).toEqual([]);
  });

  it("moving a session onto a closure day is refused beside the date", async () => {
    const w = await schedulingWorld(db());
    const sessionId = await insertSession(db(), { courseId: w.courseId, startsAt: london("2030-12-18", "10:00"), address: "Hall" });
    const moved = await post(sessionRoute, `/coordinator/sessions/${sessionId}`, { sessionId: String(sessionId) }, await cookieFor(w.coordinator), {
      intent: "reschedule",
      date: "2030-12-26",
      time: "10:00",
      place: "address",
      address: "Hall",
      reason: "The room flooded",
    });
    expect(moved.status).toBe(400);
    expect(moved.body.result.error).toEqual({ date: ["26 December 2030 is Boxing Day, a bank holiday: the university is closed"] });
  });

  it("the schedule page says why a preferred time or a typed one cannot be used, and offers no rooms for it", async () => {
    const w = await schedulingWorld(db());
    const requestId = await createRequest(db(), {
      booker: w.booker,
      organisationId: w.organisationId,
      courseId: w.courseId,
      times: [london("2030-12-25", "10:00"), london("2030-10-16", "10:00")],
    });
    const cookie = await cookieFor(w.coordinator);
    const url = (query: string) => `/coordinator/requests/${requestId}?${query}`;
    const choice = await get(requestRoute, url("slot=1"), { requestId: String(requestId) }, cookie);
    expect(choice.body.choiceProblems).toEqual(["25 December 2030 is Christmas Day, a bank holiday: the university is closed", null]);
    expect(choice.body.startsAt).toBeNull();
    const other = await get(requestRoute, url("slot=other&date=2031-01-01&time=10:00"), { requestId: String(requestId) }, cookie);
    expect(other.body.otherProblem).toMatch(/^1 January 2031 is New Year's Day/);
    expect(other.body.rooms).toEqual([]);
  });
});
