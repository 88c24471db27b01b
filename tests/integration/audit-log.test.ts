import fs from "node:fs";
import path from "node:path";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Kysely, SqliteDialect } from "kysely";
import SQLite from "better-sqlite3";
import { describe, expect, it, vi } from "vitest";
import type { Database, Role } from "#db/schema.ts";
import { recordAudit, recordAuditQuietly, searchAuditEvents } from "#app/audit/audit.server.ts";
import { categoryOf } from "#app/audit/categories.ts";
import { createAuthSession, SESSION_COOKIE } from "#app/auth/session.server.ts";
import { getDb } from "#app/db.server.ts";
import * as auditRoute from "#app/routes/coordinator.audit.tsx";
import * as coordinatorHome from "#app/routes/coordinator._index.tsx";
import * as feedRoute from "#app/routes/trainer.calendar-feed.tsx";
import * as forgotRoute from "#app/routes/forgot-password.tsx";
import * as loginRoute from "#app/routes/login.tsx";
import * as logoutRoute from "#app/routes/logout.tsx";
import * as setPasswordRoute from "#app/routes/set-password.$token.tsx";
import { addMs, DAY, now, setClockOffsetForTests } from "#app/utils/time.ts";
import { createUser, formBody, sameSiteRequest, TEST_PASSWORD } from "#tests/factories.ts";
import { routeOutcome } from "#tests/route-outcome.ts";

type Loader = (args: LoaderFunctionArgs) => Promise<unknown>;
type Action = (args: ActionFunctionArgs) => Promise<unknown>;
type AuditPage = Awaited<ReturnType<typeof auditRoute.loader>>;

const db = () => getDb();

async function cookieAs(roles: Role[], opts: { email?: string } = {}) {
  const user = await createUser(db(), { roles, ...opts });
  const { token } = await createAuthSession(db(), user.id, null);
  return { user, cookie: `${SESSION_COOKIE}=${token}`, token };
}

const post = (url: string, values: Record<string, string>, cookie?: string) =>
  sameSiteRequest(url, { method: "POST", cookie, body: formBody(values), headers: { "User-Agent": "audit-test" } });

async function auditPage(cookie: string, query = ""): Promise<AuditPage> {
  const res = await routeOutcome(() =>
    (auditRoute.loader as Loader)({ request: sameSiteRequest(`/coordinator/audit${query}`, { cookie }), params: {}, context: {} }),
  );
  expect(res.status).toBe(200);
  return res.body as AuditPage;
}

async function allAuditText() {
  const rows = await db().selectFrom("audit_events").selectAll().execute();
  return rows.map((r) => JSON.stringify(r)).join("\n");
}

async function lastEvent(action: string) {
  return db().selectFrom("audit_events").selectAll().where("action", "=", action).orderBy("id", "desc").executeTakeFirstOrThrow();
}

describe("sign-ins in the audit log", () => {
  it("records a failed sign-in with the address and the reason, never the password typed", async () => {
    const user = await createUser(db(), { roles: ["booker"] });
    const typed = "Wr0ng-but-Secret-guess!";
    const res = await routeOutcome(() =>
      (loginRoute.action as Action)({ request: post("/login", { email: user.email, password: typed }), params: {}, context: {} }),
    );
    expect(res.status).toBe(400);
    const row = await lastEvent("auth.sign_in_failed");
    expect(row.actor_user_id).toBeNull();
    expect(row.entity_id).toBe(String(user.id));
    expect(row.summary).toContain(user.email);
    expect(JSON.parse(row.detail_json!)).toMatchObject({ email: user.email, reason: "wrong password", userAgent: "audit-test" });

    const nobody = "nobody-here@example.ac.uk";
    await routeOutcome(() => (loginRoute.action as Action)({ request: post("/login", { email: nobody, password: typed }), params: {}, context: {} }));
    const unknown = await lastEvent("auth.sign_in_failed");
    expect(unknown.entity_id).toBeNull();
    expect(JSON.parse(unknown.detail_json!)).toMatchObject({ email: nobody, reason: "unknown account" });

    expect(await allAuditText()).not.toContain(typed);
  });

  it("records a sign-in refused while the address is locked as rate limited", async () => {
    const user = await createUser(db(), { roles: ["booker"] });
    const at = now().toISOString();
    await db()
      .insertInto("sign_in_failures")
      .values({ email: user.email, failure_count: 5, first_failed_at: at, last_failed_at: at, locked_until: addMs(now(), 10 * 60_000).toISOString() })
      .execute();
    const res = await routeOutcome(() =>
      (loginRoute.action as Action)({ request: post("/login", { email: user.email, password: TEST_PASSWORD }), params: {}, context: {} }),
    );
    expect(res.status).toBe(429);
    expect(JSON.parse((await lastEvent("auth.sign_in_failed")).detail_json!)).toMatchObject({ email: user.email, reason: "rate limited" });
  });

  it("sign-in, sign-out, password reset and a calendar feed link leave no password or token in any entry", async () => {
    const user = await createUser(db(), { roles: ["trainer"] });
    const signedIn = await routeOutcome(() =>
      (loginRoute.action as Action)({ request: post("/login", { email: user.email, password: TEST_PASSWORD }), params: {}, context: {} }),
    );
    expect(signedIn.status).toBe(302);
    const setCookie = signedIn.response!.headers.get("Set-Cookie")!;
    const sessionToken = /neverok_session=([^;]+)/.exec(setCookie)![1]!;
    const cookie = `${SESSION_COOKIE}=${sessionToken}`;
    expect((await lastEvent("auth.signed_in")).actor_user_id).toBe(user.id);

    const feed = await routeOutcome(() =>
      (feedRoute.action as Action)({ request: post("/trainer/calendar-feed", { intent: "issue" }, cookie), params: {}, context: {} }),
    );
    const feedUrl = (feed.body as { feed: { https: string } }).feed.https;
    const feedToken = /\/feeds\/trainers\/([^/]+)\.ics$/.exec(feedUrl)![1]!;
    await routeOutcome(() => (feedRoute.action as Action)({ request: post("/trainer/calendar-feed", { intent: "revoke" }, cookie), params: {}, context: {} }));
    expect((await lastEvent("trainer.feed_token_revoked")).actor_user_id).toBe(user.id);

    await routeOutcome(() => (logoutRoute.action as Action)({ request: post("/logout", {}, cookie), params: {}, context: {} }));
    expect((await lastEvent("auth.signed_out")).actor_user_id).toBe(user.id);

    await routeOutcome(() => (forgotRoute.action as Action)({ request: post("/forgot-password", { email: user.email }), params: {}, context: {} }));
    const mail = await db().selectFrom("email_messages").select("text").where("to_address", "=", user.email).orderBy("id", "desc").executeTakeFirstOrThrow();
    const resetToken = /\/set-password\/([A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
    const newPassword = "an entirely new passphrase 42";
    const reset = await routeOutcome(() =>
      (setPasswordRoute.action as Action)({
        request: post(`/set-password/${resetToken}`, { password: newPassword, confirm: newPassword }),
        params: { token: resetToken },
        context: {},
      }),
    );
    expect(reset.status).toBe(302);
    expect((await lastEvent("user.password_reset_requested")).entity_id).toBe(String(user.id));
    expect((await lastEvent("user.password_reset")).entity_id).toBe(String(user.id));

    const everything = await allAuditText();
    for (const secret of [TEST_PASSWORD, newPassword, sessionToken, sessionToken.split(".")[1]!, feedToken, resetToken]) {
      expect(everything).not.toContain(secret);
    }
  });

  it("drops credential-named keys from details at any depth", async () => {
    await recordAudit(db(), {
      actorUserId: null,
      action: "test.secrets",
      entityType: "test",
      entityId: null,
      summary: "A detail with things that must not be kept",
      detail: {
        password: "p1",
        nested: { tokenHash: "h1", keep: "yes", list: [{ secret: "s1", apiKey: "k1", feed_token: "t1", n: 2 }] },
        newPassword: "p2",
        tokensDeleted: 3,
      },
    });
    const row = await lastEvent("test.secrets");
    expect(JSON.parse(row.detail_json!)).toEqual({ nested: { keep: "yes", list: [{ n: 2 }] }, tokensDeleted: 3 });
  });
});

describe("refused access in the audit log", () => {
  it("records who was refused what, and where", async () => {
    const { user, cookie } = await cookieAs(["booker"]);
    const res = await routeOutcome(() => (coordinatorHome.loader as Loader)({ request: sameSiteRequest("/coordinator", { cookie }), params: {}, context: {} }));
    expect(res.status).toBe(403);
    const row = await lastEvent("auth.refused");
    expect(row.actor_user_id).toBe(user.id);
    expect(row.entity_id).toBe("/coordinator");
    expect(JSON.parse(row.detail_json!)).toMatchObject({ method: "GET", path: "/coordinator", roles: ["booker"] });
    expect(JSON.parse(row.detail_json!).needed).toContain("coordinator");
  });

  it("a failure to write the entry never turns the refusal into a server error", async () => {
    const broken = new Kysely<Database>({ dialect: new SqliteDialect({ database: new SQLite(":memory:") }) });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    await expect(
      recordAuditQuietly(broken, { actorUserId: null, action: "auth.refused", entityType: "path", entityId: "/x", summary: "x" }),
    ).resolves.toBeUndefined();
    expect(warn).toHaveBeenCalled();
    await broken.destroy();
  });
});

describe("the audit log page", () => {
  it("is for coordinators: a trainer is refused", async () => {
    const { cookie } = await cookieAs(["trainer", "booker", "officer"]);
    const res = await routeOutcome(() =>
      (auditRoute.loader as Loader)({ request: sameSiteRequest("/coordinator/audit", { cookie }), params: {}, context: {} }),
    );
    expect(res.status).toBe(403);
  });

  it("filters by kind, by who and by what it was about", async () => {
    const { cookie } = await cookieAs(["coordinator"]);
    const victim = await createUser(db(), { roles: ["booker"], email: "filter-victim@example.ac.uk" });
    await routeOutcome(() =>
      (loginRoute.action as Action)({ request: post("/login", { email: victim.email, password: "not it at all" }), params: {}, context: {} }),
    );
    const { user: refusedUser, cookie: refusedCookie } = await cookieAs(["booker"], { email: "refused-booker@example.ac.uk" });
    await routeOutcome(() =>
      (coordinatorHome.loader as Loader)({ request: sameSiteRequest("/coordinator", { cookie: refusedCookie }), params: {}, context: {} }),
    );

    const signIns = await auditPage(cookie, "?category=sign-in");
    expect(signIns.events.length).toBeGreaterThan(0);
    expect(signIns.events.every((e) => e.category === "sign-in")).toBe(true);
    expect(signIns.events.some((e) => e.action === "auth.sign_in_failed" && e.summary.includes(victim.email))).toBe(true);

    const refusals = await auditPage(cookie, "?category=refusals&actor=REFUSED-booker");
    expect(refusals.events).toHaveLength(1);
    expect(refusals.events[0]).toMatchObject({ action: "auth.refused", actor_email: refusedUser.email });

    const about = await auditPage(cookie, `?subject=${encodeURIComponent("filter-victim@")}`);
    expect(about.events.length).toBeGreaterThan(0);
    expect(about.events.every((e) => e.summary.includes("filter-victim@"))).toBe(true);

    // Password resets are sign-in events, not changes to people.
    const people = await searchAuditEvents(db(), { category: "people", limit: 500 });
    expect(people.events.some((e) => e.action.startsWith("user.password"))).toBe(false);
  });

  it("every action the app records is under one of the kinds, so no filter loses it", () => {
    const root = path.resolve(__dirname, "../..");
    const actions = new Set<string>();
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) {
          for (const line of fs
            .readFileSync(full, "utf8")
            .split("\n")
            .filter((l) => /\baction: /.test(l))) {
            for (const m of line.matchAll(/"([a-z_]+\.[a-z_]+)"/g)) actions.add(m[1]!);
          }
        }
      }
    };
    walk(path.join(root, "app"));
    expect(actions.size).toBeGreaterThan(40);
    expect([...actions].filter((a) => categoryOf(a) === null)).toEqual([]);
  });

  it("filters by date, whole London days at both ends", async () => {
    const { cookie } = await cookieAs(["coordinator"]);
    const marker = `dated-${Date.now()}`;
    for (const daysAgo of [40, 20, 10]) {
      setClockOffsetForTests(-daysAgo * DAY);
      await recordAudit(db(), { actorUserId: null, action: "test.dated", entityType: "test", entityId: daysAgo, summary: `${marker} ${daysAgo}` });
    }
    setClockOffsetForTests(0);
    const dayOf = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY).toISOString().slice(0, 10);
    const page = await auditPage(cookie, `?subject=${marker}&from=${dayOf(25)}&to=${dayOf(10)}`);
    expect(page.events.map((e) => e.entity_id)).toEqual(["10", "20"]);
    expect((await auditPage(cookie, `?subject=${marker}&from=${dayOf(15)}`)).events.map((e) => e.entity_id)).toEqual(["10"]);
    expect((await auditPage(cookie, `?subject=${marker}&to=${dayOf(30)}`)).events.map((e) => e.entity_id)).toEqual(["40"]);
  });

  it("pages newest first, without repeating or losing an entry", async () => {
    const { cookie } = await cookieAs(["coordinator"]);
    const marker = `paged-${Date.now()}`;
    for (let i = 1; i <= 57; i++)
      await recordAudit(db(), { actorUserId: null, action: "test.paged", entityType: "test", entityId: i, summary: `${marker} ${i}` });
    const first = await auditPage(cookie, `?subject=${marker}`);
    expect(first.events).toHaveLength(50);
    expect(first.events[0]!.entity_id).toBe("57");
    expect(first.olderThan).toBe(first.events[49]!.id);
    const second = await auditPage(cookie, `?subject=${marker}&before=${first.olderThan}`);
    expect(second.events.map((e) => e.entity_id)).toEqual(["7", "6", "5", "4", "3", "2", "1"]);
    expect(second.olderThan).toBeNull();
  });

  it("ignores filter values it cannot read instead of failing", async () => {
    const { cookie } = await cookieAs(["coordinator"]);
    const page = await auditPage(cookie, `?category=everything-please&from=2025-13-45&to=yesterday&before=-3&actor=${"x".repeat(400)}`);
    expect(page.filter).toEqual({ category: undefined, actor: undefined, subject: undefined, from: undefined, to: undefined, before: undefined });
    expect(page.events.length).toBeGreaterThan(0);
  });
});

describe("the audit log cannot be edited through the app", () => {
  it("the page has no action, so a POST changes nothing", () => {
    expect((auditRoute as Record<string, unknown>).action).toBeUndefined();
  });

  it("only erasure and retention update or delete audit entries", () => {
    const allowed = new Set(["app/privacy/erase.server.ts", "app/privacy/retention.server.ts"]);
    const root = path.resolve(__dirname, "../..");
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (/\.(ts|tsx)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) files.push(full);
      }
    };
    walk(path.join(root, "app"));
    walk(path.join(root, "db"));
    const writes = /(updateTable|deleteFrom|replaceInto)\(\s*["'`]audit_events\b|\b(update|delete\s+from|replace\s+into)\s+["`]?audit_events\b/i;
    const offenders = files
      .map((f) => path.relative(root, f).split(path.sep).join("/"))
      .filter((rel) => !allowed.has(rel) && rel !== "app/audit/audit.server.ts" && !rel.startsWith("db/migrations/"))
      .filter((rel) => writes.test(fs.readFileSync(path.join(root, rel), "utf8")));
    expect(offenders).toEqual([]);
    // recordAudit only ever adds entries.
    const audit = fs.readFileSync(path.join(root, "app/audit/audit.server.ts"), "utf8");
    expect(audit).not.toMatch(/updateTable|deleteFrom/);
  });
});
