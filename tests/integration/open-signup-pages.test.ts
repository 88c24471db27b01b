import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "#app/db.server.ts";
import * as registrationRoute from "#app/routes/registrations.$token.tsx";
import * as listRoute from "#app/routes/sessions.open._index.tsx";
import * as sessionRoute from "#app/routes/sessions.open.$sessionId.tsx";
import { createOpenSession } from "#app/signup/open-sessions.server.ts";
import { register } from "#app/signup/registrations.server.ts";
import { STEADY_ANSWER_MS } from "#app/utils/steady-answer.server.ts";
import type { OpenSessionInput } from "#app/signup/schemas.ts";
import { createCourse, createUser, formBody, sameSiteRequest } from "#tests/factories.ts";
import { insertSession, london, londonDate, openSessionInput, pinClock } from "#tests/scheduling-fixtures.ts";
import { routeOutcome } from "#tests/route-outcome.ts";
import { steadyAnswerPauses } from "#tests/steady-answers.ts";

const db = () => getDb();
beforeEach(() => pinClock("2030-10-02T08:00:00Z"));

type Loader = (args: LoaderFunctionArgs) => Promise<unknown>;
type Action = (args: ActionFunctionArgs) => Promise<unknown>;

let seq = 0;
const unique = () => `${Date.now()}${++seq}`;

async function openSession(overrides: Partial<OpenSessionInput> = {}) {
  const coordinator = await createUser(db(), { roles: ["coordinator"] });
  const courseId = await createCourse(db(), { name: `Active Bystander ${unique()}` });
  const id = await createOpenSession(
    db(),
    coordinator,
    openSessionInput(courseId, {
      title: "Student leader induction",
      address: "Online test room",
      capacity: 2,
      asksStudentId: "yes",
      question: "Which leader role do you hold?",
      ...overrides,
    }),
  );
  return { id, courseId };
}

const sessionPage = (id: number | string) => ({
  get: () =>
    routeOutcome(() => (sessionRoute.loader as Loader)({ request: sameSiteRequest(`/sessions/open/${id}`), params: { sessionId: String(id) }, context: {} })),
  post: (values: Record<string, string>) =>
    routeOutcome(() =>
      (sessionRoute.action as Action)({
        request: sameSiteRequest(`/sessions/open/${id}`, { method: "POST", body: formBody(values) }),
        params: { sessionId: String(id) },
        context: {},
      }),
    ),
});

const managePage = (token: string) => ({
  get: () => routeOutcome(() => (registrationRoute.loader as Loader)({ request: sameSiteRequest(`/registrations/${token}`), params: { token }, context: {} })),
  post: (values: Record<string, string>) =>
    routeOutcome(() =>
      (registrationRoute.action as Action)({
        request: sameSiteRequest(`/registrations/${token}`, { method: "POST", body: formBody(values) }),
        params: { token },
        context: {},
      }),
    ),
});

const person = () => {
  const id = unique();
  return { name: `Leader ${id}`, email: `leader-${id}@example.ac.uk`, studentId: "s2400123", answer: "Hall rep" };
};

describe("the list of open sessions", () => {
  it("filters by course and dates, and ignores values that make no sense", async () => {
    const a = await openSession();
    const b = await openSession({ date: londonDate(4, 3) });
    const list = (query: string) =>
      routeOutcome(() => (listRoute.loader as Loader)({ request: sameSiteRequest(`/sessions/open${query}`), params: {}, context: {} }));
    const ids = async (query: string) => ((await list(query)).body.sessions as { id: number }[]).map((s) => s.id);

    expect(await ids("")).toEqual(expect.arrayContaining([a.id, b.id]));
    expect(await ids(`?course=${a.courseId}`)).toEqual([a.id]);
    // "To" takes in the whole of that day.
    const onlyA = await ids(`?from=${londonDate(2, 3)}&to=${londonDate(2, 3)}`);
    expect(onlyA).toContain(a.id);
    expect(onlyA).not.toContain(b.id);
    const bad = await list("?course=abc&from=2030-02-31&to=yesterday&page=-3");
    expect(bad.status).toBe(200);
    expect(bad.body.filter).toEqual({ page: 1 });
    expect((bad.body.sessions as { id: number }[]).map((s) => s.id)).toEqual(expect.arrayContaining([a.id, b.id]));
  });
});

describe("the session page", () => {
  it("answers a new person, someone already signed up and an address not on the invited list exactly alike, in the same time, and tells each by email", async () => {
    const tag = unique();
    const listed = [`a-${tag}@example.ac.uk`, `b-${tag}@example.ac.uk`];
    const s = await openSession({ capacity: 1, policy: "list", allowlist: listed.join("\n") });
    const post = sessionPage(s.id).post;
    const answers = {
      place: await post({ ...person(), email: listed[0]! }),
      already: await post({ ...person(), name: "Someone Else", email: listed[0]!.toUpperCase() }),
      waiting: await post({ ...person(), email: listed[1]! }),
      alreadyWaiting: await post({ ...person(), email: listed[1]! }),
      notOnTheList: await post({ ...person(), email: `c-${tag}@example.ac.uk` }),
    };
    for (const [what, res] of Object.entries(answers)) {
      expect(res.status, what).toBe(200);
      // The same words for every one: only the address typed is repeated back.
      expect(JSON.stringify(res.body).replace(/"email":"[^"]*"/, ""), what).toBe(JSON.stringify({ done: {} }));
    }
    // Each answer was held until the same time after its request arrived.
    expect(steadyAnswerPauses()).toEqual(Object.values(answers).map(() => STEADY_ANSWER_MS));
    const templates = async (email: string) =>
      (await db().selectFrom("email_messages").select("template").where("to_address", "=", email).orderBy("id").execute()).map((m) => m.template);
    expect(await templates(listed[0]!)).toEqual(["registration-confirmed", "registration-already"]);
    expect(await templates(listed[1]!)).toEqual(["waiting-list-place", "registration-already"]);
    expect(await templates(`c-${tag}@example.ac.uk`)).toEqual(["signup-not-invited"]);
    const rows = await db().selectFrom("registrations").select(["email", "student_id", "answer"]).where("session_id", "=", s.id).orderBy("id").execute();
    expect(rows).toEqual([
      { email: listed[0], student_id: "S2400123", answer: "Hall rep" },
      { email: listed[1], student_id: "S2400123", answer: "Hall rep" },
    ]);
  });

  it("asks for the student ID beside its field, keeping what was typed", async () => {
    const s = await openSession();
    const res = await sessionPage(s.id).post({ ...person(), studentId: "" });
    expect(res.status).toBe(400);
    expect(res.body.error.studentId).toEqual(["Enter your student ID"]);
    expect(res.body.initialValue.name).toMatch(/^Leader /);
  });

  it("puts a refusal for this email address beside the email field", async () => {
    const s = await openSession({ policy: "domain", domain: "bath.ac.uk" });
    const res = await sessionPage(s.id).post({ ...person(), email: "someone@gmail.com" });
    expect(res.status).toBe(400);
    expect(res.body.error.email[0]).toMatch(/bath\.ac\.uk/);
    expect(res.body.initialValue.email).toBe("someone@gmail.com");
  });

  it("explains why a cancelled session cannot be signed up to, and refuses a POST to it", async () => {
    const s = await openSession();
    await db().updateTable("sessions").set({ status: "cancelled", cancel_reason: "The trainer is ill." }).where("id", "=", s.id).execute();
    const page = await sessionPage(s.id).get();
    expect(page.body.closedBecause).toBe("This session has been cancelled.");
    expect(page.body.session.cancelReason).toBe("The trainer is ill.");
    const res = await sessionPage(s.id).post(person());
    expect(res.body.error[""]).toEqual(["This session has been cancelled."]);
  });

  it("is a 404 for a session that is not open for sign-up, or does not exist", async () => {
    const courseId = await createCourse(db());
    const booked = await insertSession(db(), { courseId, startsAt: london(londonDate(2, 2), "10:00") });
    expect((await sessionPage(booked).get()).status).toBe(404);
    expect((await sessionPage(booked).post(person())).status).toBe(404);
    expect((await sessionPage("999999").get()).status).toBe(404);
    expect((await sessionPage("abc").get()).status).toBe(404);
  });
});

describe("the manage page", () => {
  it("only looks the place up on GET, with no-referrer and no-store", async () => {
    const s = await openSession();
    const result = await register(db(), s.id, {
      name: "Amira",
      email: `amira-${unique()}@example.ac.uk`,
      studentId: "S1",
      accessibilityNeeds: null,
      answer: null,
    });
    if (result.outcome !== "registered") throw new Error("expected a registration");
    const before = await db().selectFrom("registrations").selectAll().where("session_id", "=", s.id).execute();
    const page = await managePage(result.manageToken).get();
    expect(page.status).toBe(200);
    expect(page.body.state).toBe("found");
    expect(page.body.registration.status).toBe("registered");
    expect(JSON.stringify(page.body)).not.toContain("manage_token_hash");
    expect(page.headers.get("Referrer-Policy")).toBe("no-referrer");
    expect(page.headers.get("Cache-Control")).toBe("no-store");
    expect(await db().selectFrom("registrations").selectAll().where("session_id", "=", s.id).execute()).toEqual(before);
    const headers = new Headers((registrationRoute.headers as () => HeadersInit)());
    expect(headers.get("Referrer-Policy")).toBe("no-referrer");
  });

  it("is a friendly 404 for an unknown link", async () => {
    const page = await managePage("nothing-like-a-token").get();
    expect(page.status).toBe(404);
    expect(page.body).toEqual({ state: "unknown" });
  });

  it("cancels on POST once; a second POST is refused", async () => {
    const s = await openSession();
    const result = await register(db(), s.id, { name: "Ben", email: `ben-${unique()}@example.ac.uk`, studentId: "S2", accessibilityNeeds: null, answer: null });
    if (result.outcome !== "registered") throw new Error("expected a registration");
    expect((await managePage(result.manageToken).post({ intent: "nothing" })).status).toBe(400);
    const done = await managePage(result.manageToken).post({ intent: "cancel" });
    expect(done.status).toBe(302);
    expect(done.headers.get("Location")).toBe(`/registrations/${result.manageToken}`);
    expect((await managePage(result.manageToken).get()).body.registration.status).toBe("cancelled");
    const again = await managePage(result.manageToken).post({ intent: "cancel" });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatch(/already been cancelled/);
  });
});
