import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { beforeEach, describe, expect, it } from "vitest";
import { createAuthSession, SESSION_COOKIE, type SessionUser } from "#app/auth/session.server.ts";
import { getDb } from "#app/db.server.ts";
import * as registerRoute from "#app/routes/trainer.sessions.$sessionId_.register.tsx";
import { MINUTE } from "#app/utils/time.ts";
import { createCourse, createUser, formBody, sameSiteRequest } from "#tests/factories.ts";
import { insertRegistration, insertSession, pinClock } from "#tests/scheduling-fixtures.ts";
import { routeOutcome } from "#tests/route-outcome.ts";

const db = () => getDb();
const STARTS = new Date("2030-10-09T14:00:00Z");
beforeEach(() => pinClock(new Date(STARTS.getTime() - 60 * MINUTE)));

async function signedIn(roles: ("trainer" | "coordinator" | "booker")[] = ["trainer"]): Promise<{ user: SessionUser; cookie: string }> {
  const user = await createUser(db(), { roles });
  const { token } = await createAuthSession(db(), user.id, null);
  return { user, cookie: `${SESSION_COOKIE}=${token}` };
}

async function openSessionWith(trainerId: number) {
  const sessionId = await insertSession(db(), { courseId: await createCourse(db()), startsAt: STARTS, trainerIds: [trainerId] });
  await db().updateTable("sessions").set({ kind: "open", title: "Student leader induction" }).where("id", "=", sessionId).execute();
  const registrationId = await insertRegistration(db(), sessionId, { name: "Amira Hussain", email: `amira-${sessionId}@students.example` });
  return { sessionId, registrationId };
}

type Loader = (args: LoaderFunctionArgs) => Promise<unknown>;
type Action = (args: ActionFunctionArgs) => Promise<unknown>;
const load = (sessionId: number, cookie: string) =>
  routeOutcome(() =>
    (registerRoute.loader as Loader)({
      request: sameSiteRequest(`/trainer/sessions/${sessionId}/register`, { cookie }),
      params: { sessionId: String(sessionId) },
      context: {},
    }),
  );
const post = (sessionId: number, cookie: string, values: Record<string, string>, sync = false) =>
  routeOutcome(() =>
    (registerRoute.action as Action)({
      request: sameSiteRequest(`/trainer/sessions/${sessionId}/register`, {
        method: "POST",
        cookie,
        body: formBody(values),
        headers: sync ? { "X-Register-Sync": "1" } : undefined,
      }),
      params: { sessionId: String(sessionId) },
      context: {},
    }),
  );

describe("the register page", () => {
  it("is a 404 for a trainer not on the session, a 403 for a booker, and open to a coordinator", async () => {
    const onIt = await signedIn();
    const { sessionId, registrationId } = await openSessionWith(onIt.user.id);
    const stranger = await signedIn();
    const booker = await signedIn(["booker"]);
    const coordinator = await signedIn(["coordinator"]);

    expect((await load(sessionId, stranger.cookie)).status).toBe(404);
    expect((await post(sessionId, stranger.cookie, { intent: "mark", registrationId: String(registrationId), present: "1" }, true)).status).toBe(404);
    expect((await load(sessionId, booker.cookie)).status).toBe(403);
    const mine = await load(sessionId, onIt.cookie);
    expect(mine.status).toBe(200);
    expect((mine.body as { people: { name: string }[] }).people.map((p) => p.name)).toEqual(["Amira Hussain"]);
    expect((mine.body as { backTo: string }).backTo).toBe(`/trainer/sessions/${sessionId}`);
    const theirs = await load(sessionId, coordinator.cookie);
    expect(theirs.status).toBe(200);
    expect((theirs.body as { backTo: string }).backTo).toBe(`/coordinator/sessions/${sessionId}`);
    expect((await load(999_999, coordinator.cookie)).status).toBe(404);

    const row = await db().selectFrom("registrations").select("attendance").where("id", "=", registrationId).executeTakeFirstOrThrow();
    expect(row.attendance).toBe("unknown");
  });

  it("answers the page's script with 204 and a result header, and a plain form with a redirect back to the row", async () => {
    const { user, cookie } = await signedIn();
    const { sessionId, registrationId } = await openSessionWith(user.id);

    const synced = await post(sessionId, cookie, { intent: "mark", registrationId: String(registrationId), present: "1" }, true);
    expect(synced.status).toBe(204);
    expect(synced.body).toBeNull();

    const plain = await post(sessionId, cookie, { intent: "mark", registrationId: String(registrationId), present: "0", q: "ami" });
    expect(plain.status).toBe(302);
    expect(plain.headers.get("Location")).toBe(`/trainer/sessions/${sessionId}/register?q=ami#person-${registrationId}`);

    const walkIn = await post(sessionId, cookie, { intent: "walk-in", clientKey: "route-walk-in-key", name: "Jo Bloggs", email: "" }, true);
    expect(walkIn.status).toBe(204);
    const result = JSON.parse(walkIn.headers.get("X-Register-Result") ?? "null") as { registrationId: number; outcome: string };
    expect(result.outcome).toBe("added");
    // A mark sent by the phone's key for the walk-in it added.
    expect((await post(sessionId, cookie, { intent: "mark", clientKey: "route-walk-in-key", present: "0" }, true)).status).toBe(204);
    const jo = await db().selectFrom("registrations").select(["attendance", "walk_in"]).where("id", "=", result.registrationId).executeTakeFirstOrThrow();
    expect(jo).toEqual({ attendance: "unknown", walk_in: 1 });

    const bad = await post(sessionId, cookie, { intent: "walk-in", clientKey: "route-walk-in-key-2", name: "" });
    expect(bad.status).toBe(400);
    expect((bad.body as { form: string; result: { error: Record<string, string[]> } }).form).toBe("walk-in");
    expect((bad.body as { result: { error: Record<string, string[]> } }).result.error.name?.[0]).toBe("Enter a name");
  });

  it("records a head count, and answers a person it does not hold or a request it does not know in the script's terms and the form's", async () => {
    const { user, cookie } = await signedIn();
    const { sessionId } = await openSessionWith(user.id);
    await db().updateTable("sessions").set({ kind: "booked", title: null }).where("id", "=", sessionId).execute();
    const refusal = (outcome: { headers: Headers }) => decodeURIComponent(outcome.headers.get("X-Register-Refusal") ?? "");
    const headCount = async () => (await db().selectFrom("sessions").select("head_count").where("id", "=", sessionId).executeTakeFirstOrThrow()).head_count;

    // An hour before the start: refused beside the field on the plain form, and to the page's script.
    const notYet = "The session has not started yet. You can record the head count from Wed 9 Oct 2030, 15:00.";
    const early = await post(sessionId, cookie, { intent: "head-count", count: "12" });
    expect(early.status).toBe(400);
    expect(early.body).toMatchObject({ form: "head-count", result: { error: { count: [notYet] }, initialValue: { count: "12" } } });
    expect(refusal(await post(sessionId, cookie, { intent: "head-count", count: "12" }, true))).toBe(notYet);
    expect(await headCount()).toBeNull();

    pinClock(STARTS);
    expect((await post(sessionId, cookie, { intent: "head-count", count: "12" }, true)).status).toBe(204);
    expect((await db().selectFrom("sessions").select("head_count").where("id", "=", sessionId).executeTakeFirstOrThrow()).head_count).toBe(12);
    const saved = await post(sessionId, cookie, { intent: "head-count", count: "14" });
    expect(saved.status).toBe(302);
    expect(saved.headers.get("Set-Cookie")).toContain("neverok_flash");
    const tooMany = await post(sessionId, cookie, { intent: "head-count", count: "2001" });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body).toMatchObject({ form: "head-count", result: { error: { count: ["Enter at most 2,000"] } } });
    expect(refusal(await post(sessionId, cookie, { intent: "head-count", count: "twelve" }, true))).toBe("Enter the head count as a whole number.");
    expect((await db().selectFrom("sessions").select("head_count").where("id", "=", sessionId).executeTakeFirstOrThrow()).head_count).toBe(14);

    const nobody = await post(sessionId, cookie, { intent: "mark", clientKey: "no-such-walk-in", present: "1" }, true);
    expect(nobody.status).toBe(404);
    expect(refusal(nobody)).toBe("That person is not on this session's register.");
    expect((await post(sessionId, cookie, { intent: "mark", present: "1" }, true)).status).toBe(404);

    const unknown = await post(sessionId, cookie, { intent: "shuffle" }, true);
    expect(unknown.status).toBe(400);
    expect(refusal(unknown)).toBe("That request was not understood.");
    expect((await post(sessionId, cookie, { intent: "shuffle" })).status).toBe(400);
  });

  it("closes the register with a flash of the counts, then refuses changes with a readable reason", async () => {
    const { user, cookie } = await signedIn();
    const { sessionId, registrationId } = await openSessionWith(user.id);
    const early = await post(sessionId, cookie, { intent: "close" });
    expect(early.status).toBe(302);
    expect((await db().selectFrom("sessions").select("status").where("id", "=", sessionId).executeTakeFirstOrThrow()).status).toBe("scheduled");

    await post(sessionId, cookie, { intent: "mark", registrationId: String(registrationId), present: "1" }, true);
    pinClock(new Date(STARTS.getTime() + 20 * MINUTE));
    const closed = await post(sessionId, cookie, { intent: "close" });
    expect(closed.status).toBe(302);
    expect(closed.headers.get("Location")).toBe(`/trainer/sessions/${sessionId}/register`);
    expect(closed.headers.get("Set-Cookie")).toContain("neverok_flash");

    const refusal = await post(sessionId, cookie, { intent: "mark", registrationId: String(registrationId), present: "0" }, true);
    expect(refusal.status).toBe(409);
    expect(decodeURIComponent(refusal.headers.get("X-Register-Refusal") ?? "")).toMatch(/^The register was closed at/);
    const page = await load(sessionId, cookie);
    expect((page.body as { closedAt: string | null; feedbackRequests: number }).feedbackRequests).toBe(1);
  });
});
