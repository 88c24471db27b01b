import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { beforeAll, describe, expect, it } from "vitest";
import type { Role } from "#db/schema.ts";
import { createAuthSession, SESSION_COOKIE } from "#app/auth/session.server.ts";
import { getDb } from "#app/db.server.ts";
import { addMs, DAY, now } from "#app/utils/time.ts";
import { createCourse, createOrganisation, createUser, formBody, sameSiteRequest } from "#tests/factories.ts";
import { routeOutcome, type RouteOutcome } from "#tests/route-outcome.ts";
import { createBooker, createRequest, createTrainer, insertSession } from "#tests/scheduling-fixtures.ts";
import { createStaffMember, createStaffRole, createVenue } from "#tests/staff-fixtures.ts";

/**
 * Who gets into every loader and action under app/routes. Every route module is discovered from the
 * folder: a new route that is not listed in ACCESS below fails this test until someone decides who may use it.
 */

type RouteModule = {
  loader?: (args: LoaderFunctionArgs) => Promise<unknown>;
  action?: (args: ActionFunctionArgs) => Promise<unknown>;
};
type Fn = "loader" | "action";
type Who = "nobody" | Role;

type Rule =
  /** Anyone, signed in or not: never sent to sign in, never refused (the sign-in page, the public listing). */
  | "public"
  /** The secret in the address is the credential: nobody and every role get the same answer for the same token. */
  | "token"
  /** Signing out: everyone, signed in or not, ends up at the sign-in page. */
  | "signs-out"
  /** Anyone signed in, whatever their role; nobody is sent to sign in. */
  | "signed-in"
  /** Only these roles; nobody is sent to sign in, the other roles get 403. */
  | readonly Role[];

const ROLES: Role[] = ["coordinator", "trainer", "booker", "officer"];
const COORDINATOR = ["coordinator"] as const;
const LEADERS = ["coordinator", "officer"] as const;
/** A venue's staff list: the coordinator, or a booker (who is let in only to their own organisation's, checked by id below). */
const VENUES = ["coordinator", "booker"] as const;

const ACCESS: Record<string, Partial<Record<Fn, Rule>>> = {
  // The catch-all answers 404 to everyone and changes nothing.
  $: { loader: "public", action: "public" },
  // The public front door for anyone not signed in; everyone signed in is sent to the home for their role.
  _index: { loader: "public" },
  account: { loader: "signed-in", action: "signed-in" },
  "account_.second-factor": { loader: "signed-in", action: "signed-in" },
  // Signing in through an identity provider: the start, the provider's answer, and on to its sign-out.
  "auth.sso.$provider._index": { loader: "public" },
  "auth.sso.$provider.callback": { loader: "public" },
  "auth.sso.$provider.sign-out": { loader: "public" },
  "booker._index": { loader: ["booker"] },
  "booker.bookings": { loader: ["booker"] },
  "booker.requests.$requestId": { loader: ["booker"], action: ["booker"] },
  "booker.requests.$requestId_.edit": { loader: ["booker"], action: ["booker"] },
  "booker.requests.new": { loader: ["booker"], action: ["booker"] },
  "coordinator._index": { loader: COORDINATOR },
  "coordinator.audit": { loader: COORDINATOR },
  "coordinator.calendar": { loader: COORDINATOR },
  "coordinator.courses.$courseId": { loader: COORDINATOR, action: COORDINATOR },
  "coordinator.courses._index": { loader: COORDINATOR },
  "coordinator.feedback": { loader: COORDINATOR },
  "coordinator.open-sessions._index": { loader: COORDINATOR },
  "coordinator.open-sessions.new": { loader: COORDINATOR, action: COORDINATOR },
  "coordinator.organisations.$organisationId": { loader: COORDINATOR, action: COORDINATOR },
  "coordinator.organisations._index": { loader: COORDINATOR },
  "coordinator.outbox.$messageId.attachments.$index": { loader: COORDINATOR },
  "coordinator.outbox.$messageId.raw": { loader: COORDINATOR },
  "coordinator.outbox.$messageId": { loader: COORDINATOR, action: COORDINATOR },
  "coordinator.outbox._index": { loader: COORDINATOR },
  "coordinator.people.$userId": { loader: COORDINATOR, action: COORDINATOR },
  "coordinator.people._index": { loader: COORDINATOR },
  "coordinator.people.new": { loader: COORDINATOR, action: COORDINATOR },
  "coordinator.privacy._index": { loader: COORDINATOR, action: COORDINATOR },
  "coordinator.privacy.export": { action: COORDINATOR },
  "coordinator.requests.$requestId": { loader: COORDINATOR, action: COORDINATOR },
  "coordinator.requests._index": { loader: COORDINATOR },
  "coordinator.retention": { loader: COORDINATOR, action: COORDINATOR },
  "coordinator.rooms.$roomId": { loader: COORDINATOR, action: COORDINATOR },
  "coordinator.rooms._index": { loader: COORDINATOR },
  "coordinator.sessions.$sessionId": { loader: COORDINATOR, action: COORDINATOR },
  "coordinator.sessions.$sessionId_.attendees": { loader: COORDINATOR, action: COORDINATOR },
  "coordinator.settings": { loader: COORDINATOR, action: COORDINATOR },
  "coordinator.sign-in._index": { loader: COORDINATOR, action: COORDINATOR },
  "coordinator.sign-in.$providerId": { loader: COORDINATOR, action: COORDINATOR },
  "coordinator.venues._index": { loader: COORDINATOR, action: COORDINATOR },
  "coordinator.venues.roles.$roleId": { loader: COORDINATOR, action: COORDINATOR },
  "coordinator.support.$serviceId": { loader: COORDINATOR, action: COORDINATOR },
  "coordinator.support._index": { loader: COORDINATOR, action: COORDINATOR },
  "feedback.$token": { loader: "token", action: "token" },
  "feedback.s.$code": { loader: "token", action: "token" },
  "feeds.trainers.$token[.ics]": { loader: "token" },
  "forgot-password": { action: "public" },
  "leaders.access": { action: "public" },
  "leaders.access_.$token": { loader: "token" },
  // A signed-in person is sent on from the sign-in page to their home.
  login: { loader: "public", action: "public" },
  logout: { loader: "public", action: "signs-out" },
  // Only a redirect to /officer/leaders, which checks who is asking.
  "officer._index": { loader: "public" },
  "officer.groups.$group": { loader: LEADERS },
  "officer.leaders.$personId": { loader: LEADERS, action: LEADERS },
  "officer.leaders.$personId_.edit": { loader: LEADERS, action: LEADERS },
  "officer.leaders._index": { loader: LEADERS },
  "officer.leaders.export": { loader: LEADERS },
  "officer.leaders.new": { loader: LEADERS, action: LEADERS },
  "officer.matches": { loader: LEADERS, action: LEADERS },
  "officer.reminders": { loader: LEADERS, action: LEADERS },
  "officer.roles.$roleId": { loader: LEADERS, action: LEADERS },
  "officer.roles._index": { loader: LEADERS, action: LEADERS },
  "officer.roster.import": { loader: LEADERS, action: LEADERS },
  "officer.roster.template": { loader: LEADERS },
  "registrations.$token": { loader: "token", action: "token" },
  "reports.impact": { loader: LEADERS },
  "reports.impact_.export": { loader: LEADERS },
  "reports.impact_.institutions": { loader: LEADERS },
  "reports.impact_.institutions_.export": { loader: LEADERS },
  "reports.impact_.print": { loader: LEADERS },
  // A session's calendar file: for the people on it (checked by id below), so any signed-in role may ask.
  "sessions.$sessionId": { loader: "signed-in" },
  "sessions.open.$sessionId": { loader: "public", action: "public" },
  "sessions.open._index": { loader: "public" },
  "set-password.$token": { loader: "token", action: "token" },
  "trainer._index": { loader: ["trainer"], action: ["trainer"] },
  "trainer.availability": { loader: ["trainer"], action: ["trainer"] },
  "trainer.calendar-feed": { loader: ["trainer"], action: ["trainer"] },
  "trainer.feedback": { loader: ["trainer"] },
  // The trainer on the session, or a coordinator (who may take a register for a trainer).
  "trainer.sessions.$sessionId": { loader: ["trainer"], action: ["trainer"] },
  "trainer.sessions.$sessionId_.qr": { loader: ["trainer", "coordinator"] },
  "trainer.sessions.$sessionId_.register": { loader: ["trainer", "coordinator"], action: ["trainer", "coordinator"] },
  "venues.$organisationId": { loader: VENUES, action: VENUES },
  "venues.$organisationId_.import": { loader: VENUES, action: VENUES },
  "venues.$organisationId_.staff.$memberId": { loader: VENUES, action: VENUES },
  "venues.template": { loader: VENUES },
  // The second factor at sign-in and when asked again: nobody is sent to sign in; an account without one goes straight on.
  verify: { loader: "signed-in", action: "signed-in" },
};

const routes = import.meta.glob<RouteModule>("/app/routes/*.{ts,tsx}", { eager: true });
const name = (file: string) => file.replace("/app/routes/", "").replace(/\.tsx?$/, "");
const params = {
  userId: "1",
  courseId: "1",
  roomId: "1",
  organisationId: "1",
  messageId: "1",
  index: "0",
  requestId: "1",
  sessionId: "1",
  personId: "1",
  roleId: "1",
  memberId: "1",
  // The emergency services, which every new installation lists.
  serviceId: "1",
  provider: "nowhere",
  // The form for a new sign-in provider: a new installation has none.
  providerId: "new",
  group: "Rugby Club",
  token: "not-a-real-token",
  code: "NOCODE",
  "*": "nowhere",
};

type Outcome = Pick<RouteOutcome, "status" | "location">;

const sentToSignIn = (o: Outcome) => o.status === 302 && (o.location ?? "").startsWith("/login");
const refused = (o: Outcome) => o.status === 401 || o.status === 403;
const describeOutcome = (o: Outcome) => `${o.status}${o.location ? ` → ${o.location}` : ""}`;

const userIds = new Map<Role, number>();
beforeAll(async () => {
  const db = getDb();
  for (const role of ROLES) {
    const org = await createOrganisation(db);
    userIds.set(role, (await createUser(db, { roles: [role], organisationIds: [org] })).id);
  }
});

/** A fresh sign-in each time: the logout route ends the session it is given. */
async function cookieFor(who: Who): Promise<string | undefined> {
  if (who === "nobody") return undefined;
  const { token } = await createAuthSession(getDb(), userIds.get(who)!, null);
  return `${SESSION_COOKIE}=${token}`;
}

async function call(mod: RouteModule, fn: Fn, who: Who): Promise<Outcome> {
  const cookie = await cookieFor(who);
  const request =
    fn === "loader"
      ? sameSiteRequest("http://localhost:3000/somewhere", { cookie })
      : sameSiteRequest("http://localhost:3000/somewhere", { method: "POST", cookie, body: formBody({ intent: "nothing-known" }) });
  return routeOutcome(() => mod[fn]!({ request, params, context: {} }));
}

const discovered = Object.entries(routes).flatMap(([file, mod]) =>
  (["loader", "action"] as const).filter((fn) => typeof mod[fn] === "function").map((fn) => ({ route: name(file), fn, mod })),
);

describe("the access matrix lists every loader and action", () => {
  it("finds the route modules", () => {
    expect(discovered.length).toBeGreaterThan(60);
  });
  it("every loader and action under app/routes has a row, and every row is a real loader or action", () => {
    const found = discovered.map((d) => `${d.route} ${d.fn}`).sort();
    const listed = Object.entries(ACCESS)
      .flatMap(([route, fns]) => Object.keys(fns).map((fn) => `${route} ${fn}`))
      .sort();
    expect(
      found.filter((f) => !listed.includes(f)),
      "routes missing from ACCESS",
    ).toEqual([]);
    expect(
      listed.filter((l) => !found.includes(l)),
      "rows in ACCESS for no route",
    ).toEqual([]);
  });
});

describe("who gets in, as nobody and as each role", () => {
  for (const { route, fn, mod } of discovered) {
    const rule = ACCESS[route]?.[fn];
    if (!rule) continue;
    const label = typeof rule === "string" ? rule : rule.join(" or ");
    it(`${route} ${fn}: ${label}`, async () => {
      const outcomes = new Map<Who, Outcome>();
      for (const who of ["nobody", ...ROLES] as Who[]) outcomes.set(who, await call(mod, fn, who));
      const seen = [...outcomes].map(([who, o]) => `${who}: ${describeOutcome(o)}`).join(", ");
      const nobody = outcomes.get("nobody")!;
      if (rule === "signs-out") {
        for (const [who, o] of outcomes) expect(sentToSignIn(o), `${who} ends at sign-in (${seen})`).toBe(true);
        return;
      }
      if (rule === "public" || rule === "token") {
        for (const [who, o] of outcomes) {
          expect(sentToSignIn(o) || refused(o), `${who} should get in (${seen})`).toBe(false);
          expect(o.status, `no server error for ${who} (${seen})`).toBeLessThan(500);
        }
        if (rule === "token") {
          for (const role of ROLES) expect(outcomes.get(role)!.status, `${role} gets what nobody gets (${seen})`).toBe(nobody.status);
        }
        return;
      }
      expect(sentToSignIn(nobody), `nobody is sent to sign in (${seen})`).toBe(true);
      const admitted = rule === "signed-in" ? ROLES : rule;
      for (const role of ROLES) {
        const o = outcomes.get(role)!;
        expect(o.status, `no server error for ${role} (${seen})`).toBeLessThan(500);
        if (admitted.includes(role)) expect(sentToSignIn(o) || refused(o), `${role} should get in (${seen})`).toBe(false);
        else expect(o.status, `${role} should get 403 (${seen})`).toBe(403);
      }
    });
  }
});

describe("each role's home", () => {
  for (const role of ROLES) {
    it(`the home page sends someone with the ${role} role to a page of the app that lets them in`, async () => {
      const home = await call(routes["/app/routes/_index.tsx"]!, "loader", role);
      expect(home.status).toBe(302);
      const path = (home.location ?? "").slice(1).replaceAll("/", ".");
      const page = discovered.find((d) => d.fn === "loader" && (d.route === path || d.route === `${path}._index`));
      expect(page, `a page at ${home.location}`).toBeDefined();
      const there = await call(page!.mod, "loader", role);
      expect(sentToSignIn(there) || refused(there) || there.status >= 500, `${role} at ${home.location}: ${describeOutcome(there)}`).toBe(false);
    });
  }
});

describe("other organisations' and other trainers' records, asked for by id", () => {
  const routeOf = (n: string) => routes[`/app/routes/${n}.tsx`] ?? routes[`/app/routes/${n}.ts`]!;
  const signIn = async (userId: number) => `${SESSION_COOKIE}=${(await createAuthSession(getDb(), userId, null)).token}`;

  it("a booker asking for another organisation's request or booking history gets 404, to read, edit, change or act on it", async () => {
    const db = getDb();
    const courseId = await createCourse(db);
    const mine = await createBooker(db);
    const theirs = await createBooker(db);
    const ownId = await createRequest(db, { ...mine, courseId });
    const otherId = await createRequest(db, { ...theirs, courseId });
    const cookie = await signIn(mine.booker.id);
    for (const page of ["booker.requests.$requestId", "booker.requests.$requestId_.edit"]) {
      const mod = routeOf(page);
      const get = (id: number) =>
        routeOutcome(() =>
          mod.loader!({ request: sameSiteRequest(`http://localhost:3000/booker/requests/${id}`, { cookie }), params: { requestId: String(id) }, context: {} }),
        );
      expect((await get(ownId)).status, page).toBe(200);
      expect((await get(otherId)).status, page).toBe(404);
      const posted = await routeOutcome(() =>
        mod.action!({
          request: sameSiteRequest(`http://localhost:3000/booker/requests/${otherId}`, {
            method: "POST",
            cookie,
            body: formBody({ intent: "cancel", reason: "Not ours" }),
          }),
          params: { requestId: String(otherId) },
          context: {},
        }),
      );
      expect(posted.status, `${page} action`).toBe(404);
    }
    const changed = await routeOutcome(() =>
      routeOf("booker.requests.$requestId").action!({
        request: sameSiteRequest(`http://localhost:3000/booker/requests/${otherId}`, {
          method: "POST",
          cookie,
          body: formBody({ intent: "change", message: "Not ours either" }),
        }),
        params: { requestId: String(otherId) },
        context: {},
      }),
    );
    expect(changed.status, "asking to change it").toBe(404);
    const history = (organisationId: number) =>
      routeOutcome(() =>
        routeOf("booker.bookings").loader!({
          request: sameSiteRequest(`http://localhost:3000/booker/bookings?organisation=${organisationId}`, { cookie }),
          params: {},
          context: {},
        }),
      );
    expect((await history(mine.organisationId)).status, "their own organisation's booking history").toBe(200);
    expect((await history(theirs.organisationId)).status, "another organisation's booking history").toBe(404);
    expect(await db.selectFrom("booking_changes").select("id").where("request_id", "=", otherId).execute()).toEqual([]);
    const row = await db.selectFrom("booking_requests").select("status").where("id", "=", otherId).executeTakeFirstOrThrow();
    expect(row.status).toBe("requested");
  });

  it("a booker asking for another venue's staff list, import or staff member gets 404, to read or act on it", async () => {
    const db = getDb();
    const mine = await createVenue(db);
    const theirs = await createVenue(db);
    const booker = await createUser(db, { roles: ["booker"], organisationIds: [mine] });
    const roleId = await createStaffRole(db, []);
    const member = await createStaffMember(db, { organisationId: theirs, roleId });
    const cookie = await signIn(booker.id);
    const pages: [string, Record<string, string>, Record<string, string>][] = [
      ["venues.$organisationId", { organisationId: String(theirs) }, { intent: "reinstate", memberId: String(member.id) }],
      ["venues.$organisationId_.import", { organisationId: String(theirs) }, { intent: "preview" }],
      ["venues.$organisationId_.staff.$memberId", { organisationId: String(theirs), memberId: String(member.id) }, { intent: "end", endedOn: "2025-01-02" }],
    ];
    for (const [page, p, body] of pages) {
      const mod = routeOf(page);
      const own = await routeOutcome(() =>
        mod.loader!({ request: sameSiteRequest("http://localhost:3000/x", { cookie }), params: { ...p, organisationId: String(mine) }, context: {} }),
      );
      if (!p.memberId) expect(own.status, `${page}: their own venue`).toBe(200);
      expect(
        (await routeOutcome(() => mod.loader!({ request: sameSiteRequest("http://localhost:3000/x", { cookie }), params: p, context: {} }))).status,
        page,
      ).toBe(404);
      const posted = await routeOutcome(() =>
        mod.action!({ request: sameSiteRequest("http://localhost:3000/x", { method: "POST", cookie, body: formBody(body) }), params: p, context: {} }),
      );
      expect(posted.status, `${page} action`).toBe(404);
    }
    // Their member through my venue's address: not on my list.
    const throughMine = await routeOutcome(() =>
      routeOf("venues.$organisationId_.staff.$memberId").loader!({
        request: sameSiteRequest("http://localhost:3000/x", { cookie }),
        params: { organisationId: String(mine), memberId: String(member.id) },
        context: {},
      }),
    );
    expect(throughMine.status).toBe(404);
    const row = await db.selectFrom("staff_members").select("ended_on").where("id", "=", member.id).executeTakeFirstOrThrow();
    expect(row.ended_on).toBeNull();
  });

  it("a trainer asking for another trainer's session gets 404 on its page, register, QR code and calendar file", async () => {
    const db = getDb();
    const courseId = await createCourse(db);
    const onIt = await createTrainer(db, { qualifiedFor: [courseId] });
    const stranger = await createTrainer(db, { qualifiedFor: [courseId] });
    const sessionId = await insertSession(db, { courseId, startsAt: addMs(now(), 3 * DAY), trainerIds: [onIt.id] });
    const p = { sessionId: String(sessionId) };
    for (const page of ["trainer.sessions.$sessionId", "trainer.sessions.$sessionId_.register", "trainer.sessions.$sessionId_.qr", "sessions.$sessionId"]) {
      const mod = routeOf(page);
      const get = async (userId: number) =>
        routeOutcome(async () =>
          mod.loader!({
            request: sameSiteRequest(`http://localhost:3000/x/${sessionId}?format=ics`, { cookie: await signIn(userId) }),
            params: p,
            context: {},
          }),
        );
      expect((await get(onIt.id)).status, `${page}: the trainer on it`).not.toBe(404);
      expect((await get(stranger.id)).status, `${page}: another trainer`).toBe(404);
      if (mod.action) {
        const posted = await routeOutcome(async () =>
          mod.action!({
            request: sameSiteRequest(`http://localhost:3000/x/${sessionId}`, {
              method: "POST",
              cookie: await signIn(stranger.id),
              body: formBody({ intent: "accept" }),
            }),
            params: p,
            context: {},
          }),
        );
        expect(posted.status, `${page} action: another trainer`).toBe(404);
      }
    }
    const trainers = await db.selectFrom("session_trainers").select("trainer_id").where("session_id", "=", sessionId).execute();
    expect(trainers.map((t) => t.trainer_id)).toEqual([onIt.id]);
  });
});
