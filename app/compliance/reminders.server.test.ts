import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { getDb } from "#app/db.server.ts";
import { londonWallTimeToUtc } from "#app/utils/dates.ts";
import { DAY, HOUR } from "#app/utils/time.ts";
import { createUser } from "#tests/factories.ts";
import { attend, createLeader, createLeaderRole, createLeaderYear, leaderCourses, leaderSession, unique } from "#tests/compliance-fixtures.ts";
import { pinClock } from "#tests/scheduling-fixtures.ts";
import { nextInductionSessions, sendReminders, weeklyDigest } from "./reminders.server.ts";

let db: Kysely<Database>;
let officer: SessionUser;
let courses: Awaited<ReturnType<typeof leaderCourses>>;
beforeAll(async () => {
  db = getDb();
  officer = await createUser(db, { name: "Jordan Ellis", roles: ["officer"] });
  courses = await leaderCourses(db);
});

let nextYear = 2060;
/** Its own roster year; the clock on 20 November, after the 31 October deadline. */
async function world() {
  const year = nextYear;
  nextYear += 2;
  await createLeaderYear(db, year);
  const roleId = await createLeaderRole(db, [{ courseId: courses.bystander }]);
  pinClock(`${year}-11-20T12:00:00Z`);
  return { year, roleId };
}
beforeEach(() => pinClock(`${nextYear}-11-20T12:00:00Z`));

const messagesTo = (email: string) => db.selectFrom("email_messages").selectAll().where("to_address", "=", email).orderBy("id").execute();

describe("reminders", () => {
  it("by default go to the overdue only, are recorded, and never reach the same person twice within the interval", async () => {
    const { year, roleId } = await world();
    const overdue = await createLeader(db, { roleId, startYear: year });
    const dueSoon = await createLeader(db, { roleId, startYear: year, startedOn: `${year}-11-01` }); // due 29 November
    const due = await createLeader(db, { roleId, startYear: year, startedOn: `${year}-11-15` }); // due 13 December
    const done = await createLeader(db, { roleId, startYear: year });
    await attend(db, await leaderSession(db, courses.bystander, `${year}-10-01`), done);

    const first = await sendReminders(db, officer, year, { to: "overdue" });
    expect(first.sent.map((p) => p.personId)).toEqual([overdue.personId]);
    expect(first.skippedRecent).toEqual([]);
    for (const p of [dueSoon, due, done]) expect(await messagesTo(p.email)).toEqual([]);
    const [message] = await messagesTo(overdue.email);
    expect(message).toMatchObject({
      template: "leader-reminder",
      subject: `Overdue: your ${year}–${String((year + 1) % 100).padStart(2, "0")} leader training`,
    });
    const recorded = await db.selectFrom("leader_reminders").selectAll().where("person_id", "=", overdue.personId).execute();
    expect(recorded).toEqual([
      expect.objectContaining({ start_year: year, sent_by: officer.id, email_message_id: message!.id, sent_at: expect.stringMatching(`^${year}-11-20T12:00`) }),
    ]);

    // Six days later, whoever sends: not again.
    pinClock(`${year}-11-26T12:00:00Z`);
    const again = await sendReminders(db, null, year, { to: [overdue.personId, dueSoon.personId] });
    expect(again.sent.map((p) => p.personId)).toEqual([dueSoon.personId]);
    expect(again.skippedRecent).toEqual([expect.objectContaining({ personId: overdue.personId, lastSentAt: recorded[0]!.sent_at })]);
    expect(await messagesTo(overdue.email)).toHaveLength(1);

    // A week and a bit after the first: again.
    pinClock(`${year}-11-27T13:00:00Z`);
    expect((await sendReminders(db, officer, year, { to: "overdue" })).sent.map((p) => p.personId)).toEqual([overdue.personId]);
    expect(await messagesTo(overdue.email)).toHaveLength(2);
    // A custom interval.
    pinClock(`${year}-12-10T13:00:00Z`);
    expect((await sendReminders(db, officer, year, { to: "overdue", minIntervalDays: 30 })).skippedRecent.map((p) => p.personId)).toContain(overdue.personId);
  });

  it("to a chosen set, leaves out those with nothing to do", async () => {
    const { year, roleId } = await world();
    const due = await createLeader(db, { roleId, startYear: year, startedOn: `${year}-11-15` });
    const done = await createLeader(db, { roleId, startYear: year });
    const ended = await createLeader(db, { roleId, startYear: year, endedOn: `${year}-11-01` });
    await attend(db, await leaderSession(db, courses.bystander, `${year}-10-01`), done);
    const report = await sendReminders(db, officer, year, { to: [due.personId, done.personId, ended.personId] });
    expect(report.sent.map((p) => p.personId)).toEqual([due.personId]);
    expect(report.skippedNothingDue.map((p) => p.personId).sort()).toEqual([done.personId, ended.personId].sort());
    expect((await messagesTo(due.email))[0]!.subject).toMatch(/^Reminder: /);
  });

  it("lists the next sessions of the missing course that still take sign-ups, with their links", async () => {
    const { year, roleId } = await world();
    const leader = await createLeader(db, { roleId, startYear: year });
    const open = await leaderSession(db, courses.bystander, `${year}-11-25`, { status: "scheduled", capacity: 2, title: "Leader induction A" });
    await attend(db, open, { name: "Someone", email: `someone-${unique()}@x.example` }, { attendance: "unknown" });
    const full = await leaderSession(db, courses.bystander, `${year}-11-26`, { status: "scheduled", capacity: 1 });
    await attend(db, full, { name: "Taken", email: `taken-${unique()}@x.example` }, { attendance: "unknown" });
    const closed = await leaderSession(db, courses.bystander, `${year}-11-27`, { status: "scheduled", signupDeadline: `${year}-11-19T12:00:00.000Z` });
    const invitationOnly = await leaderSession(db, courses.bystander, `${year}-11-28`, { status: "scheduled", policy: "list" });
    const past = await leaderSession(db, courses.bystander, `${year}-11-19`, { status: "scheduled" });
    const otherCourse = await leaderSession(db, courses.consent, `${year}-11-25`, { status: "scheduled" });
    const later = await leaderSession(db, courses.bystander, `${year}-12-02`, { status: "scheduled" });

    const sessions = await nextInductionSessions(db, [courses.bystander], 3);
    expect(sessions.map((s) => s.id)).toEqual([open, later]);
    expect(sessions[0]).toMatchObject({ seatsLeft: 1, registered: 1, capacity: 2, url: `http://localhost:3000/sessions/open/${open}` });
    expect(sessions.map((s) => s.id)).not.toEqual(expect.arrayContaining([full, closed, invitationOnly, past, otherCourse]));
    expect((await nextInductionSessions(db, [courses.bystander], 1)).map((s) => s.id)).toEqual([open]);

    await sendReminders(db, officer, year, { to: [leader.personId] });
    const [message] = await messagesTo(leader.email);
    expect(message!.text).toContain(`/sessions/open/${open}`);
    expect(message!.text).toContain(`/sessions/open/${later}`);
    expect(message!.text).not.toContain(`/sessions/open/${full}`);
    expect(message!.text).toContain("1 place left");
    expect(message!.text).toContain("Active Bystander");
  });

  it("copies each group's president once, listing the members reminded", async () => {
    const { year, roleId } = await world();
    const group = `Rugby Club ${unique()}`;
    const president = await createLeader(db, { roleId, startYear: year, groupName: group, isPresident: true, name: "Ollie Grant" });
    await attend(db, await leaderSession(db, courses.bystander, `${year}-10-01`), president);
    const a = await createLeader(db, { roleId, startYear: year, groupName: group, name: "Ben Carter" });
    const b = await createLeader(db, { roleId, startYear: year, groupName: group, name: "Chen Wei" });
    const report = await sendReminders(db, officer, year, { to: [a.personId, b.personId], copyPresidents: true });
    expect(report.presidentsCopied).toBe(1);
    const copies = await messagesTo(president.email);
    expect(copies).toHaveLength(1);
    expect(copies[0]).toMatchObject({ template: "leader-reminder-group", subject: `Leader training in ${group}: 2 still to do` });
    expect(copies[0]!.text).toContain("Ben Carter");
    expect(copies[0]!.text).toContain("Chen Wei");
    // Without the option, no copy.
    pinClock(`${year}-12-20T12:00:00Z`);
    await sendReminders(db, officer, year, { to: [a.personId] });
    expect(await messagesTo(president.email)).toHaveLength(1);
  });
});

describe("the weekly digest", () => {
  it("goes to every active officer once a week, from Monday morning", async () => {
    const { year, roleId } = await world();
    await createLeader(db, { roleId, startYear: year });
    const second = await createUser(db, { roles: ["officer"] });
    const inactive = await createUser(db, { roles: ["officer"] });
    await db.updateTable("users").set({ is_active: 0 }).where("id", "=", inactive.id).execute();
    const digests = () => db.selectFrom("email_messages").select(["to_address", "subject"]).where("template", "=", "leader-digest").execute();
    const before = (await digests()).length;

    // Find the Monday of the week after 20 November, London time.
    let monday = londonWallTimeToUtc(`${year}-11-20`, "07:00");
    while (monday.getUTCDay() !== 1) monday = new Date(monday.getTime() + DAY);
    monday = londonWallTimeToUtc(monday.toISOString().slice(0, 10), "07:00");
    pinClock(monday);
    expect(await weeklyDigest(db)).toBe(0); // before 08:00
    pinClock(new Date(monday.getTime() + 2 * HOUR));
    const sent = await weeklyDigest(db);
    expect(sent).toBeGreaterThanOrEqual(2);
    const mine = (await digests()).slice(before);
    expect(mine.map((m) => m.to_address)).toEqual(expect.arrayContaining([officer.email, second.email]));
    expect(mine.map((m) => m.to_address)).not.toContain(inactive.email);
    expect(mine[0]!.subject).toMatch(/^Leader training this week: \d+% compliant, \d+ overdue$/);

    pinClock(new Date(monday.getTime() + 3 * DAY));
    expect(await weeklyDigest(db)).toBe(0);
    pinClock(new Date(monday.getTime() + 7 * DAY + 2 * HOUR));
    expect(await weeklyDigest(db)).toBe(sent);
  });
});
