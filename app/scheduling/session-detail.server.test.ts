import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "#app/db.server.ts";
import { createRequest, createRoom, createTrainer, london, londonDate, pinClock, schedulingWorld } from "#tests/scheduling-fixtures.ts";
import { assignTrainer, respondToAssignment } from "./assignments.server.ts";
import { activeTrainers, getSessionDetail, getSessionDetails, sessionWhere } from "./session-detail.server.ts";
import { scheduleRequest } from "./sessions.server.ts";

const db = () => getDb();

beforeEach(() => pinClock("2030-10-02T08:00:00Z"));

describe("getSessionDetails", () => {
  it("gives each session with its course, room, request, booker and trainers, in the order asked", async () => {
    const w = await schedulingWorld(db(), { durationMinutes: 120 });
    const roomId = await createRoom(db(), {
      name: "Room 101",
      building: "Hicks Building",
      accessibilityNotes: "Lift by the main door",
      accessFeatures: ["hearing_loop", "step_free"],
    });
    const requestId = await createRequest(db(), {
      booker: w.booker,
      organisationId: w.organisationId,
      courseId: w.courseId,
      groupSize: 24,
      accessNeeds: ["hearing_loop"],
    });
    const first = await scheduleRequest(db(), w.coordinator, { requestId, startsAt: london(londonDate(1, 2), "10:00"), location: { roomId } });
    const second = await scheduleRequest(db(), w.coordinator, {
      requestId: await createRequest(db(), {
        booker: w.booker,
        organisationId: w.organisationId,
        courseId: w.courseId,
        address: "Rugby Club, Playing Fields Road",
      }),
      startsAt: london(londonDate(1, 3), "10:00"),
      location: { address: "Rugby Club, Playing Fields Road" },
    });
    const [keeps, leaves] = [await createTrainer(db(), { qualifiedFor: [w.courseId] }), await createTrainer(db(), { qualifiedFor: [w.courseId] })];
    await assignTrainer(db(), w.coordinator, { sessionId: first, trainerId: keeps.id });
    await assignTrainer(db(), w.coordinator, { sessionId: first, trainerId: leaves.id });
    await respondToAssignment(db(), leaves, { sessionId: first, response: "decline", reason: "Away" });

    const details = await getSessionDetails(db(), [second, 999_999, first]);
    expect(details.map((d) => d.id)).toEqual([second, first]);
    const d = details[1]!;
    expect(d).toMatchObject({
      status: "scheduled",
      startsAt: london(londonDate(1, 2), "10:00").toISOString(),
      endsAt: london(londonDate(1, 2), "12:00").toISOString(),
      durationMinutes: 120,
      capacity: 24,
      // What the room offers and what the group needs, ticked and typed, in one line each for the pages and emails.
      room: { id: roomId, name: "Room 101", building: "Hicks Building", accessibilityNotes: "Step-free access, hearing loop. Lift by the main door" },
      address: null,
      request: { id: requestId, groupSize: 24, accessibilityNeeds: "Hearing loop" },
      booker: { id: w.booker.id, email: w.booker.email },
      organisation: { id: w.organisationId },
    });
    expect(d.trainers.map((t) => [t.id, t.status, t.declineReason])).toEqual([
      [keeps.id, "assigned", null],
      [leaves.id, "declined", "Away"],
    ]);
    expect(activeTrainers(d).map((t) => t.id)).toEqual([keeps.id]);
    expect(sessionWhere(d)).toBe("Room 101, Hicks Building");
    expect(sessionWhere(details[0]!)).toBe("Rugby Club, Playing Fields Road");
    expect(sessionWhere({ room: null, address: null })).toBe("To be confirmed");

    expect(await getSessionDetails(db(), [])).toEqual([]);
    expect(await getSessionDetail(db(), 999_999)).toBeNull();
  });
});
