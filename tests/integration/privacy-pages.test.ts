import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { createAuthSession, SESSION_COOKIE } from "#app/auth/session.server.ts";
import { getDb } from "#app/db.server.ts";
import type { PersonData } from "#app/privacy/person-data.server.ts";
import * as exportRoute from "#app/routes/coordinator.privacy.export.ts";
import * as privacyRoute from "#app/routes/coordinator.privacy._index.tsx";
import * as retentionRoute from "#app/routes/coordinator.retention.tsx";
import { createUser, formBody, sameSiteRequest } from "#tests/factories.ts";
import { personEverywhere } from "#tests/privacy-fixtures.ts";
import { routeOutcome } from "#tests/route-outcome.ts";

type Loader = (args: LoaderFunctionArgs) => Promise<unknown>;
type Action = (args: ActionFunctionArgs) => Promise<unknown>;

async function coordinatorCookie() {
  const user = await createUser(getDb(), { roles: ["coordinator"] });
  const { token } = await createAuthSession(getDb(), user.id, null);
  return `${SESSION_COOKIE}=${token}`;
}

const get = (url: string, cookie: string) => sameSiteRequest(url, { cookie });
const post = (url: string, cookie: string, values: Record<string, string>) => sameSiteRequest(url, { method: "POST", cookie, body: formBody(values) });

describe("the personal data download", () => {
  it("is a JSON attachment that no cache keeps, and the download is in the audit log", async () => {
    const cookie = await coordinatorCookie();
    const p = await personEverywhere(getDb());
    const res = await routeOutcome(() =>
      (exportRoute.action as Action)({ request: post("/coordinator/privacy/export", cookie, { email: p.email }), params: {}, context: {} }),
    );
    expect(res.status).toBe(200);
    const headers = res.response!.headers;
    expect(headers.get("Content-Disposition")).toMatch(/^attachment; filename="personal-data-\d{4}-\d{2}-\d{2}\.json"$/);
    expect(headers.get("Cache-Control")).toBe("no-store");
    expect(headers.get("Content-Type")).toMatch(/application\/json/);
    const file = (await res.response!.json()) as PersonData & { about: { tablesSearched: unknown[] } };
    expect(file.email).toBe(p.email);
    expect(file.registrations).toHaveLength(3);
    expect(file.about.tablesSearched.length).toBeGreaterThan(30);
    const audit = await getDb()
      .selectFrom("audit_events")
      .select("summary")
      .where("action", "=", "privacy.exported")
      .orderBy("id", "desc")
      .executeTakeFirstOrThrow();
    expect(audit.summary).toContain(p.email);
  });

  it("needs a real address", async () => {
    const cookie = await coordinatorCookie();
    expect(
      (
        await routeOutcome(() =>
          (exportRoute.action as Action)({ request: post("/coordinator/privacy/export", cookie, { email: "nope" }), params: {}, context: {} }),
        )
      ).status,
    ).toBe(400);
    // Not by an address in the URL.
    expect(
      (
        await routeOutcome(() =>
          (exportRoute.action as Action)({
            request: post(`/coordinator/privacy/export?email=${encodeURIComponent("a@example.ac.uk")}`, cookie, {}),
            params: {},
            context: {},
          }),
        )
      ).status,
    ).toBe(400);
    expect("loader" in exportRoute).toBe(false);
  });
});

describe("the personal data page", () => {
  it("shows what is held for an address sent in the form's body, never in the URL, and tells a typo beside the search box", async () => {
    const cookie = await coordinatorCookie();
    const p = await personEverywhere(getDb());
    const found = await routeOutcome(() =>
      (privacyRoute.action as Action)({ request: post("/coordinator/privacy", cookie, { intent: "find", email: p.email }), params: {}, context: {} }),
    );
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ query: p.email, error: null });
    expect((found.body as { data: PersonData }).data.registrations).toHaveLength(3);
    const typo = await routeOutcome(() =>
      (privacyRoute.action as Action)({ request: post("/coordinator/privacy", cookie, { intent: "find", email: "not-an-address" }), params: {}, context: {} }),
    );
    expect(typo.status).toBe(400);
    expect(typo.body).toMatchObject({ query: "not-an-address", data: null, error: expect.stringMatching(/email address/) });
    // An address in the URL finds nothing: the page never reads one.
    const byUrl = await routeOutcome(() =>
      (privacyRoute.loader as Loader)({ request: get(`/coordinator/privacy?email=${encodeURIComponent(p.email)}`, cookie), params: {}, context: {} }),
    );
    expect(JSON.stringify(byUrl.body)).not.toContain(p.email);
    expect(privacyRoute.headers!({} as never)).toEqual({ "Cache-Control": "no-store" });
  });

  it("erases only when the address is typed again, with the refusal beside the field", async () => {
    const cookie = await coordinatorCookie();
    const p = await personEverywhere(getDb());
    const url = "/coordinator/privacy";
    const refused = await routeOutcome(() =>
      (privacyRoute.action as Action)({ request: post(url, cookie, { intent: "erase", email: p.email, confirmEmail: "" }), params: {}, context: {} }),
    );
    expect(refused.status).toBe(400);
    // The refusal comes with the person's data again, so the page still shows what is held.
    expect(refused.body).toMatchObject({ query: p.email, erase: { error: { confirmEmail: [expect.stringMatching(/Type the email address/)] } } });
    expect((refused.body as { data: PersonData }).data.registrations).toHaveLength(3);
    const wrong = await routeOutcome(() =>
      (privacyRoute.action as Action)({
        request: post(url, cookie, { intent: "erase", email: p.email, confirmEmail: "other@example.ac.uk" }),
        params: {},
        context: {},
      }),
    );
    expect(wrong.body).toMatchObject({ erase: { error: { confirmEmail: [expect.stringMatching(/not the same address/)] } } });
    expect((await getDb().selectFrom("users").select("name").where("id", "=", p.userId).executeTakeFirstOrThrow()).name).toBe(p.name);

    const done = await routeOutcome(() =>
      (privacyRoute.action as Action)({ request: post(url, cookie, { intent: "erase", email: p.email, confirmEmail: p.email }), params: {}, context: {} }),
    );
    expect(done.status).toBe(302);
    expect(done.response!.headers.get("Location")).toBe("/coordinator/privacy");
    expect((await getDb().selectFrom("users").select("name").where("id", "=", p.userId).executeTakeFirstOrThrow()).name).toBe("Erased person");
  });
});

describe("the retention page", () => {
  it("puts a bad period beside its field, and saves good ones", async () => {
    const cookie = await coordinatorCookie();
    const values = {
      registrationsMonths: "36",
      feedbackTextMonths: "24",
      emailBodiesMonths: "12",
      emailRecipientsMonths: "36",
      auditMonths: "72",
      expiredTokensDays: "30",
      staffLeaversMonths: "24",
    };
    const loaded = await routeOutcome(() => (retentionRoute.loader as Loader)({ request: get("/coordinator/retention", cookie), params: {}, context: {} }));
    expect((loaded.body as { preview: unknown[] }).preview).toHaveLength(7);
    const bad = await routeOutcome(() =>
      (retentionRoute.action as Action)({
        request: post("/coordinator/retention", cookie, { ...values, registrationsMonths: "3", expiredTokensDays: "x" }),
        params: {},
        context: {},
      }),
    );
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { registrationsMonths: [expect.stringMatching(/at least 12 months/)], expiredTokensDays: [expect.any(String)] } });
    const good = await routeOutcome(() =>
      (retentionRoute.action as Action)({ request: post("/coordinator/retention", cookie, { ...values, auditMonths: "60" }), params: {}, context: {} }),
    );
    expect(good.status).toBe(302);
  });
});
