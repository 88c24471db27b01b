import { it, expect } from "vitest";
import { getDb } from "#app/db.server.ts";
import { openDatabase } from "#db/connection.ts";
import { scheduleRequest } from "#app/scheduling/sessions.server.ts";
import { schedulingWorld, createRoom, createRequest, pinClock, london, londonDate } from "#tests/scheduling-fixtures.ts";

it("two connections", async () => {
  pinClock("2030-10-02T08:00:00Z");
  const db = getDb();
  const w = await schedulingWorld(db);
  const roomId = await createRoom(db);
  const r1 = await createRequest(db, { booker: w.booker, organisationId: w.organisationId, courseId: w.courseId });
  const r2 = await createRequest(db, { booker: w.booker, organisationId: w.organisationId, courseId: w.courseId });
  const db2 = openDatabase(process.env.DATABASE_PATH!);
  const start = london(londonDate(1, 2), "10:00");
  const t0 = Date.now();
  const res = await Promise.allSettled([
    scheduleRequest(db, w.coordinator, { requestId: r1, startsAt: start, location: { roomId } }),
    scheduleRequest(db2, w.coordinator, { requestId: r2, startsAt: start, location: { roomId } }),
  ]);
  console.log(Date.now() - t0, res.map((r) => r.status === "rejected" ? String(r.reason) + " " + r.reason?.constructor?.name : r.value));
  await db2.destroy();
});
