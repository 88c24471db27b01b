import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { createAuthSession, SESSION_COOKIE, type SessionUser } from "#app/auth/session.server.ts";
import { getDb } from "#app/db.server.ts";
import { getTrainerPlanning } from "#app/trainers/trainers.server.ts";
import { londonWallTimeToUtc } from "#app/utils/dates.ts";
import { MINUTE, nowIso } from "#app/utils/time.ts";
import * as feedRoute from "#app/routes/feeds.trainers.$token[.ics].ts";
import * as homeRoute from "#app/routes/trainer._index.tsx";
import * as availabilityRoute from "#app/routes/trainer.availability.tsx";
import * as calendarFeedRoute from "#app/routes/trainer.calendar-feed.tsx";
import * as sessionRoute from "#app/routes/trainer.sessions.$sessionId.tsx";
import { createCourse, createOrganisation, createUser, formBody, sameSiteRequest } from "#tests/factories.ts";
import { createBooker, createRequest, insertAssignment } from "#tests/scheduling-fixtures.ts";
import { routeOutcome } from "#tests/route-outcome.ts";

const db = () => getDb();

async function signedIn(): Promise<{ user: SessionUser; cookie: string }> {
  const user = await createUser(db(), { roles: ["trainer"] });
  const { token } = await createAuthSession(db(), user.id, null);
  return { user, cookie: `${SESSION_COOKIE}=${token}` };
}

async function sessionWith(trainers: { id: number; status: "assigned" | "accepted" | "declined" }[]) {
  const course = await createCourse(db(), { name: `Consent ${Math.random().toString(36).slice(2, 8)}` });
  const at = nowIso();
  const startsAt = new Date(Date.now() + 10 * 86_400_000);
  const s = await db()
    .insertInto("sessions")
    .values({
      course_id: course,
      booking_request_id: null,
      organisation_id: await createOrganisation(db()),
      starts_at: startsAt.toISOString(),
      ends_at: new Date(startsAt.getTime() + 90 * MINUTE).toISOString(),
      duration_minutes: 90,
      room_id: null,
      address: "Rugby Club House",
      capacity: 20,
      status: "scheduled",
      cancel_reason: null,
      ical_uid: `route-${Math.random().toString(36).slice(2)}@neverok.example`,
      created_by: null,
      created_at: at,
      updated_at: at,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  for (const t of trainers) await insertAssignment(db(), s.id, t.id, { status: t.status, assigned_at: at });
  return s.id;
}

const get = (url: string, cookie: string) => sameSiteRequest(url, { cookie });
const post = (url: string, cookie: string, values: Record<string, string>) => sameSiteRequest(url, { method: "POST", cookie, body: formBody(values) });
type Loader = (args: LoaderFunctionArgs) => Promise<unknown>;
type Action = (args: ActionFunctionArgs) => Promise<unknown>;

describe("a trainer's session page", () => {
  it("is a 404 for a trainer who is not on the session, for GET and POST alike", async () => {
    const onIt = await signedIn();
    const stranger = await signedIn();
    const id = await sessionWith([{ id: onIt.user.id, status: "assigned" }]);
    const params = { sessionId: String(id) };
    expect(
      (await routeOutcome(() => (sessionRoute.loader as Loader)({ request: get(`/trainer/sessions/${id}`, stranger.cookie), params, context: {} }))).status,
    ).toBe(404);
    const refused = await routeOutcome(() =>
      (sessionRoute.action as Action)({ request: post(`/trainer/sessions/${id}`, stranger.cookie, { intent: "accept" }), params, context: {} }),
    );
    expect(refused.status).toBe(404);
    expect(
      (await routeOutcome(() => (sessionRoute.loader as Loader)({ request: get(`/trainer/sessions/${id}`, onIt.cookie), params, context: {} }))).status,
    ).toBe(200);
    expect(
      (
        await routeOutcome(() =>
          (sessionRoute.loader as Loader)({ request: get("/trainer/sessions/abc", onIt.cookie), params: { sessionId: "abc" }, context: {} }),
        )
      ).status,
    ).toBe(404);
  });

  it("refuses a decline without a reason beside the reason field, then records one with a reason", async () => {
    const { user, cookie } = await signedIn();
    const id = await sessionWith([{ id: user.id, status: "assigned" }]);
    const params = { sessionId: String(id) };
    const refused = await routeOutcome(() =>
      (sessionRoute.action as Action)({ request: post(`/trainer/sessions/${id}`, cookie, { intent: "decline", reason: "" }), params, context: {} }),
    );
    expect(refused.status).toBe(400);
    const body = refused.body as { sessionId: number; result: { error: Record<string, string[]> } };
    expect(body.sessionId).toBe(id);
    expect(body.result.error.reason?.[0]).toMatch(/Say why/);

    const done = await routeOutcome(() =>
      (sessionRoute.action as Action)({
        request: post(`/trainer/sessions/${id}`, cookie, { intent: "decline", reason: "I am at a conference" }),
        params,
        context: {},
      }),
    );
    expect(done.status).toBe(302);
    const row = await db().selectFrom("session_trainers").selectAll().where("session_id", "=", id).where("trainer_id", "=", user.id).executeTakeFirstOrThrow();
    expect(row.status).toBe("declined");
    expect(row.decline_reason).toBe("I am at a conference");

    // They can still open it and see their answer; declining again is refused at form level.
    const page = await routeOutcome(() => (sessionRoute.loader as Loader)({ request: get(`/trainer/sessions/${id}`, cookie), params, context: {} }));
    expect(page.body).toMatchObject({ declined: true, declineReason: "I am at a conference" });
    const again = await routeOutcome(() =>
      (sessionRoute.action as Action)({ request: post(`/trainer/sessions/${id}`, cookie, { intent: "decline", reason: "Still away" }), params, context: {} }),
    );
    expect(again.status).toBe(400);
    expect((again.body as { result: { error: Record<string, string[]> } }).result.error[""]?.[0]).toMatch(/already declined/);
  });

  it("shows a trainer who declined only their answer, never the booker, the group or its needs; a trainer taken off it gets a 404", async () => {
    const declined = await signedIn();
    const onIt = await signedIn();
    const removed = await signedIn();
    const id = await sessionWith([
      { id: declined.user.id, status: "declined" },
      { id: onIt.user.id, status: "accepted" },
    ]);
    const { booker, organisationId } = await createBooker(db(), { name: "Booker Private" });
    const requestId = await createRequest(db(), {
      booker,
      organisationId,
      courseId: (await db().selectFrom("sessions").select("course_id").where("id", "=", id).executeTakeFirstOrThrow()).course_id,
    });
    await db()
      .updateTable("booking_requests")
      .set({ status: "scheduled", session_id: id, notes: "Ask for Dana at the bar", accessibility_needs: "Two wheelchair users" })
      .where("id", "=", requestId)
      .execute();
    await db().updateTable("sessions").set({ booking_request_id: requestId, organisation_id: organisationId }).where("id", "=", id).execute();
    const params = { sessionId: String(id) };
    const load = (cookie: string) =>
      routeOutcome(() => (sessionRoute.loader as Loader)({ request: get(`/trainer/sessions/${id}`, cookie), params, context: {} }));

    const full = JSON.stringify((await load(onIt.cookie)).body);
    for (const shown of [booker.email, "Ask for Dana at the bar", "Two wheelchair users"]) expect(full).toContain(shown);
    const page = await load(declined.cookie);
    expect(page.status).toBe(200);
    const text = JSON.stringify(page.body);
    for (const hidden of [booker.email, "Booker Private", "Ask for Dana at the bar", "Two wheelchair users", "Rugby Club House", onIt.user.name])
      expect(text).not.toContain(hidden);
    expect((await load(removed.cookie)).status).toBe(404);
  });

  it("accepts from the home page, and refuses to accept someone else's session", async () => {
    const { user, cookie } = await signedIn();
    const other = await signedIn();
    const id = await sessionWith([{ id: user.id, status: "assigned" }]);
    const done = await routeOutcome(() =>
      (homeRoute.action as Action)({ request: post("/trainer?index", cookie, { intent: "accept", sessionId: String(id) }), params: {}, context: {} }),
    );
    expect(done.status).toBe(302);
    const row = await db()
      .selectFrom("session_trainers")
      .select("status")
      .where("session_id", "=", id)
      .where("trainer_id", "=", user.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe("accepted");

    await routeOutcome(() =>
      (homeRoute.action as Action)({ request: post("/trainer?index", other.cookie, { intent: "accept", sessionId: String(id) }), params: {}, context: {} }),
    );
    const rows = await db().selectFrom("session_trainers").select("trainer_id").where("session_id", "=", id).execute();
    expect(rows.map((r) => r.trainer_id)).toEqual([user.id]);
  });
});

describe("availability and time off", () => {
  it("adds whole days of time off in London time, and refuses a last day before the first", async () => {
    const { user, cookie } = await signedIn();
    const action = availabilityRoute.action as Action;
    const refused = await routeOutcome(() =>
      action({
        request: post("/trainer/availability", cookie, { intent: "add-time-off", startDate: "2030-07-10", endDate: "2030-07-09" }),
        params: {},
        context: {},
      }),
    );
    expect(refused.status).toBe(400);
    expect((refused.body as { form: string; result: { error: Record<string, string[]> } }).result.error.endDate?.[0]).toMatch(/last day/);

    const done = await routeOutcome(() =>
      action({
        request: post("/trainer/availability", cookie, { intent: "add-time-off", startDate: "2030-07-10", endDate: "2030-07-12", reason: "Holiday" }),
        params: {},
        context: {},
      }),
    );
    expect(done.status).toBe(302);
    const [off] = (await getTrainerPlanning(db(), user.id)).timeOff;
    // British Summer Time: London midnight is 23:00 UTC the evening before.
    expect(off).toMatchObject({ starts_at: "2030-07-09T23:00:00.000Z", ends_at: "2030-07-12T23:00:00.000Z", reason: "Holiday" });
    expect(off!.starts_at).toBe(londonWallTimeToUtc("2030-07-10", "00:00").toISOString());

    await action({ request: post("/trainer/availability", cookie, { intent: "remove-time-off", timeOffId: String(off!.id) }), params: {}, context: {} });
    expect((await getTrainerPlanning(db(), user.id)).timeOff).toEqual([]);
  });

  it("saves the week, and refuses overlapping hours beside the later window", async () => {
    const { user, cookie } = await signedIn();
    const action = availabilityRoute.action as Action;
    const week = {
      intent: "availability",
      "windows[0].weekday": "1",
      "windows[0].startTime": "09:00",
      "windows[0].endTime": "12:00",
      "windows[1].weekday": "1",
      "windows[1].startTime": "11:00",
      "windows[1].endTime": "15:00",
    };
    const refused = await routeOutcome(() => action({ request: post("/trainer/availability", cookie, week), params: {}, context: {} }));
    expect(refused.status).toBe(400);
    expect((refused.body as { result: { error: Record<string, string[]> } }).result.error["windows[1].startTime"]?.[0]).toMatch(/Overlaps/);

    const done = await routeOutcome(() =>
      action({
        request: post("/trainer/availability", cookie, {
          ...week,
          "windows[1].startTime": "13:00",
          "windows[2].weekday": "3",
          "windows[2].startTime": "10:00",
          "windows[2].endTime": "16:00",
        }),
        params: {},
        context: {},
      }),
    );
    expect(done.status).toBe(302);
    expect((await getTrainerPlanning(db(), user.id)).windows).toEqual([
      { weekday: 1, startTime: "09:00", endTime: "12:00" },
      { weekday: 1, startTime: "13:00", endTime: "15:00" },
      { weekday: 3, startTime: "10:00", endTime: "16:00" },
    ]);

    // Saving with no hours at all clears the week.
    await action({ request: post("/trainer/availability", cookie, { intent: "availability" }), params: {}, context: {} });
    expect((await getTrainerPlanning(db(), user.id)).windows).toEqual([]);
  });
});

describe("the calendar feed", () => {
  it("shows a new link once, built from APP_URL; replacing it makes the old one a 404", async () => {
    const { user, cookie } = await signedIn();
    const id = await sessionWith([{ id: user.id, status: "accepted" }]);
    const issue = async () => {
      const result = await routeOutcome(() =>
        (calendarFeedRoute.action as Action)({ request: post("/trainer/calendar-feed", cookie, { intent: "issue" }), params: {}, context: {} }),
      );
      return (result.body as { feed: { https: string; webcal: string } }).feed;
    };
    const first = await issue();
    expect(first.https).toMatch(/^http:\/\/localhost:3000\/feeds\/trainers\/[A-Za-z0-9_-]{40,}\.ics$/);
    expect(first.webcal).toBe(first.https.replace("http://", "webcal://"));
    const tokenOf = (url: string) => /\/feeds\/trainers\/([^/]+)\.ics$/.exec(url)![1]!;
    const fetchFeed = (token: string) =>
      feedRoute.loader({ request: new Request(`http://localhost:3000/feeds/trainers/${token}.ics`), params: { token }, context: {} });

    const ok = await fetchFeed(tokenOf(first.https));
    expect(ok.status).toBe(200);
    expect(ok.headers.get("Content-Type")).toBe("text/calendar; charset=utf-8");
    // Kept by the subscribing calendar and checked each time, never by a shared cache.
    expect(ok.headers.get("Cache-Control")).toBe("private, no-cache, no-transform");
    const uid = (await db().selectFrom("sessions").select("ical_uid").where("id", "=", id).executeTakeFirstOrThrow()).ical_uid;
    expect(await ok.text()).toContain(`UID:${uid}`);

    const second = await issue();
    expect((await fetchFeed(tokenOf(first.https))).status).toBe(404);
    expect((await fetchFeed(tokenOf(second.https))).status).toBe(200);

    await (calendarFeedRoute.action as Action)({ request: post("/trainer/calendar-feed", cookie, { intent: "revoke" }), params: {}, context: {} });
    expect((await fetchFeed(tokenOf(second.https))).status).toBe(404);
  });

  it("keeps the page out of caches and referrers", () => {
    const headers = new Headers((calendarFeedRoute.headers as () => HeadersInit)());
    expect(headers.get("Cache-Control")).toBe("no-store");
    expect(headers.get("Referrer-Policy")).toBe("no-referrer");
  });
});
