import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import type { Kysely } from "kysely";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "#db/schema.ts";
import { createAuthSession, SESSION_COOKIE, type SessionUser } from "#app/auth/session.server.ts";
import { chooseLeaderYear, findGroup, groupNamesForYear, previewReminders, recentReminders } from "#app/compliance/dashboard.server.ts";
import { sendReminders } from "#app/compliance/reminders.server.ts";
import { getDb } from "#app/db.server.ts";
import * as groupRoute from "#app/routes/officer.groups.$group.tsx";
import * as officerHome from "#app/routes/officer._index.tsx";
import * as dashboardRoute from "#app/routes/officer.leaders._index.tsx";
import * as exportRoute from "#app/routes/officer.leaders.export.ts";
import * as matchesRoute from "#app/routes/officer.matches.tsx";
import * as remindersRoute from "#app/routes/officer.reminders.tsx";
import { parseCsv } from "#app/utils/csv.ts";
import { createOrganisation, createUser, formBody, sameSiteRequest } from "#tests/factories.ts";
import { attend, createLeader, createLeaderRole, createLeaderYear, leaderCourses, leaderSession, unique, type TestLeader } from "#tests/compliance-fixtures.ts";
import { pinClock } from "#tests/scheduling-fixtures.ts";

const YEAR = 2070;
const NOW = `${YEAR}-11-20T12:00:00Z`; // after the 31 October deadline
let db: Kysely<Database>;
let officer: SessionUser;
let cookie: string;
let rugby: TestLeader[];
let venue: { name: string; staff: TestLeader[] };
let clubRole: number;

beforeEach(() => pinClock(NOW));
beforeAll(async () => {
  pinClock(NOW);
  db = getDb();
  officer = await createUser(db, { name: "Jordan Ellis", roles: ["officer"] });
  cookie = `${SESSION_COOKIE}=${(await createAuthSession(db, officer.id, null)).token}`;
  const courses = await leaderCourses(db);
  await createLeaderYear(db, YEAR - 1);
  await createLeaderYear(db, YEAR);
  clubRole = await createLeaderRole(db, [{ courseId: courses.bystander }], "Sports club committee");
  const staffRole = await createLeaderRole(db, [{ courseId: courses.bystander }], "Venue staff");
  const session = await leaderSession(db, courses.bystander, `${YEAR}-10-01`);

  // Rugby Club: a trained president, two overdue, one who stepped down.
  rugby = [];
  for (const [i, name] of ["Nadia Quinn", "Ella Morris", "Orla Usman", "Tom Quit"].entries()) {
    rugby.push(
      await createLeader(db, {
        roleId: clubRole,
        startYear: YEAR,
        name,
        groupName: "Rugby Club",
        isPresident: i === 0,
        endedOn: i === 3 ? `${YEAR}-10-20` : null,
      }),
    );
  }
  await attend(db, session, rugby[0]!);

  // A partner venue's staff: three of four trained.
  const venueName = `Moles ${unique()}`;
  const orgId = await createOrganisation(db, { name: venueName, kind: "partner_venue" });
  venue = { name: venueName, staff: [] };
  for (let i = 0; i < 4; i++) {
    const person = await createLeader(db, { roleId: staffRole, startYear: YEAR, groupName: venueName });
    await db.updateTable("leader_appointments").set({ organisation_id: orgId }).where("id", "=", person.appointmentId).execute();
    if (i < 3) await attend(db, session, person);
    venue.staff.push(person);
  }

  // Enough overdue buddies to need three pages.
  const buddyRole = await createLeaderRole(db, [{ courseId: courses.bystander }], "Buddy");
  const at = new Date().toISOString();
  const people = await db
    .insertInto("leader_people")
    .values(
      Array.from({ length: 230 }, (_, i) => ({
        name: `Buddy ${String(i).padStart(3, "0")}`,
        email: `buddy${i}.${unique()}@students.example.ac.uk`,
        student_id: null,
        created_at: at,
        updated_at: at,
      })),
    )
    .returning("id")
    .execute();
  await db
    .insertInto("leader_appointments")
    .values(
      people.map((p, i) => ({
        person_id: p.id,
        start_year: YEAR,
        role_id: buddyRole,
        group_name: `Buddies ${i % 3}`,
        organisation_id: null,
        is_president: 0 as const,
        started_on: `${YEAR}-08-01`,
        ended_on: null,
        end_reason: null,
        created_at: at,
        updated_at: at,
      })),
    )
    .execute();
});

type Args = { request: Request; params: Record<string, string>; context: object };
const call = async (fn: unknown, url: string, init: { params?: Record<string, string>; body?: URLSearchParams } = {}) => {
  const request = sameSiteRequest(url, { cookie, ...(init.body ? { method: "POST", body: init.body } : {}) });
  try {
    return await (fn as (a: Args) => Promise<unknown>)({ request, params: init.params ?? {}, context: {} });
  } catch (thrown) {
    return thrown;
  }
};
const load = <T>(mod: { loader: (a: LoaderFunctionArgs) => Promise<T> }, url: string, params: Record<string, string> = {}) =>
  call(mod.loader, url, { params }) as Promise<T>;
const act = (mod: { action: (a: ActionFunctionArgs) => Promise<unknown> }, url: string, body: Record<string, string | string[]>) =>
  call(mod.action, url, { body: formBody(body) });

describe("the officer's home", () => {
  it("is the leaders dashboard", async () => {
    const res = await officerHome.loader({ request: sameSiteRequest("/officer", { cookie }), params: {}, context: {} });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/officer/leaders");
  });
});

describe("the dashboard", () => {
  it("shows the chosen year's counts, and one page of rows at a time", async () => {
    const page1 = await load(dashboardRoute, `/officer/leaders?year=${YEAR}`);
    if (page1.state !== "ready") throw new Error("no roster");
    expect(page1.year.startYear).toBe(YEAR);
    expect(page1.page).toMatchObject({ total: 238, pages: 10, current: 1, first: 1, last: 25 });
    expect(page1.rows).toHaveLength(25);
    expect(page1.summary.overall).toMatchObject({ total: 238, compliant: 4, overdue: 233, ended: 1 });
    expect(page1.byGroup).toMatchObject({ total: 5, mostBehind: false });
    expect(page1.byGroup.shown.find((g) => g.groupName === "Rugby Club")).toMatchObject({ total: 4, compliant: 1, overdue: 2, ended: 1 });
    expect(page1.groups).toEqual(expect.arrayContaining(["Rugby Club", "Buddies 0", venue.name]));
    // Worst first.
    expect(page1.rows[0]!.status).toBe("overdue");

    const page10 = await load(dashboardRoute, `/officer/leaders?year=${YEAR}&page=10`);
    if (page10.state !== "ready") throw new Error("no roster");
    expect(page10.rows).toHaveLength(13);
    expect(page10.page).toMatchObject({ current: 10, first: 226, last: 238 });
    // Past the end: the last page.
    const page99 = await load(dashboardRoute, `/officer/leaders?year=${YEAR}&page=99`);
    expect(page99.state === "ready" && page99.page.current).toBe(10);
  });

  it("filters by status, group, role and search, and sorts by group", async () => {
    const byStatus = await load(dashboardRoute, `/officer/leaders?year=${YEAR}&status=compliant&sort=name`);
    if (byStatus.state !== "ready") throw new Error("no roster");
    expect(byStatus.rows.map((r) => r.name)).toEqual(
      [rugby[0]!, ...venue.staff.slice(0, 3)].map((p) => p.name).sort((a, b) => a.localeCompare(b, "en-GB", { sensitivity: "base" })),
    );
    // The status narrows the rows, not the counts.
    expect(byStatus.summary.overall.total).toBe(238);

    const group = await load(dashboardRoute, `/officer/leaders?year=${YEAR}&group=Rugby+Club`);
    expect(group.state === "ready" && group.rows.map((r) => r.name)).toEqual(["Ella Morris", "Orla Usman", "Nadia Quinn", "Tom Quit"]);
    expect(group.state === "ready" && group.summary.overall).toMatchObject({ total: 4, compliant: 1, overdue: 2, ended: 1, percentCompliant: 33.3 });

    const role = await load(dashboardRoute, `/officer/leaders?year=${YEAR}&role=${clubRole}&q=orla`);
    expect(role.state === "ready" && role.rows.map((r) => r.name)).toEqual(["Orla Usman"]);

    const sorted = await load(dashboardRoute, `/officer/leaders?year=${YEAR}&sort=group`);
    if (sorted.state !== "ready") throw new Error("no roster");
    const groups = sorted.rows.map((r) => r.groupName);
    expect(groups[0]).toBe("Buddies 0");
    expect([...groups].sort((a, b) => a.localeCompare(b, "en-GB", { sensitivity: "base" }))).toEqual(groups);
  });

  it("falls back to the current year when the year asked for is not set up", async () => {
    expect((await chooseLeaderYear(db, 1999)).year?.startYear).toBe(YEAR);
    expect((await chooseLeaderYear(db, YEAR - 1)).year?.startYear).toBe(YEAR - 1);
    expect((await chooseLeaderYear(db)).years.map((y) => y.startYear)).toEqual(expect.arrayContaining([YEAR, YEAR - 1]));
    expect(await groupNamesForYear(db, YEAR - 1)).toEqual([]);
  });
});

describe("the CSV", () => {
  it("is the current view, every page of it, named for the year and filters", async () => {
    const all = (await load(exportRoute, `/officer/leaders/export?year=${YEAR}&page=2`)) as Response;
    expect(all.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(all.headers.get("Content-Disposition")).toBe(`attachment; filename="leader-training-${YEAR}-71.csv"`);
    expect(parseCsv(await all.text())).toHaveLength(239);

    const res = (await load(exportRoute, `/officer/leaders/export?year=${YEAR}&group=Rugby+Club&status=overdue`)) as Response;
    expect(res.headers.get("Content-Disposition")).toBe(`attachment; filename="leader-training-${YEAR}-71-rugby-club-overdue.csv"`);
    const [header, ...rows] = parseCsv(await res.text());
    expect(header!.slice(0, 5)).toEqual(["Name", "Email", "Student ID", "Role", "Group"]);
    expect(rows.map((r) => [r[0], r[4], r[8], r[9]])).toEqual([
      ["Ella Morris", "Rugby Club", "Overdue", `${YEAR}-10-31`],
      ["Orla Usman", "Rugby Club", "Overdue", `${YEAR}-10-31`],
    ]);
    for (const r of rows) expect(r[10]).toMatch(/^Active Bystander /);
  });
});

describe("a group's page", () => {
  it("says where a committee stands, members worst first", async () => {
    const page = await load(groupRoute, `/officer/groups/Rugby%20Club?year=${YEAR}`, { group: "Rugby Club" });
    expect(page.statusLine).toBe("1 of 3 committee members trained: 33%");
    expect(page.presidents).toEqual(["Nadia Quinn"]);
    expect(page.members.map((m) => [m.name, m.status])).toEqual([
      ["Ella Morris", "overdue"],
      ["Orla Usman", "overdue"],
      ["Nadia Quinn", "compliant"],
      ["Tom Quit", "ended"],
    ]);
    expect(page.stillToDo.sort()).toEqual([rugby[1]!.personId, rugby[2]!.personId].sort());
  });

  it("shows a large group 50 members a page, with its figures, and who is still to do, for all of them", async () => {
    const url = `/officer/groups/Buddies%200?year=${YEAR}`;
    const first = await load(groupRoute, url, { group: "Buddies 0" });
    expect(first.page).toMatchObject({ total: 77, pages: 2, current: 1, first: 1, last: 50 });
    expect(first.members).toHaveLength(50);
    expect(first.counts).toMatchObject({ total: 77, overdue: 77 });
    expect(first.stillToDo).toHaveLength(77);
    const second = await load(groupRoute, `${url}&page=2`, { group: "Buddies 0" });
    expect(second.members).toHaveLength(27);
    expect(new Set([...first.members, ...second.members].map((m) => m.personId)).size).toBe(77);
  });

  it("gives a partner venue its trained-staff share", async () => {
    const page = await load(groupRoute, `/officer/groups/x?year=${YEAR}`, { group: venue.name });
    expect(page.kind).toBe("venue");
    expect(page.statusLine).toBe("Trained staff: 3 of 4 (75%)");
    expect(page.organisation).toMatchObject({ name: venue.name, kind: "partner_venue" });
    expect(await findGroup(db, venue.name)).toMatchObject({ years: [YEAR] });
  });

  it("is a 404 for a group on no roster", async () => {
    const res = (await load(groupRoute, "/officer/groups/Nope", { group: "Nope" })) as unknown as { init: { status: number } };
    expect(res.init.status).toBe(404);
  });
});

describe("sending reminders", () => {
  it("shows who would get one before sending, sends to exactly those, and not again within the week", async () => {
    const review = (await act(remindersRoute, "/officer/reminders", { year: String(YEAR), to: "group", group: "Rugby Club", intent: "review" })) as {
      step: string;
      counts: Record<string, number>;
      toSend: { name: string }[];
      choice: { to: string; group: string };
    };
    expect(review.step).toBe("confirm");
    expect(review.counts).toEqual({ toSend: 2, skippedRecent: 0, skippedNothingDue: 0 });
    expect(review.toSend.map((p) => p.name)).toEqual(["Ella Morris", "Orla Usman"]);
    expect(review.choice).toMatchObject({ to: "group", group: "Rugby Club" });

    const sent = (await act(remindersRoute, "/officer/reminders", {
      year: String(YEAR),
      to: "group",
      group: "Rugby Club",
      copyPresidents: "on",
      intent: "send",
    })) as Response;
    expect(sent.status).toBe(302);
    expect(sent.headers.get("Location")).toBe(`/officer/reminders?year=${YEAR}`);
    expect(sent.headers.get("Set-Cookie")).toContain("neverok_flash");
    const messages = await db.selectFrom("email_messages").select(["to_address", "template"]).where("template", "like", "leader-reminder%").execute();
    expect(
      messages
        .filter((m) => m.template === "leader-reminder")
        .map((m) => m.to_address)
        .sort(),
    ).toEqual([rugby[1]!.email, rugby[2]!.email].sort());
    expect(messages.filter((m) => m.template === "leader-reminder-group").map((m) => m.to_address)).toEqual([rugby[0]!.email]);

    // The chosen: one reminded a moment ago, one trained.
    const again = (await act(remindersRoute, "/officer/reminders", {
      year: String(YEAR),
      to: "chosen",
      personId: [String(rugby[1]!.personId), String(rugby[0]!.personId), String(rugby[1]!.personId)],
      intent: "review",
    })) as { counts: Record<string, number>; skippedRecent: { name: string }[]; skippedNothingDue: { name: string }[] };
    expect(again.counts).toEqual({ toSend: 0, skippedRecent: 1, skippedNothingDue: 1 });
    expect(again.skippedRecent.map((p) => p.name)).toEqual(["Ella Morris"]);
    expect(again.skippedNothingDue.map((p) => p.name)).toEqual(["Nadia Quinn"]);

    const page = await load(remindersRoute, `/officer/reminders?year=${YEAR}`);
    if (page.state !== "ready") throw new Error("no roster");
    expect(page.history.total).toBe(2);
    expect(page.history.items.map((h) => [h.name, h.sentByName])).toEqual(
      expect.arrayContaining([
        ["Ella Morris", "Jordan Ellis"],
        ["Orla Usman", "Jordan Ellis"],
      ]),
    );
    expect(page.overdue).toBe(233);
  });

  it("refuses a group with nobody to remind, and an empty choice, beside the field", async () => {
    const group = (await act(remindersRoute, "/officer/reminders", { year: String(YEAR), to: "group", group: "Nowhere", intent: "review" })) as {
      data: { step: string; result: { error: Record<string, string[]> } };
      init: { status: number };
    };
    expect(group.init.status).toBe(400);
    expect(group.data.result.error.group).toEqual([`Nobody in Nowhere has training to do in ${YEAR}–71`]);
    const nobody = (await act(remindersRoute, "/officer/reminders", { year: String(YEAR), to: "chosen", intent: "review" })) as typeof group;
    expect(nobody.data.result.error.to?.[0]).toMatch(/^Nobody was chosen/);
    const noYear = (await act(remindersRoute, "/officer/reminders", { year: "2099", to: "overdue", intent: "send" })) as typeof group;
    expect(noYear.data.result.error.year).toEqual(["There is no roster for that year"]);
  });

  it("previews the same people that sending reaches", async () => {
    const preview = await previewReminders(db, YEAR, { to: "overdue" });
    // The buddies and the venue's one untrained member; the two just reminded are left out.
    expect(preview.toSend).toHaveLength(231);
    expect(preview.skippedRecent.map((p) => p.name).sort()).toEqual(["Ella Morris", "Orla Usman"]);
    const result = await sendReminders(db, officer, YEAR, { to: "overdue" });
    expect(result.sent.map((p) => p.personId).sort()).toEqual(preview.toSend.map((p) => p.personId).sort());
    expect((await recentReminders(db, YEAR, 5)).total).toBe(233);
  });
});

describe("possible matches", () => {
  type MatchesPage = {
    data: { misses: { personId: number; registrationId: number; personName: string }[]; page: { total: number; pages: number; current: number } };
  };

  it("come 25 a page, most recent first, and confirming one goes back to the same page", async () => {
    const courses = await db.selectFrom("leader_role_requirements").select("course_id").where("role_id", "=", clubRole).executeTakeFirstOrThrow();
    // Thirty buddies on a register under their names, with addresses nobody on the roster has.
    const buddies = await db.selectFrom("leader_people").select(["id", "name"]).where("name", "like", "Buddy %").orderBy("name").limit(30).execute();
    const sessions = [await leaderSession(db, courses.course_id, `${YEAR}-10-10`), await leaderSession(db, courses.course_id, `${YEAR}-10-12`)];
    for (const [i, b] of buddies.entries()) await attend(db, sessions[i % 2]!, { name: b.name, email: `someone.else.${unique()}@mail.example` });

    const first = (await load(matchesRoute, `/officer/matches?year=${YEAR}`)) as unknown as MatchesPage;
    expect(first.data.page).toMatchObject({ total: 30, pages: 2, current: 1 });
    expect(first.data.misses).toHaveLength(25);
    const second = (await load(matchesRoute, `/officer/matches?year=${YEAR}&page=2`)) as unknown as MatchesPage;
    expect(second.data.misses).toHaveLength(5);
    const all = [...first.data.misses, ...second.data.misses];
    expect(new Set(all.map((m) => m.personId))).toEqual(new Set(buddies.map((b) => b.id)));
    // The later session first.
    expect(new Set(first.data.misses.slice(0, 15).map((m) => m.personId))).toEqual(new Set(buddies.filter((_, i) => i % 2 === 1).map((b) => b.id)));

    const miss = second.data.misses[0]!;
    const res = (await act(matchesRoute, `/officer/matches?year=${YEAR}&page=2`, {
      intent: "dismiss",
      personId: String(miss.personId),
      registrationId: String(miss.registrationId),
    })) as Response;
    expect(res.headers.get("Location")).toBe(`/officer/matches?year=${YEAR}&page=2`);
    const after = (await load(matchesRoute, `/officer/matches?year=${YEAR}&page=2`)) as unknown as MatchesPage;
    expect(after.data.page).toMatchObject({ total: 29, current: 2 });
    expect(after.data.misses.map((m) => m.registrationId)).not.toContain(miss.registrationId);
    // Past the end: the last page.
    expect(((await load(matchesRoute, `/officer/matches?year=${YEAR}&page=9`)) as unknown as MatchesPage).data.page.current).toBe(2);
  });
});
