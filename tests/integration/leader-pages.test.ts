import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import type { Kysely } from "kysely";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "#db/schema.ts";
import { createAuthSession, SESSION_COOKIE } from "#app/auth/session.server.ts";
import { LEADER_LINK_REQUESTED } from "#app/compliance/self-service.server.ts";
import { getDb } from "#app/db.server.ts";
import * as accessRoute from "#app/routes/leaders.access.tsx";
import * as ownRoute from "#app/routes/leaders.access_.$token.tsx";
import * as leaderRoute from "#app/routes/officer.leaders.$personId.tsx";
import * as matchesRoute from "#app/routes/officer.matches.tsx";
import { STEADY_ANSWER_MS } from "#app/utils/steady-answer.server.ts";
import { HOUR, MINUTE } from "#app/utils/time.ts";
import { attend, createLeader, createLeaderRole, createLeaderYear, leaderCourses, leaderSession, unique, type TestLeader } from "#tests/compliance-fixtures.ts";
import { createUser, formBody, sameSiteRequest } from "#tests/factories.ts";
import { pinClock } from "#tests/scheduling-fixtures.ts";
import { routeOutcome } from "#tests/route-outcome.ts";
import { steadyAnswerPauses } from "#tests/steady-answers.ts";

type Loader = (args: LoaderFunctionArgs) => Promise<unknown>;
type Action = (args: ActionFunctionArgs) => Promise<unknown>;

let db: Kysely<Database>;
let courses: Awaited<ReturnType<typeof leaderCourses>>;
let roleId: number;
let officerCookie: string;
const YEAR = 2071;
const NOW = `${YEAR}-11-20T12:00:00Z`;

beforeAll(async () => {
  db = getDb();
  courses = await leaderCourses(db);
  await createLeaderYear(db, YEAR);
  roleId = await createLeaderRole(db, [{ courseId: courses.bystander }, { courseId: courses.consent }], `Freshers' Week captain ${unique()}`);
});
beforeEach(async () => {
  pinClock(NOW);
  // Signed in on the pinned clock, so the session is live then.
  const officer = await createUser(db, { roles: ["officer"] });
  officerCookie = `${SESSION_COOKIE}=${(await createAuthSession(db, officer.id, null)).token}`;
});

const count = async (table: "leader_access_tokens" | "email_messages" | "leader_completions" | "leader_exemptions" | "audit_events") =>
  Number(
    (
      await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow()
    ).n,
  );

const askForLink = (email: string) =>
  routeOutcome(() =>
    (accessRoute.action as Action)({
      request: sameSiteRequest("/leaders/access", { method: "POST", body: formBody({ email }) }),
      params: {},
      context: {},
    }),
  );

const openLink = (token: string) =>
  routeOutcome(() => (ownRoute.loader as Loader)({ request: sameSiteRequest(`/leaders/access/${token}`), params: { token }, context: {} }));

describe("asking for a leader's link", () => {
  it("answers an address on the roster exactly as it answers any other, and only the leader's gets a token and an email", async () => {
    const leader = await createLeader(db, { roleId, startYear: YEAR });
    const stranger = `nobody-${unique()}@students.example.ac.uk`;
    const before = { tokens: await count("leader_access_tokens"), emails: await count("email_messages") };

    const unknown = await askForLink(stranger);
    expect({ tokens: await count("leader_access_tokens"), emails: await count("email_messages") }).toEqual(before);
    const known = await askForLink(leader.email);
    expect({ tokens: await count("leader_access_tokens"), emails: await count("email_messages") }).toEqual({
      tokens: before.tokens + 1,
      emails: before.emails + 1,
    });

    expect(known.status).toBe(200);
    expect(unknown.status).toBe(known.status);
    expect(JSON.stringify(unknown.body)).toBe(JSON.stringify(known.body));
    expect(known.body.message).toBe(LEADER_LINK_REQUESTED);
    // The address typed is not echoed back: the page would differ by it.
    expect(JSON.stringify(known.body)).not.toContain(leader.email);
  });

  it("takes as long for an unknown address as for one that gets an email", async () => {
    const leader = await createLeader(db, { roleId, startYear: YEAR });
    await askForLink(`nobody-${unique()}@students.example.ac.uk`);
    await askForLink(leader.email);
    // Each answer was held until the same time after its request arrived.
    expect(steadyAnswerPauses()).toEqual([STEADY_ANSWER_MS, STEADY_ANSWER_MS]);
  });

  it("asks again beside the field for something that is not an email address, whoever's it might be", async () => {
    const result = await askForLink("not an email");
    expect(result.status).toBe(400);
    expect(result.body.result.error).toEqual({ email: ["Enter an email address like name@example.ac.uk"] });
    expect(result.body.result.initialValue).toEqual({ email: "not an email" });
  });
});

describe("the leader's own page", () => {
  const tokenFor = async (leader: TestLeader) => {
    await askForLink(leader.email);
    const message = await db.selectFrom("email_messages").select("text").where("to_address", "=", leader.email).orderBy("id", "desc").executeTakeFirstOrThrow();
    return /\/leaders\/access\/([A-Za-z0-9_-]+)/.exec(message.text)![1]!;
  };

  it("shows a valid link's record, never cached, indexed or sent on as a referrer", async () => {
    const leader = await createLeader(db, { roleId, startYear: YEAR, groupName: "Freshers' Week Captains" });
    await attend(db, await leaderSession(db, courses.bystander, `${YEAR}-09-15`, { title: "Captains' induction" }), leader);
    const page = await openLink(await tokenFor(leader));
    expect(page.status).toBe(200);
    expect(page.headers.get("Cache-Control")).toBe("no-store");
    expect(page.headers.get("Referrer-Policy")).toBe("no-referrer");
    expect(page.headers.get("X-Robots-Tag")).toBe("noindex");
    expect(page.body.status).toBe("valid");
    expect(page.body.record.person).toEqual({ name: leader.name, email: leader.email });
    expect(page.body.record.years[0].roles).toEqual([expect.objectContaining({ groupName: "Freshers' Week Captains" })]);
    expect(ownRoute.headers({} as never)).toMatchObject({ "Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex" });
  });

  it("shows the ask-again page for an expired or made-up link, with the same headers", async () => {
    const leader = await createLeader(db, { roleId, startYear: YEAR });
    const token = await tokenFor(leader);
    pinClock(new Date(new Date(NOW).getTime() + 24 * HOUR + MINUTE));
    const expired = await openLink(token);
    expect(expired).toMatchObject({ status: 410, body: { status: "expired", record: null } });
    const unknown = await openLink("garbled-token");
    expect(unknown).toMatchObject({ status: 404, body: { status: "unknown", record: null } });
    for (const r of [expired, unknown]) expect(r.headers.get("Cache-Control")).toBe("no-store");
  });
});

describe("an officer on a leader's page", () => {
  const post = (personId: number, values: Record<string, string>) =>
    routeOutcome(() =>
      (leaderRoute.action as Action)({
        request: sameSiteRequest(`/officer/leaders/${personId}?year=${YEAR}`, { method: "POST", body: formBody(values), cookie: officerCookie }),
        params: { personId: String(personId) },
        context: {},
      }),
    );
  const load = (personId: number) =>
    routeOutcome(() =>
      (leaderRoute.loader as Loader)({
        request: sameSiteRequest(`/officer/leaders/${personId}?year=${YEAR}`, { cookie: officerCookie }),
        params: { personId: String(personId) },
        context: {},
      }),
    );

  it("is never cached and says how each requirement stands", async () => {
    const leader = await createLeader(db, { roleId, startYear: YEAR });
    await attend(db, await leaderSession(db, courses.bystander, `${YEAR}-10-01`), leader);
    const page = await load(leader.personId);
    expect(page.status).toBe(200);
    expect(page.headers.get("Cache-Control")).toBe("no-store");
    const byCourse = new Map(page.body.detail.result.requirements.map((r: { courseId: number; state: string }) => [r.courseId, r.state]));
    expect(byCourse).toEqual(
      new Map([
        [courses.bystander, "met"],
        [courses.consent, "missing"],
      ]),
    );
  });

  it("keeps what was typed and puts a future date beside its field; then records the training, audited", async () => {
    const leader = await createLeader(db, { roleId, startYear: YEAR });
    const typed = {
      intent: "external",
      courseId: String(courses.consent),
      completedOn: `${YEAR}-12-01`,
      provider: "Bath Spa SU",
      evidenceNote: "Certificate",
    };
    const audits = await count("audit_events");
    const refused = await post(leader.personId, typed);
    expect(refused.status).toBe(400);
    expect(refused.body.form).toBe("external");
    expect(refused.body.result.error).toEqual({ completedOn: ["The date cannot be in the future"] });
    expect(refused.body.result.initialValue).toMatchObject({ provider: "Bath Spa SU", evidenceNote: "Certificate", completedOn: `${YEAR}-12-01` });

    const missingProvider = await post(leader.personId, { ...typed, completedOn: `${YEAR}-11-02`, provider: "" });
    expect(missingProvider.body.result.error).toEqual({ provider: ["Say who delivered the training"] });
    expect(await count("audit_events")).toBe(audits);

    const saved = await post(leader.personId, { ...typed, completedOn: `${YEAR}-11-02` });
    expect(saved.status).toBe(302);
    expect(saved.headers.get("Location")).toBe(`/officer/leaders/${leader.personId}?year=${YEAR}`);
    const page = await load(leader.personId);
    const consent = page.body.detail.result.requirements.find((r: { courseId: number }) => r.courseId === courses.consent);
    expect(consent).toMatchObject({ state: "met", metBy: { source: "external", provider: "Bath Spa SU", completedOn: `${YEAR}-11-02` } });
    expect(await count("audit_events")).toBe(audits + 1);

    // Withdrawn with a reason: it stays on the page, no longer counting.
    const completionId = page.body.detail.recorded[0].id;
    expect((await post(leader.personId, { intent: "withdraw-completion", id: String(completionId), reason: "" })).body).toMatchObject({
      form: `withdraw-completion-${completionId}`,
      result: { error: { reason: ["Say why this record is withdrawn"] } },
    });
    expect((await post(leader.personId, { intent: "withdraw-completion", id: String(completionId), reason: "Wrong person" })).status).toBe(302);
    const after = await load(leader.personId);
    expect(after.body.detail.recorded[0]).toMatchObject({ id: completionId, withdrawReason: "Wrong person" });
    expect(after.body.detail.result.requirements.find((r: { courseId: number }) => r.courseId === courses.consent).state).toBe("missing");
  });

  it("withdraws only this leader's records from this leader's page", async () => {
    const owner = await createLeader(db, { roleId, startYear: YEAR });
    const other = await createLeader(db, { roleId, startYear: YEAR });
    expect(
      (await post(owner.personId, { intent: "external", courseId: String(courses.consent), completedOn: `${YEAR}-11-02`, provider: "Elsewhere" })).status,
    ).toBe(302);
    const { id } = await db.selectFrom("leader_completions").select("id").where("person_id", "=", owner.personId).executeTakeFirstOrThrow();
    const refused = await post(other.personId, { intent: "withdraw-completion", id: String(id), reason: "Not theirs" });
    expect(refused).toMatchObject({
      status: 400,
      body: { form: `withdraw-completion-${id}`, result: { error: { "": ["This record no longer exists"] } } },
    });
    expect((await db.selectFrom("leader_completions").select("withdrawn_at").where("id", "=", id).executeTakeFirstOrThrow()).withdrawn_at).toBeNull();
  });

  it("records an exemption from every course for the year, and withdraws it", async () => {
    const leader = await createLeader(db, { roleId, startYear: YEAR });
    const refused = await post(leader.personId, {
      intent: "exemption",
      courseId: "",
      startYear: String(YEAR),
      reason: "Trains others",
      grantedBy: "",
    });
    expect(refused.body).toMatchObject({
      form: "exemption",
      result: { error: { courseId: ["Choose a course, or every course"], grantedBy: ["Say who granted the exemption"] } },
    });
    expect(refused.body.result.initialValue).toMatchObject({ reason: "Trains others" });
    const saved = await post(leader.personId, {
      intent: "exemption",
      courseId: "all",
      startYear: String(YEAR),
      reason: "Trains others",
      grantedBy: "VP Welfare",
    });
    expect(saved.status).toBe(302);
    const page = await load(leader.personId);
    expect(page.body.detail.result.status).toBe("compliant");
    expect(page.body.detail.exemptions).toEqual([expect.objectContaining({ courseId: null, reason: "Trains others", grantedBy: "VP Welfare" })]);
    expect(
      (await post(leader.personId, { intent: "withdraw-exemption", id: String(page.body.detail.exemptions[0].id), reason: "Granted in error" })).status,
    ).toBe(302);
    expect((await load(leader.personId)).body.detail.result.status).not.toBe("compliant");
  });
});

describe("possible matches", () => {
  it("shows a same-name attendance beside the leader, and confirming it counts as their training", async () => {
    const name = `Nadia Near ${unique()}`;
    const leader = await createLeader(db, { roleId, startYear: YEAR, name, studentId: `S9${Date.now().toString().slice(-6)}` });
    const registrationId = await attend(db, await leaderSession(db, courses.bystander, `${YEAR}-10-20`), {
      name,
      email: `${unique()}@gmail.example`,
    });
    const load = () =>
      routeOutcome(() =>
        (matchesRoute.loader as Loader)({
          request: sameSiteRequest(`/officer/matches?year=${YEAR}`, { cookie: officerCookie }),
          params: {},
          context: {},
        }),
      );
    const page = await load();
    expect(page.headers.get("Cache-Control")).toBe("no-store");
    const miss = page.body.misses.find((m: { personId: number }) => m.personId === leader.personId);
    expect(miss).toMatchObject({ registrationId, why: "Same name, different email, no student ID on the register" });
    expect(page.body.rolesByPerson[leader.personId]).toEqual([expect.stringContaining("Freshers' Week captain")]);

    const confirmed = await routeOutcome(() =>
      (matchesRoute.action as Action)({
        request: sameSiteRequest(`/officer/matches?year=${YEAR}`, {
          method: "POST",
          body: formBody({ intent: "confirm", personId: String(leader.personId), registrationId: String(registrationId) }),
          cookie: officerCookie,
        }),
        params: {},
        context: {},
      }),
    );
    expect(confirmed.status).toBe(302);
    expect((await load()).body.misses.some((m: { personId: number }) => m.personId === leader.personId)).toBe(false);
    const completion = await db.selectFrom("leader_completions").selectAll().where("person_id", "=", leader.personId).executeTakeFirstOrThrow();
    expect(completion).toMatchObject({ source: "confirmed_match", registration_id: registrationId, withdrawn_at: null });
  });
});
