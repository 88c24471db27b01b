import { createElement } from "react";
import type { ActionFunctionArgs } from "@remix-run/node";
import type { Kysely } from "kysely";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "#db/schema.ts";
import { createAuthSession, SESSION_COOKIE } from "#app/auth/session.server.ts";
import { getDb } from "#app/db.server.ts";
import * as leaderRoute from "#app/routes/officer.leaders.$personId.tsx";
import * as leaderEditRoute from "#app/routes/officer.leaders.$personId_.edit.tsx";
import * as matchesRoute from "#app/routes/officer.matches.tsx";
import * as attendeesRoute from "#app/routes/coordinator.sessions.$sessionId_.attendees.tsx";
import * as sessionRoute from "#app/routes/coordinator.sessions.$sessionId.tsx";
import * as registerRoute from "#app/routes/trainer.sessions.$sessionId_.register.tsx";
import * as trainerHome from "#app/routes/trainer._index.tsx";
import * as availabilityRoute from "#app/routes/trainer.availability.tsx";
import * as attachmentRoute from "#app/routes/coordinator.outbox.$messageId.attachments.$index.ts";
import { sendEmail } from "#app/email/outbox.server.ts";
import { addMs, DAY, MINUTE, now } from "#app/utils/time.ts";
import {
  attend,
  createLeader,
  createLeaderRole,
  createLeaderYear,
  insertCompletion,
  insertExemption,
  leaderCourses,
  leaderSession,
  unique,
} from "#tests/compliance-fixtures.ts";
import { createCourse, createUser, formBody, sameSiteRequest } from "#tests/factories.ts";
import { addTimeOffRow, createTrainer, insertSession, pinClock } from "#tests/scheduling-fixtures.ts";
import { rowCount } from "#tests/row-counts.ts";
import { routeOutcome, statusOf } from "#tests/route-outcome.ts";

/**
 * Every action that takes more than one record id, asked with ids that do not belong together: a
 * record of one leader, session or trainer sent through the page of another. Each must change
 * nothing and tell nothing about the other record.
 */

type Action = (args: ActionFunctionArgs) => Promise<unknown>;

const YEAR = 2080;
let db: Kysely<Database>;

async function cookieOf(userId: number) {
  return `${SESSION_COOKIE}=${(await createAuthSession(db, userId, null)).token}`;
}

function post(action: Action, path: string, params: Record<string, string>, cookie: string, body: Record<string, string>) {
  return routeOutcome(() => action({ request: sameSiteRequest(path, { method: "POST", cookie, body: formBody(body) }), params, context: {} }));
}

const auditCount = () => rowCount(db, "audit_events");

beforeAll(() => {
  db = getDb();
});

describe("an officer's near-miss, withdrawal and end of role, with ids that do not belong together", () => {
  let officerCookie: string;
  let leader: Awaited<ReturnType<typeof createLeader>>;
  let other: Awaited<ReturnType<typeof createLeader>>;
  let proposed: number;
  let disclosure: number;
  let theirCompletion: number;
  const when = `${YEAR}-12-01T12:00:00Z`;

  beforeEach(() => pinClock(when));
  beforeAll(async () => {
    pinClock(when);
    const officer = await createUser(db, { roles: ["officer"] });
    officerCookie = await cookieOf(officer.id);
    const courses = await leaderCourses(db);
    await createLeaderYear(db, YEAR);
    const roleId = await createLeaderRole(db, [{ courseId: courses.bystander }]);
    const name = `Noor Haddad ${unique()}`;
    leader = await createLeader(db, { roleId, startYear: YEAR, name });
    other = await createLeader(db, { roleId, startYear: YEAR });
    proposed = await attend(db, await leaderSession(db, courses.bystander, `${YEAR}-10-10`), { name, email: "noor@gmail.example" });
    disclosure = await attend(db, await leaderSession(db, courses.disclosures, `${YEAR}-10-11`), {
      name: `Confidential Attendee ${unique()}`,
      email: "confidential@gmail.example",
      studentId: "S1234567",
    });
    theirCompletion = await insertCompletion(db, { person_id: other.personId, course_id: courses.bystander, completed_on: `${YEAR}-09-01` });
  });

  it("refuses to confirm or dismiss any attendance the app did not propose for that leader, on either page, and writes nothing", async () => {
    const before = { audit: await auditCount(), completions: await db.selectFrom("leader_completions").select("id").execute() };
    const probes = [
      { personId: leader.personId, registrationId: disclosure },
      { personId: other.personId, registrationId: proposed },
      { personId: other.personId, registrationId: disclosure },
    ];
    for (const intent of ["confirm", "dismiss"]) {
      for (const p of probes) {
        const onLeaderPage = await post(leaderRoute.action as Action, `/officer/leaders/${p.personId}`, { personId: String(p.personId) }, officerCookie, {
          intent,
          registrationId: String(p.registrationId),
        });
        expect(onLeaderPage.status, `${intent} ${JSON.stringify(p)} on the leader's page`).toBe(302);
        const onMatches = await post(matchesRoute.action as Action, "/officer/matches", {}, officerCookie, {
          intent,
          personId: String(p.personId),
          registrationId: String(p.registrationId),
        });
        expect(onMatches.status, `${intent} ${JSON.stringify(p)} on the matches page`).toBe(302);
      }
    }
    expect(await auditCount()).toBe(before.audit);
    expect(await db.selectFrom("leader_completions").select("id").execute()).toEqual(before.completions);
    expect(await db.selectFrom("leader_match_dismissals").selectAll().where("person_id", "in", [leader.personId, other.personId]).execute()).toEqual([]);
    // What the leader's page shows afterwards holds nothing of the attendee asked about.
    const page = JSON.stringify(
      await leaderRoute.loader({
        request: sameSiteRequest(`/officer/leaders/${leader.personId}?year=${YEAR}`, { cookie: officerCookie }),
        params: { personId: String(leader.personId) },
        context: {},
      }),
    );
    expect(page).not.toContain("confidential@gmail.example");
    expect(page).not.toContain("S1234567");
  });

  it("refuses to withdraw another leader's record or end another leader's role from this leader's pages", async () => {
    const theirExemption = await insertExemption(db, { person_id: other.personId, start_year: YEAR, reason: "Trains others", granted_by: "VP" });
    const before = await auditCount();
    const exemptionWithdrawn = await post(
      leaderRoute.action as Action,
      `/officer/leaders/${leader.personId}`,
      { personId: String(leader.personId) },
      officerCookie,
      {
        intent: "withdraw-exemption",
        id: String(theirExemption),
        reason: "Not theirs",
      },
    );
    expect(exemptionWithdrawn.status).toBe(400);
    expect(await db.selectFrom("leader_exemptions").select("withdrawn_at").where("id", "=", theirExemption).executeTakeFirstOrThrow()).toEqual({
      withdrawn_at: null,
    });
    // An exemption for a roster year the leader holds no role in.
    await createLeaderYear(db, YEAR + 1);
    const elsewhere = await post(leaderRoute.action as Action, `/officer/leaders/${leader.personId}`, { personId: String(leader.personId) }, officerCookie, {
      intent: "exemption",
      courseId: "all",
      startYear: String(YEAR + 1),
      reason: "Not on that roster",
      grantedBy: "VP",
    });
    expect(elsewhere.status).toBe(400);
    expect(await db.selectFrom("leader_exemptions").select("id").where("person_id", "=", leader.personId).execute()).toEqual([]);
    const withdrawn = await post(leaderRoute.action as Action, `/officer/leaders/${leader.personId}`, { personId: String(leader.personId) }, officerCookie, {
      intent: "withdraw-completion",
      id: String(theirCompletion),
      reason: "Not theirs",
    });
    expect(withdrawn.status).toBe(400);
    const ended = await post(
      leaderEditRoute.action as Action,
      `/officer/leaders/${leader.personId}/edit?year=${YEAR}`,
      { personId: String(leader.personId) },
      officerCookie,
      {
        intent: "end",
        appointmentId: String(other.appointmentId),
        endedOn: `${YEAR}-11-15`,
        reason: "Not theirs",
      },
    );
    expect(ended.status).toBe(400);
    expect(await db.selectFrom("leader_completions").select("withdrawn_at").where("id", "=", theirCompletion).executeTakeFirstOrThrow()).toEqual({
      withdrawn_at: null,
    });
    expect(await db.selectFrom("leader_appointments").select("ended_on").where("id", "=", other.appointmentId).executeTakeFirstOrThrow()).toEqual({
      ended_on: null,
    });
    expect(await auditCount()).toBe(before);
  });
});

describe("sessions, registrations, trainers and time off, with ids that do not belong together", () => {
  it("a coordinator cannot cancel or promote a registration through another session's attendees page", async () => {
    const coordinator = await createUser(db, { roles: ["coordinator"] });
    const cookie = await cookieOf(coordinator.id);
    const courseId = await createCourse(db);
    const mine = await insertSession(db, { courseId, startsAt: addMs(now(), 5 * DAY) });
    const theirs = await insertSession(db, { courseId, startsAt: addMs(now(), 6 * DAY) });
    const placed = await attend(db, theirs, { name: "Held Place", email: `held-${unique()}@example.ac.uk` });
    const waiting = await attend(db, theirs, { name: "Waiting Person", email: `wait-${unique()}@example.ac.uk` }, { status: "waiting" });
    const before = await auditCount();
    const cancel = await post(attendeesRoute.action as Action, `/coordinator/sessions/${mine}/attendees`, { sessionId: String(mine) }, cookie, {
      intent: "cancel",
      registrationId: String(placed),
      reason: "Wrong page",
    });
    const promote = await post(attendeesRoute.action as Action, `/coordinator/sessions/${mine}/attendees`, { sessionId: String(mine) }, cookie, {
      intent: "promote",
      registrationId: String(waiting),
    });
    expect([cancel.status, promote.status]).toEqual([400, 400]);
    const rows = await db.selectFrom("registrations").select(["id", "status"]).where("id", "in", [placed, waiting]).orderBy("id").execute();
    expect(rows.map((r) => r.status)).toEqual(["registered", "waiting"]);
    expect(await auditCount()).toBe(before);
  });

  it("a coordinator cannot take off a session a trainer who is on another one", async () => {
    const coordinator = await createUser(db, { roles: ["coordinator"] });
    const cookie = await cookieOf(coordinator.id);
    const courseId = await createCourse(db);
    const trainer = await createTrainer(db, { qualifiedFor: [courseId] });
    const mine = await insertSession(db, { courseId, startsAt: addMs(now(), 5 * DAY) });
    const theirs = await insertSession(db, { courseId, startsAt: addMs(now(), 6 * DAY), trainerIds: [trainer.id] });
    const removed = await post(sessionRoute.action as Action, `/coordinator/sessions/${mine}`, { sessionId: String(mine) }, cookie, {
      intent: "remove",
      trainerId: String(trainer.id),
    });
    expect(removed.status).toBe(400);
    expect(await db.selectFrom("session_trainers").select("trainer_id").where("session_id", "=", theirs).execute()).toEqual([{ trainer_id: trainer.id }]);
  });

  it("a trainer cannot mark someone on another session's register through their own, nor answer for a session they are not on", async () => {
    const courseId = await createCourse(db);
    const trainer = await createTrainer(db, { qualifiedFor: [courseId] });
    const otherTrainer = await createTrainer(db, { qualifiedFor: [courseId] });
    const cookie = await cookieOf(trainer.id);
    const startsAt = addMs(now(), 10 * MINUTE);
    const mine = await insertSession(db, { courseId, startsAt, trainerIds: [trainer.id] });
    const theirs = await insertSession(db, { courseId, startsAt, trainerIds: [otherTrainer.id] });
    const stranger = await attend(db, theirs, { name: "Someone Else", email: `else-${unique()}@example.ac.uk` }, { attendance: "unknown" });
    const marked = await post(registerRoute.action as Action, `/trainer/sessions/${mine}/register`, { sessionId: String(mine) }, cookie, {
      intent: "mark",
      registrationId: String(stranger),
      present: "1",
    });
    expect(marked.status).toBeLessThan(500);
    expect((await db.selectFrom("registrations").select("attendance").where("id", "=", stranger).executeTakeFirstOrThrow()).attendance).toBe("unknown");

    await db.updateTable("session_trainers").set({ status: "assigned" }).where("session_id", "=", theirs).execute();
    for (const intent of ["accept", "decline"]) {
      const answered = await post(trainerHome.action as Action, "/trainer", {}, cookie, { intent, sessionId: String(theirs), reason: "Not mine" });
      expect(answered.status, intent).toBeLessThan(500);
    }
    expect(await db.selectFrom("session_trainers").select(["trainer_id", "status"]).where("session_id", "=", theirs).execute()).toEqual([
      { trainer_id: otherTrainer.id, status: "assigned" },
    ]);
  });

  it("an attachment is asked for by the message it belongs to: an index beyond that message's own is a 404", async () => {
    const coordinator = await createUser(db, { roles: ["coordinator"] });
    const cookie = await cookieOf(coordinator.id);
    const [withOne, withNone] = [
      await sendEmail(db, {
        template: "test",
        to: { email: `a-${unique()}@example.ac.uk` },
        subject: "One file",
        react: createElement("p", null, "Hi"),
        attachments: [{ filename: "a.ics", contentType: "text/calendar", content: "BEGIN:VCALENDAR" }],
      }),
      await sendEmail(db, { template: "test", to: { email: `b-${unique()}@example.ac.uk` }, subject: "No file", react: createElement("p", null, "Hi") }),
    ];
    const ask = (messageId: number, index: number) =>
      statusOf(() =>
        attachmentRoute.loader({
          request: sameSiteRequest(`/coordinator/outbox/${messageId}/attachments/${index}`, { cookie }),
          params: { messageId: String(messageId), index: String(index) },
          context: {},
        }),
      );
    expect(await ask(withOne, 0)).toBe(200);
    expect(await ask(withNone, 0)).toBe(404);
    expect(await ask(withOne, 1)).toBe(404);
  });

  it("a trainer cannot remove another trainer's time off", async () => {
    const trainer = await createTrainer(db);
    const otherTrainer = await createTrainer(db);
    await addTimeOffRow(db, otherTrainer.id, addMs(now(), DAY), addMs(now(), 2 * DAY), "Private reason");
    const row = await db.selectFrom("trainer_time_off").select("id").where("trainer_id", "=", otherTrainer.id).executeTakeFirstOrThrow();
    await post(availabilityRoute.action as Action, "/trainer/availability", {}, await cookieOf(trainer.id), {
      intent: "remove-time-off",
      timeOffId: String(row.id),
    });
    expect(await db.selectFrom("trainer_time_off").select("id").where("id", "=", row.id).execute()).toEqual([row]);
  });
});
