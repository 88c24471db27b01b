import ICAL from "ical.js";
import { createElement } from "react";
import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "#app/db.server.ts";
import { parseAttachments } from "#app/email/outbox.server.ts";
import { writeTransaction } from "#db/transaction.ts";
import { createUser } from "#tests/factories.ts";
import { createCoordinator, createRequest, createRoom, createTrainer, london, londonDate, pinClock, schedulingWorld } from "#tests/scheduling-fixtures.ts";
import { assignTrainer, respondToAssignment } from "./assignments.server.ts";
import { calendarSession, enqueueSessionEmail, listCoordinators } from "./notifications.server.ts";
import { getSessionDetail } from "./session-detail.server.ts";
import { cancelSession, scheduleRequest } from "./sessions.server.ts";

const db = () => getDb();

beforeEach(() => pinClock("2030-10-02T08:00:00Z"));

let rooms = 0;
async function session() {
  const w = await schedulingWorld(db());
  const roomId = await createRoom(db(), { name: `Room ${++rooms}`, building: "Diamond", accessibilityNotes: "Hearing loop" });
  const requestId = await createRequest(db(), { booker: w.booker, organisationId: w.organisationId, courseId: w.courseId, groupSize: 16 });
  const sessionId = await scheduleRequest(db(), w.coordinator, { requestId, startsAt: london(londonDate(1, 2), "10:00"), location: { roomId } });
  return { ...w, sessionId };
}

describe("calendarSession", () => {
  it("describes the session for a calendar: its UID and SEQUENCE, where, who for, only the trainers still on it", async () => {
    const s = await session();
    const [stays, declines] = [
      await createTrainer(db(), { name: "Stella Stays", qualifiedFor: [s.courseId] }),
      await createTrainer(db(), { name: "Dev Declines", qualifiedFor: [s.courseId] }),
    ];
    await assignTrainer(db(), s.coordinator, { sessionId: s.sessionId, trainerId: stays.id });
    await assignTrainer(db(), s.coordinator, { sessionId: s.sessionId, trainerId: declines.id });
    await respondToAssignment(db(), declines, { sessionId: s.sessionId, response: "decline", reason: "Away" });
    const detail = (await getSessionDetail(db(), s.sessionId))!;
    const cal = calendarSession(detail);
    expect(cal).toMatchObject({
      uid: detail.icalUid,
      sequence: detail.icalSequence,
      location: `Room ${rooms}, Diamond`,
      cancelled: false,
      startsAt: detail.startsAt,
      endsAt: detail.endsAt,
    });
    expect(cal.description).toContain("Trainers: Stella Stays");
    expect(cal.description).not.toContain("Dev Declines");
    expect(cal.description).toContain("(16 people)");
    expect(cal.description).toContain("Access: Hearing loop");
    expect(cal.description).toContain(`http://localhost:3000/sessions/${s.sessionId}`);

    await cancelSession(db(), s.coordinator, s.sessionId, "Closed");
    expect(calendarSession((await getSessionDetail(db(), s.sessionId))!).cancelled).toBe(true);
  });
});

describe("enqueueSessionEmail", () => {
  it("attaches invite.ics for REQUEST, cancel.ics for CANCEL, and nothing without a calendar method", async () => {
    const s = await session();
    const detail = (await getSessionDetail(db(), s.sessionId))!;
    const to = { email: "Someone@Example.ac.uk", name: "Someone" };
    const react = createElement("p", null, "Hello");
    const ids = await writeTransaction(db(), async (trx) => [
      await enqueueSessionEmail(trx, detail, to, { template: "t-request", subject: "Invite", react, calendar: "REQUEST" }),
      await enqueueSessionEmail(trx, detail, to, { template: "t-cancel", subject: "Cancel", react, calendar: "CANCEL" }),
      await enqueueSessionEmail(trx, detail, to, { template: "t-note", subject: "Note", react }),
    ]);
    const rows = await db().selectFrom("email_messages").selectAll().where("id", "in", ids).orderBy("id").execute();
    expect(rows.map((r) => [r.template, r.to_address, r.ordering_key])).toEqual([
      ["t-request", "someone@example.ac.uk", `session-${s.sessionId}`],
      ["t-cancel", "someone@example.ac.uk", `session-${s.sessionId}`],
      ["t-note", "someone@example.ac.uk", `session-${s.sessionId}`],
    ]);
    const [request, cancel, note] = rows.map((r) => parseAttachments(r.attachments_json));
    expect(request!.map((a) => [a.filename, a.contentType])).toEqual([["invite.ics", "text/calendar; charset=utf-8; method=REQUEST"]]);
    expect(cancel!.map((a) => [a.filename, a.contentType])).toEqual([["cancel.ics", "text/calendar; charset=utf-8; method=CANCEL"]]);
    expect(note).toEqual([]);
    expect(rows[2]!.raw_mime).not.toMatch(/text\/calendar/i);

    const attendee = new ICAL.Component(ICAL.parse(Buffer.from(request![0]!.contentBase64, "base64").toString("utf8")))
      .getFirstSubcomponent("vevent")!
      .getFirstPropertyValue("attendee");
    expect(String(attendee).toLowerCase()).toBe("mailto:someone@example.ac.uk");
  });
});

describe("listCoordinators", () => {
  it("lists active coordinators only", async () => {
    const active = await createCoordinator(db());
    const inactive = await createCoordinator(db());
    await db().updateTable("users").set({ is_active: 0 }).where("id", "=", inactive.id).execute();
    const trainer = await createUser(db(), { roles: ["trainer"] });
    const emails = (await listCoordinators(db())).map((c) => c.email);
    expect(emails).toContain(active.email);
    expect(emails).not.toContain(inactive.email);
    expect(emails).not.toContain(trainer.email);
  });
});
