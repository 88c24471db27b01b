import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { beforeEach, describe, expect, it } from "vitest";
import { createAuthSession, SESSION_COOKIE, type SessionUser } from "#app/auth/session.server.ts";
import { getDb } from "#app/db.server.ts";
import * as courseRoute from "#app/routes/coordinator.courses.$courseId.tsx";
import * as roomRoute from "#app/routes/coordinator.rooms.$roomId.tsx";
import * as calendarRoute from "#app/routes/coordinator.calendar.tsx";
import * as attendeesRoute from "#app/routes/coordinator.sessions.$sessionId_.attendees.tsx";
import * as requestRoute from "#app/routes/coordinator.requests.$requestId.tsx";
import * as sessionRoute from "#app/routes/coordinator.sessions.$sessionId.tsx";
import { scheduleRequest } from "#app/scheduling/sessions.server.ts";
import { createOpenSession } from "#app/signup/open-sessions.server.ts";
import { register } from "#app/signup/registrations.server.ts";
import { addMs, HOUR } from "#app/utils/time.ts";
import { readFlash } from "#app/utils/flash.server.ts";
import { createCourse, createOrganisation, createUser, formBody, sameSiteRequest } from "#tests/factories.ts";
import { createCoordinator, createRequest, createRoom, london, londonDate, openSessionInput, pinClock, schedulingWorld } from "#tests/scheduling-fixtures.ts";
import { routeOutcome, type RouteOutcome } from "#tests/route-outcome.ts";

type Action = (args: ActionFunctionArgs) => Promise<unknown>;
type Loader = (args: LoaderFunctionArgs) => Promise<unknown>;

const db = () => getDb();
beforeEach(() => pinClock("2030-10-02T08:00:00Z"));

async function cookieFor(user: SessionUser) {
  const { token } = await createAuthSession(db(), user.id, null);
  return `${SESSION_COOKIE}=${token}`;
}

function post(route: { action: unknown }, url: string, params: Record<string, string>, cookie: string, values: Record<string, string | string[]>) {
  return routeOutcome(() =>
    (route.action as Action)({ request: sameSiteRequest(url, { method: "POST", cookie, body: formBody(values) }), params, context: {} }),
  );
}

/** The message the next page shows, from the cookie an action set on its redirect. */
async function flashOf(outcome: RouteOutcome) {
  const cookie = outcome.headers.get("Set-Cookie")?.split(";")[0] ?? "";
  return (await readFlash(new Request("http://localhost/", { headers: { Cookie: cookie } }))).flash?.message;
}

describe("moving a session", () => {
  it("offers the rooms meeting the group's access needs first, the others saying what they lack", async () => {
    const w = await schedulingWorld(db());
    const tag = `Move ${Date.now()}`;
    const bare = await createRoom(db(), { name: `${tag} a`, capacity: 30 });
    const looped = await createRoom(db(), { name: `${tag} b`, capacity: 30, accessFeatures: ["hearing_loop"] });
    const requestId = await createRequest(db(), { booker: w.booker, organisationId: w.organisationId, courseId: w.courseId, accessNeeds: ["hearing_loop"] });
    const sessionId = await scheduleRequest(db(), w.coordinator, { requestId, startsAt: london(londonDate(2, 2), "10:00"), location: { roomId: looped } });
    const loaded = await routeOutcome(async () =>
      (sessionRoute.loader as Loader)({
        request: sameSiteRequest(`/coordinator/sessions/${sessionId}`, { cookie: await cookieFor(w.coordinator) }),
        params: { sessionId: String(sessionId) },
        context: {},
      }),
    );
    const rooms = (loaded.body as { rooms: { id: number; label: string }[] }).rooms.filter((r) => r.id === bare || r.id === looped);
    expect(rooms).toEqual([
      { id: looped, label: `${tag} b, Student Centre (holds 30)` },
      { id: bare, label: `${tag} a, Student Centre (holds 30): does not meet the group's needs: no hearing loop` },
    ]);
  });
});

describe("scheduling a request", () => {
  it("asks for as many trainers as the request's course is delivered by", async () => {
    const w = await schedulingWorld(db());
    const cookie = await cookieFor(w.coordinator);
    const schedule = async (courseId: number) => {
      const requestId = await createRequest(db(), { booker: w.booker, organisationId: w.organisationId, courseId, address: "Boat House, River Road" });
      const page = `/coordinator/requests/${requestId}`;
      const at = london(londonDate(2, 2), "10:00").toISOString();
      const done = await post(requestRoute, page, { requestId: String(requestId) }, cookie, { intent: "schedule", startsAt: at });
      expect(done.status).toBe(302);
      return flashOf(done);
    };
    expect(await schedule(await createCourse(db(), { name: `Co-delivered ${Date.now()}`, trainersNeeded: 3 }))).toMatch(/now assign three trainers\.$/);
    expect(await schedule(w.courseId)).toMatch(/now assign a trainer\.$/);
  });

  it("needs a room for a group that asked for a campus room, beside the room choice", async () => {
    const w = await schedulingWorld(db());
    const cookie = await cookieFor(w.coordinator);
    const requestId = await createRequest(db(), { booker: w.booker, organisationId: w.organisationId, courseId: w.courseId });
    const refused = await post(requestRoute, `/coordinator/requests/${requestId}`, { requestId: String(requestId) }, cookie, {
      intent: "schedule",
      startsAt: london(londonDate(2, 2), "10:00").toISOString(),
    });
    expect(refused.status).toBe(400);
    expect(refused.body.result.error).toEqual({ roomId: ["Choose a room"] });
    expect((await db().selectFrom("booking_requests").select("status").where("id", "=", requestId).executeTakeFirstOrThrow()).status).toBe("requested");
  });
});

describe("the attendees page", () => {
  let seq = 0;
  async function fullSession(promotionCutoffHours: number) {
    const coordinator = await createCoordinator(db());
    const input = openSessionInput(await createCourse(db()), { capacity: 1, promotionCutoffHours });
    const id = await createOpenSession(db(), coordinator, input);
    const people = [];
    for (const name of ["Ada Holder", "Ben Waiting"]) {
      const who = { name: `${name} ${++seq}`, email: `attendee-${Date.now()}-${seq}@example.ac.uk`, studentId: null, accessibilityNeeds: null, answer: null };
      const done = await register(db(), id, who);
      if (!("registrationId" in done)) throw new Error("expected a new registration");
      people.push({ ...who, registrationId: done.registrationId });
    }
    const cancel = async (registrationId: number) =>
      post(attendeesRoute, `/coordinator/sessions/${id}/attendees`, { sessionId: String(id) }, await cookieFor(coordinator), {
        intent: "cancel",
        registrationId: String(registrationId),
        reason: "Cannot come after all",
      });
    return { id, people, cancel, startsAt: london(input.date, input.time) };
  }

  it("says who moved up into a cancelled place, as the sign-up module did it", async () => {
    const s = await fullSession(2);
    const [holder, waiting] = s.people;
    const done = await s.cancel(holder!.registrationId);
    expect(done.status).toBe(302);
    expect(await flashOf(done)).toBe(
      `Cancelled ${holder!.name}'s place and emailed them. ${waiting!.name} moved up from the waiting list and has been emailed.`,
    );
  });

  it("says the first person waiting was left waiting inside the cut-off, and why", async () => {
    const s = await fullSession(6);
    pinClock(addMs(s.startsAt, -3 * HOUR));
    const [holder, waiting] = s.people;
    expect(await flashOf(await s.cancel(holder!.registrationId))).toBe(
      `Cancelled ${holder!.name}'s place and emailed them. ${waiting!.name}, first on the waiting list, was not moved up because the session starts within 6 hours; promote them by hand if you want to.`,
    );
  });

  it("refuses a registration of another session beside the list, changing nothing", async () => {
    const s = await fullSession(2);
    const other = await fullSession(2);
    const refused = await s.cancel(other.people[0]!.registrationId);
    expect(refused.status).toBe(400);
    expect(refused.body.result.error[""]).toEqual(["That person is not on this session's list."]);
    const trainer = await createUser(db(), { roles: ["trainer"] });
    const asTrainer = await post(attendeesRoute, `/coordinator/sessions/${s.id}/attendees`, { sessionId: String(s.id) }, await cookieFor(trainer), {
      intent: "cancel",
      registrationId: String(s.people[0]!.registrationId),
      reason: "Not mine",
    });
    expect(asTrainer.status).toBe(403);
  });
});

describe("the calendar", () => {
  it("names the organisation a link filters by, and ignores one that does not exist", async () => {
    const cookie = await cookieFor(await createCoordinator(db()));
    const name = `Rowing Club ${Date.now()}`;
    const organisationId = await createOrganisation(db(), { name, kind: "sports_club" });
    const load = (query: string) =>
      routeOutcome(() => (calendarRoute.loader as Loader)({ request: sameSiteRequest(`/coordinator/calendar?${query}`, { cookie }), params: {}, context: {} }));
    expect((await load(`organisation=${organisationId}`)).body).toMatchObject({ organisationLabel: name, query: { organisationId } });
    expect((await load("organisation=999999999")).body).toMatchObject({ organisationLabel: "" });
    expect((await load("org=Rowing")).body).toMatchObject({ organisationLabel: "Rowing" });
  });
});

describe("the course and room pages", () => {
  it("save a new record to the list, refuse a name already taken beside the field, and archive and restore the one shown", async () => {
    const cookie = await cookieFor(await createCoordinator(db()));
    const name = `Seminar Room ${Date.now()}`;
    const room = { name, building: "Library", capacity: "30" };
    const added = await post(roomRoute, "/coordinator/rooms/new", { roomId: "new" }, cookie, room);
    expect(added.headers.get("Location")).toBe("/coordinator/rooms");
    expect(await flashOf(added)).toBe(`Saved ${name}, Library.`);
    const again = await post(roomRoute, "/coordinator/rooms/new", { roomId: "new" }, cookie, room);
    expect(again.status).toBe(400);
    expect(again.body.error).toEqual({ name: ["This building already has a room with this name"] });
    expect(again.body.initialValue).toMatchObject(room);
    const id = (await db().selectFrom("rooms").select("id").where("name", "=", name).executeTakeFirstOrThrow()).id;
    const archived = await post(roomRoute, `/coordinator/rooms/${id}`, { roomId: String(id) }, cookie, { intent: "archive" });
    expect(archived.headers.get("Location")).toBe(`/coordinator/rooms/${id}`);
    expect(await flashOf(archived)).toBe(`${name} is archived: it will not be offered for sessions.`);
    expect((await db().selectFrom("rooms").select("is_archived").where("id", "=", id).executeTakeFirstOrThrow()).is_archived).toBe(1);
  });

  it("keep a room's access features ticked on the form, and keep the ticks when the form comes back with a problem", async () => {
    const cookie = await cookieFor(await createCoordinator(db()));
    const name = `Quiet Room ${Date.now()}`;
    const room = { name, building: "Library", capacity: "30", accessFeatures: ["step_free", "hearing_loop"] };
    expect((await post(roomRoute, "/coordinator/rooms/new", { roomId: "new" }, cookie, room)).status).toBe(302);
    const saved = await db().selectFrom("rooms").select("access_features").where("name", "=", name).executeTakeFirstOrThrow();
    expect(saved.access_features).toBe("step_free,hearing_loop");
    const again = await post(roomRoute, "/coordinator/rooms/new", { roomId: "new" }, cookie, { ...room, capacity: "0" });
    expect(again.status).toBe(400);
    expect(again.body.initialValue).toMatchObject({ accessFeatures: ["step_free", "hearing_loop"] });
    const unknown = await post(roomRoute, "/coordinator/rooms/new", { roomId: "new" }, cookie, { ...room, name: `${name} 2`, accessFeatures: ["lift"] });
    expect(unknown.status).toBe(400);
    expect(await db().selectFrom("rooms").select("id").where("name", "=", `${name} 2`).execute()).toEqual([]);
  });

  it("know no other intent, on either page", async () => {
    const cookie = await cookieFor(await createCoordinator(db()));
    const courseId = await createCourse(db());
    const fields = {
      name: `Consent ${Date.now()}`,
      description: "Asking and listening.",
      durationMinutes: "90",
      defaultGroupSize: "20",
      maxGroupSize: "30",
      colour: "#5b21b6",
    };
    const asked = await post(courseRoute, `/coordinator/courses/${courseId}`, { courseId: String(courseId) }, cookie, { ...fields, intent: "delete" });
    expect(asked.status).toBe(400);
    expect((await post(courseRoute, "/coordinator/courses/new", { courseId: "new" }, cookie, { ...fields, intent: "archive" })).status).toBe(400);
    expect(await db().selectFrom("courses").select("id").where("name", "=", fields.name).execute()).toEqual([]);
    expect((await post(courseRoute, "/coordinator/courses/999999999", { courseId: "999999999" }, cookie, { intent: "archive" })).status).toBe(404);
  });
});
