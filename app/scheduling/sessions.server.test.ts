import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "#app/db.server.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { HOUR, MINUTE, addMs } from "#app/utils/time.ts";
import { raceAcross, separateConnections } from "#tests/connections.ts";
import {
  createRequest,
  createRoom,
  createTrainer,
  insertSession,
  london,
  londonDate,
  outboxTo,
  pinClock,
  schedulingWorld,
} from "#tests/scheduling-fixtures.ts";
import { assignTrainer } from "./assignments.server.ts";
import { cancelSession, declineRequest, rescheduleSession, scheduleRequest } from "./sessions.server.ts";
import { expectViolation } from "#tests/rule-violations.ts";

const db = () => getDb();

// Wednesday 2 October 2030, 09:00 London: every session below is in the weeks after it.
beforeEach(() => pinClock("2030-10-02T08:00:00Z"));

async function world(opts: { groupSize?: number } = {}) {
  const w = await schedulingWorld(db());
  const request = (groupSize = opts.groupSize ?? 20) =>
    createRequest(db(), { booker: w.booker, organisationId: w.organisationId, courseId: w.courseId, groupSize });
  return { ...w, request };
}

const sessionsInRoom = (roomId: number) => db().selectFrom("sessions").select(["id", "booking_request_id"]).where("room_id", "=", roomId).execute();

describe("scheduleRequest: rooms", () => {
  it("refuses a room already booked at an overlapping time, saying it is booked", async () => {
    const w = await world();
    const roomId = await createRoom(db(), { name: "Seminar Room 2" });
    const start = london(londonDate(1, 2), "10:00");
    await scheduleRequest(db(), w.coordinator, { requestId: await w.request(), startsAt: start, location: { roomId } });

    const second = await w.request();
    // Starts half-way through the first session (90 minutes long).
    await expectViolation(
      scheduleRequest(db(), w.coordinator, { requestId: second, startsAt: addMs(start, 45 * MINUTE), location: { roomId } }),
      "roomId",
      /Seminar Room 2 is already booked/,
    );
    // Nothing was written for the refused one.
    expect(await sessionsInRoom(roomId)).toHaveLength(1);
    const row = await db().selectFrom("booking_requests").select(["status", "session_id"]).where("id", "=", second).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: "requested", session_id: null });
  });

  it("refuses a room smaller than the group, saying how many it holds", async () => {
    const w = await world({ groupSize: 25 });
    const roomId = await createRoom(db(), { name: "Small Room", capacity: 12 });
    await expectViolation(
      scheduleRequest(db(), w.coordinator, { requestId: await w.request(), startsAt: london(londonDate(1, 3), "10:00"), location: { roomId } }),
      "roomId",
      /holds 12; the group is 25/,
    );
    expect(await sessionsInRoom(roomId)).toHaveLength(0);
  });

  it("allows back-to-back sessions in one room (one ends as the next starts)", async () => {
    const w = await world();
    const roomId = await createRoom(db());
    const first = london(londonDate(1, 4), "10:00");
    await scheduleRequest(db(), w.coordinator, { requestId: await w.request(), startsAt: first, location: { roomId } });
    await scheduleRequest(db(), w.coordinator, { requestId: await w.request(), startsAt: addMs(first, 90 * MINUTE), location: { roomId } });
    // And one that ends exactly when the first starts.
    await scheduleRequest(db(), w.coordinator, { requestId: await w.request(), startsAt: addMs(first, -90 * MINUTE), location: { roomId } });
    expect(await sessionsInRoom(roomId)).toHaveLength(3);
  });

  it("does not count a cancelled session against the room", async () => {
    const w = await world();
    const roomId = await createRoom(db());
    const start = london(londonDate(1, 5), "14:00");
    const first = await scheduleRequest(db(), w.coordinator, { requestId: await w.request(), startsAt: start, location: { roomId } });
    await cancelSession(db(), w.coordinator, first, "The department closed for the day");
    await scheduleRequest(db(), w.coordinator, { requestId: await w.request(), startsAt: start, location: { roomId } });
    expect(await sessionsInRoom(roomId)).toHaveLength(2);
  });

  it("refuses a time in the past and a request that is already scheduled", async () => {
    const w = await world();
    const roomId = await createRoom(db());
    const requestId = await w.request();
    await expectViolation(
      scheduleRequest(db(), w.coordinator, { requestId, startsAt: addMs(new Date("2030-10-02T08:00:00Z"), -HOUR), location: { roomId } }),
      "startsAt",
      /future/,
    );
    await scheduleRequest(db(), w.coordinator, { requestId, startsAt: london(londonDate(2, 1), "10:00"), location: { roomId } });
    await expectViolation(
      scheduleRequest(db(), w.coordinator, { requestId, startsAt: london(londonDate(2, 2), "10:00"), location: { address: "1 High Street" } }),
      "form",
      /already scheduled/,
    );
  });

  it("gives a group that asked for a campus room a room, and an address only where the group asked for its own premises", async () => {
    const w = await world();
    await expectViolation(
      scheduleRequest(db(), w.coordinator, {
        requestId: await w.request(),
        startsAt: london(londonDate(2, 1), "10:00"),
        location: { address: "1 High Street" },
      }),
      "roomId",
      /Choose a room/,
    );
    const ownPremises = await createRequest(db(), { booker: w.booker, organisationId: w.organisationId, courseId: w.courseId, address: "Boat House" });
    await expectViolation(
      scheduleRequest(db(), w.coordinator, { requestId: ownPremises, startsAt: london(londonDate(2, 1), "10:00"), location: { address: "  " } }),
      "address",
      /Give the address/,
    );
    const id = await scheduleRequest(db(), w.coordinator, {
      requestId: ownPremises,
      startsAt: london(londonDate(2, 1), "10:00"),
      location: { address: "Boat House" },
    });
    await expectViolation(
      rescheduleSession(db(), w.coordinator, { sessionId: id, startsAt: london(londonDate(2, 2), "10:00"), location: { address: "" }, reason: "Flooded" }),
      "address",
      /Give the address/,
    );
  });

  it("moves a session within its own room without clashing with itself, but not onto another booking", async () => {
    const w = await world();
    const roomId = await createRoom(db(), { name: "Lecture Theatre" });
    const start = london(londonDate(2, 3), "10:00");
    const id = await scheduleRequest(db(), w.coordinator, { requestId: await w.request(), startsAt: start, location: { roomId } });
    // Half an hour later overlaps only its own old slot.
    await rescheduleSession(db(), w.coordinator, { sessionId: id, startsAt: addMs(start, 30 * MINUTE), location: { roomId }, reason: "Later start" });
    const other = await scheduleRequest(db(), w.coordinator, {
      requestId: await w.request(),
      startsAt: london(londonDate(2, 3), "14:00"),
      location: { roomId },
    });
    expect(other).toBeGreaterThan(0);
    await expectViolation(
      rescheduleSession(db(), w.coordinator, { sessionId: id, startsAt: london(londonDate(2, 3), "13:30"), location: { roomId }, reason: "Afternoon" }),
      "roomId",
      /Lecture Theatre is already booked/,
    );
  });

  it("refuses to move a session to a time its trainer is already delivering elsewhere", async () => {
    const w = await world();
    const trainer = await createTrainer(db(), { qualifiedFor: [w.courseId] });
    const id = await scheduleRequest(db(), w.coordinator, {
      requestId: await w.request(),
      startsAt: london(londonDate(2, 4), "10:00"),
      location: { roomId: await createRoom(db()) },
    });
    await assignTrainer(db(), w.coordinator, { sessionId: id, trainerId: trainer.id });
    await insertSession(db(), { courseId: w.courseId, startsAt: london(londonDate(2, 4), "14:00"), trainerIds: [trainer.id] });
    await expectViolation(
      rescheduleSession(db(), w.coordinator, {
        sessionId: id,
        startsAt: london(londonDate(2, 4), "14:30"),
        location: { roomId: await createRoom(db()) },
        reason: "Afternoon",
      }),
      "startsAt",
      new RegExp(`${trainer.name}: Already delivering`),
    );
    const row = await db().selectFrom("sessions").select(["starts_at", "ical_sequence"]).where("id", "=", id).executeTakeFirstOrThrow();
    expect(row.starts_at).toBe(london(londonDate(2, 4), "10:00").toISOString());
  });

  it("declines a request with the reason and tells the booker", async () => {
    const w = await world();
    const requestId = await w.request();
    await declineRequest(db(), w.coordinator, requestId, "No trainer is free that week");
    const row = await db().selectFrom("booking_requests").select(["status", "status_reason"]).where("id", "=", requestId).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: "declined", status_reason: "No trainer is free that week" });
    const [mail] = await outboxTo(db(), w.booker.email, "booking-request-declined");
    expect(mail?.text).toContain("No trainer is free that week");
    await expectViolation(declineRequest(db(), w.coordinator, requestId, "Again"), "form", /already declined/);
  });
});

describe("scheduleRequest: two coordinators at once", () => {
  it("in two app processes: exactly one wins the room, the other gets a clear rule violation", async () => {
    const w = await world();
    const roomId = await createRoom(db(), { name: `Contested ${Math.random().toString(36).slice(2)}` });
    const [a, b] = [await w.request(), await w.request()];
    const startsAt = london(londonDate(3, 2), "11:00");
    const other = await schedulingWorld(db());
    const results = await raceAcross(separateConnections(2), [
      (conn) => scheduleRequest(conn, w.coordinator, { requestId: a, startsAt, location: { roomId } }),
      (conn) => scheduleRequest(conn, other.coordinator, { requestId: b, startsAt, location: { roomId } }),
    ]);
    const fulfilled = results.filter((r) => r.status === "fulfilled");
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    const err = rejected[0]!.reason as RuleViolation;
    expect(err).toBeInstanceOf(RuleViolation);
    expect(err.field).toBe("roomId");
    expect(err.message).toMatch(/is already booked then/);
    expect(err.message).not.toMatch(/SQLITE|database is locked|constraint/i);

    const rows = await sessionsInRoom(roomId);
    expect(rows).toHaveLength(1);
    // The loser's request is untouched: still waiting, no session.
    const loser = rows[0]!.booking_request_id === a ? b : a;
    const loserRow = await db().selectFrom("booking_requests").select(["status", "session_id"]).where("id", "=", loser).executeTakeFirstOrThrow();
    expect(loserRow).toEqual({ status: "requested", session_id: null });
  });
});
