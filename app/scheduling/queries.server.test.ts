import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "#app/db.server.ts";
import { createCourse } from "#tests/factories.ts";
import { createRequest, createRoom, createTrainer, insertSession, london, londonDate, pinClock, schedulingWorld } from "#tests/scheduling-fixtures.ts";
import { calendarGrid } from "./calendar-grid.ts";
import { calendarPeriod, MONTH_CELL_LIMIT, requestScheduling } from "./queries.server.ts";

const db = () => getDb();

// Wednesday 2 October 2030, 09:00 London.
beforeEach(() => pinClock("2030-10-02T08:00:00Z"));

describe("the calendar's period", () => {
  it("shows a month's first sessions each day, says how many more, and counts only the month's own", async () => {
    const courseId = await createCourse(db(), { durationMinutes: 60 });
    const trainer = await createTrainer(db(), { qualifiedFor: [courseId] });
    // Four on Tuesday 11 March 2031, added out of order; the 10:00 one has its trainer.
    const busy = [];
    for (const time of ["14:00", "09:00", "16:00"]) busy.push(await insertSession(db(), { courseId, startsAt: london("2031-03-11", time) }));
    const staffed = await insertSession(db(), { courseId, startsAt: london("2031-03-11", "10:00"), trainerIds: [trainer.id] });
    // One on 31 March, and one cancelled, which the month leaves out unless asked.
    await insertSession(db(), { courseId, startsAt: london("2031-03-31", "09:00"), trainerIds: [trainer.id] });
    await insertSession(db(), { courseId, startsAt: london("2031-03-12", "09:00"), status: "cancelled" });
    // Monday 24 February is in March's grid, which starts that week, but not in March.
    await insertSession(db(), { courseId, startsAt: london("2031-02-24", "09:00") });

    const period = await calendarPeriod(db(), calendarGrid("month", "2031-03-11"));
    const onThe11th = period.monthEntries.filter((e) => e.startsAt.startsWith("2031-03-11"));
    expect(MONTH_CELL_LIMIT).toBe(2);
    // The first two by time, whatever order they were added in.
    expect(onThe11th.map((e) => e.id)).toEqual([busy[1], staffed]);
    expect(onThe11th.map((e) => e.short)).toEqual([true, false]);
    expect(period.more).toEqual({ "2031-03-11": 2 });
    // Shown in February's last week, but counted only in March: four and one.
    expect(period.monthEntries.some((e) => e.startsAt.startsWith("2031-02-24"))).toBe(true);
    expect(period.count).toBe(5);
    expect(period.short).toBe(3);
    // A month sends what a cell shows, not whole sessions.
    expect(period.entries).toEqual([]);
    expect(Object.keys(onThe11th[0]!).sort()).toEqual(["colour", "courseName", "endsAt", "id", "organisationName", "short", "startsAt", "status"]);

    const withCancelled = await calendarPeriod(db(), calendarGrid("month", "2031-03-11"), { includeCancelled: true });
    expect(withCancelled.count).toBe(6);
    expect(withCancelled.short).toBe(3);
  });

  it("gives a week's sessions in full, with their trainers", async () => {
    const courseId = await createCourse(db(), { durationMinutes: 60 });
    const trainer = await createTrainer(db(), { qualifiedFor: [courseId] });
    const id = await insertSession(db(), { courseId, startsAt: london("2031-05-14", "11:00"), trainerIds: [trainer.id] });
    const week = await calendarPeriod(db(), calendarGrid("week", "2031-05-14"));
    expect(week.entries.map((e) => [e.id, e.trainers.map((t) => t.id)])).toEqual([[id, [trainer.id]]]);
    expect(week.monthEntries).toEqual([]);
    expect(week.more).toEqual({});
    expect(week.count).toBe(1);
    expect(week.short).toBe(0);
  });
});

describe("the room offer for a request", () => {
  it("puts the rooms meeting the request's access needs first and says what each other room lacks", async () => {
    const w = await schedulingWorld(db());
    const tag = `Offer ${Date.now()}`;
    const plain = await createRoom(db(), { name: `${tag} a plain`, capacity: 30 });
    const looped = await createRoom(db(), { name: `${tag} b looped`, capacity: 30, accessFeatures: ["hearing_loop"] });
    const requestId = await createRequest(db(), {
      booker: w.booker,
      organisationId: w.organisationId,
      courseId: w.courseId,
      groupSize: 20,
      times: [london(londonDate(2, 2), "10:00")],
      accessNeeds: ["hearing_loop"],
    });
    const offer = await requestScheduling(db(), requestId, new URLSearchParams({ slot: "1" }));
    expect(offer?.request.access_needs).toEqual(["hearing_loop"]);
    const mine = offer!.rooms.filter((r) => r.name.startsWith(tag));
    expect(mine.map((r) => [r.id, r.unmetText])).toEqual([
      [looped, null],
      [plain, "Does not meet the group's needs: no hearing loop"],
    ]);
  });
});
