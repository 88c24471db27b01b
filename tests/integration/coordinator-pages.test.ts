import type { ActionFunctionArgs } from "@remix-run/node";
import { beforeEach, describe, expect, it } from "vitest";
import { createAuthSession, SESSION_COOKIE, type SessionUser } from "#app/auth/session.server.ts";
import { getDb } from "#app/db.server.ts";
import * as requestRoute from "#app/routes/coordinator.requests.$requestId.tsx";
import { readFlash } from "#app/utils/flash.server.ts";
import { createCourse, formBody, sameSiteRequest } from "#tests/factories.ts";
import { createRequest, london, londonDate, pinClock, schedulingWorld } from "#tests/scheduling-fixtures.ts";
import { routeOutcome, type RouteOutcome } from "#tests/route-outcome.ts";

type Action = (args: ActionFunctionArgs) => Promise<unknown>;

const db = () => getDb();
beforeEach(() => pinClock("2030-10-02T08:00:00Z"));

async function cookieFor(user: SessionUser) {
  const { token } = await createAuthSession(db(), user.id, null);
  return `${SESSION_COOKIE}=${token}`;
}

function post(route: { action: unknown }, url: string, params: Record<string, string>, cookie: string, values: Record<string, string>) {
  return routeOutcome(() =>
    (route.action as Action)({ request: sameSiteRequest(url, { method: "POST", cookie, body: formBody(values) }), params, context: {} }),
  );
}

/** The message the next page shows, from the cookie an action set on its redirect. */
async function flashOf(outcome: RouteOutcome) {
  const cookie = outcome.headers.get("Set-Cookie")?.split(";")[0] ?? "";
  return (await readFlash(new Request("http://localhost/", { headers: { Cookie: cookie } }))).flash?.message;
}

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
