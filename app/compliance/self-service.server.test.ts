import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import { getDb } from "#app/db.server.ts";
import { HOUR, MINUTE } from "#app/utils/time.ts";
import { sha256Hex } from "#app/utils/tokens.server.ts";
import { attend, createLeader, createLeaderRole, createLeaderYear, leaderCourses, leaderSession, unique } from "#tests/compliance-fixtures.ts";
import { pinClock } from "#tests/scheduling-fixtures.ts";
import { LEADER_LINK_REQUESTED, leaderByToken, requestLeaderLink } from "./self-service.server.ts";
import { rowCount } from "#tests/row-counts.ts";

let db: Kysely<Database>;
let courses: Awaited<ReturnType<typeof leaderCourses>>;
let roleId: number;
const YEAR = 2070;
const NOW = `${YEAR}-11-20T12:00:00Z`;

beforeAll(async () => {
  db = getDb();
  courses = await leaderCourses(db);
  await createLeaderYear(db, YEAR - 1);
  await createLeaderYear(db, YEAR);
  roleId = await createLeaderRole(db, [{ courseId: courses.bystander }, { courseId: courses.consent }], `Freshers' Week captain ${unique()}`);
});
beforeEach(() => pinClock(NOW));

const tokenCount = () => rowCount(db, "leader_access_tokens");
const messagesTo = (email: string) => db.selectFrom("email_messages").selectAll().where("to_address", "=", email).orderBy("id").execute();
const tokenFrom = (text: string) => /\/leaders\/access\/([A-Za-z0-9_-]+)/.exec(text)![1]!;

describe("asking for a link", () => {
  it("answers the same for an unknown address and writes nothing", async () => {
    const tokens = await tokenCount();
    const outbox = await rowCount(db, "email_messages");
    const stranger = `nobody-${unique()}@students.example.ac.uk`;
    expect(await requestLeaderLink(db, stranger)).toEqual({ message: LEADER_LINK_REQUESTED });
    expect(await requestLeaderLink(db, "not an email")).toEqual({ message: LEADER_LINK_REQUESTED });
    expect(await tokenCount()).toBe(tokens);
    expect(await rowCount(db, "email_messages")).toBe(outbox);
  });

  it("sends a leader on a current roster a link, stored only as a hash, whatever the letter case they type", async () => {
    const leader = await createLeader(db, { roleId, startYear: YEAR });
    expect(await requestLeaderLink(db, `  ${leader.email.toUpperCase()} `)).toEqual({ message: LEADER_LINK_REQUESTED });
    const [message] = await messagesTo(leader.email);
    expect(message).toMatchObject({ template: "leader-access-link", subject: "Your leader training record" });
    const token = tokenFrom(message!.text);
    const row = await db.selectFrom("leader_access_tokens").selectAll().where("person_id", "=", leader.personId).executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(sha256Hex(token));
    expect(row.token_hash).not.toContain(token);
    expect(new Date(row.expires_at).getTime() - new Date(row.created_at).getTime()).toBe(24 * HOUR);
  });

  it("sends nothing to someone whose only role has ended or who was a leader only in an earlier year", async () => {
    const ended = await createLeader(db, { roleId, startYear: YEAR, endedOn: `${YEAR}-11-01` });
    const lastYear = await createLeader(db, { roleId, startYear: YEAR - 1 });
    const tokens = await tokenCount();
    await requestLeaderLink(db, ended.email);
    await requestLeaderLink(db, lastYear.email);
    expect(await tokenCount()).toBe(tokens);
    expect(await messagesTo(ended.email)).toEqual([]);
  });

  it("sends at most three links an hour to one person, and still answers the same", async () => {
    const leader = await createLeader(db, { roleId, startYear: YEAR });
    for (let i = 0; i < 5; i++) expect(await requestLeaderLink(db, leader.email)).toEqual({ message: LEADER_LINK_REQUESTED });
    expect(await messagesTo(leader.email)).toHaveLength(3);
    pinClock(new Date(new Date(NOW).getTime() + HOUR + MINUTE));
    await requestLeaderLink(db, leader.email);
    expect(await messagesTo(leader.email)).toHaveLength(4);
  });
});

describe("opening the link", () => {
  it("shows roles, requirements, what is done and sessions to book, again and again until it expires", async () => {
    const leader = await createLeader(db, { roleId, startYear: YEAR, groupName: "Freshers' Week Captains" });
    await attend(db, await leaderSession(db, courses.bystander, `${YEAR}-09-15`, { title: "Captains' induction" }), {
      name: leader.name,
      email: leader.email.toUpperCase(),
    });
    const consent = await leaderSession(db, courses.consent, `${YEAR}-11-27`, { status: "scheduled", title: "Consent for leaders" });
    const booked = await leaderSession(db, courses.consent, `${YEAR}-11-28`, { status: "scheduled" });
    await attend(db, booked, leader, { attendance: "unknown" });
    await requestLeaderLink(db, leader.email);
    const token = tokenFrom((await messagesTo(leader.email))[0]!.text);

    const view = await leaderByToken(db, token);
    if (view.status !== "valid") throw new Error(view.status);
    expect(view.person).toEqual({ name: leader.name, email: leader.email });
    expect(view.years).toHaveLength(1);
    expect(view.years[0]).toMatchObject({
      startYear: YEAR,
      deadline: `${YEAR}-10-31`,
      status: "overdue",
      roles: [expect.objectContaining({ groupName: "Freshers' Week Captains", status: "overdue" })],
    });
    expect(view.years[0]!.requirements.map((r) => [r.courseId, r.state, r.doneOn])).toEqual(
      expect.arrayContaining([
        [courses.bystander, "met", `${YEAR}-09-15`],
        [courses.consent, "missing", null],
      ]),
    );
    expect(view.done).toEqual([{ courseName: expect.stringContaining("Active Bystander"), completedOn: `${YEAR}-09-15`, how: "Attended Captains' induction" }]);
    expect(view.booked.map((b) => b.sessionId)).toEqual([booked]);
    expect(view.sessionsToBook.map((s) => s.id)).toEqual([consent]);
    expect((await leaderByToken(db, token)).status).toBe("valid");

    pinClock(new Date(new Date(NOW).getTime() + 24 * HOUR + MINUTE));
    expect(await leaderByToken(db, token)).toEqual({ status: "expired" });
  });

  it("knows nothing of a made-up token", async () => {
    expect(await leaderByToken(db, "made-up")).toEqual({ status: "unknown" });
    expect(await leaderByToken(db, "")).toEqual({ status: "unknown" });
  });
});
