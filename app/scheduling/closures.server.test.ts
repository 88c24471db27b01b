import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createBookingRequest, RequestRuleViolations } from "#app/bookings/requests.server.ts";
import type { BookingRequestInput } from "#app/bookings/schemas.ts";
import { getDb } from "#app/db.server.ts";
import { createOpenSession } from "#app/signup/open-sessions.server.ts";
import { createCourse } from "#tests/factories.ts";
import { expectViolation } from "#tests/rule-violations.ts";
import { createRequest, insertSession, london, openSessionInput, pinClock, schedulingWorld } from "#tests/scheduling-fixtures.ts";
import {
  addClosurePeriod,
  bankHolidaysOf,
  ClosureCalendar,
  closureCalendar,
  closureMessage,
  listClosurePeriods,
  removeClosurePeriod,
  sessionTimeProblem,
} from "./closures.server.ts";
import { rescheduleSession, scheduleRequest } from "./sessions.server.ts";

const db = () => getDb();

// Wednesday 2 October 2030, 09:00 London. Christmas Day 2030 is a Wednesday; the closure below runs 24 December to 1 January.
beforeEach(() => pinClock("2030-10-02T08:00:00Z"));

const CHRISTMAS_CLOSURE = { name: "Christmas closure", first: "2030-12-24", last: "2031-01-01" };

async function clearClosures() {
  await db().deleteFrom("settings").where("key", "=", "closures").execute();
}
afterEach(clearClosures);

describe("bank holidays of England and Wales", () => {
  it("are computed for any year, Easter and the substitute days included", () => {
    const names = (year: number) => Object.fromEntries(bankHolidaysOf(year));
    // Boxing Day 2026 is a Saturday: the Monday after is the substitute.
    expect(names(2026)).toMatchObject({ "2026-12-25": "Christmas Day", "2026-12-26": "Boxing Day", "2026-12-28": "Boxing Day (substitute day)" });
    // Christmas Day 2027 is a Saturday and Boxing Day a Sunday: both move.
    expect(names(2027)).toMatchObject({ "2027-12-27": "Christmas Day (substitute day)", "2027-12-28": "Boxing Day (substitute day)" });
    // Easter moves every year.
    expect(names(2025)).toMatchObject({ "2025-04-18": "Good Friday", "2025-04-21": "Easter Monday" });
    expect(names(2032)).toMatchObject({ "2032-03-26": "Good Friday", "2032-03-29": "Easter Monday" });
    expect(names(2038)).toMatchObject({ "2038-04-23": "Good Friday", "2038-04-26": "Easter Monday", "2038-08-30": "Summer bank holiday" });
    // New Year's Day on a Sunday: Monday 2 January is off.
    expect(names(2023)).toMatchObject({ "2023-01-02": "New Year's Day (substitute day)" });
    // Eight in an ordinary year, and no observances such as Mother's Day.
    expect(bankHolidaysOf(2030).size).toBe(8);
    expect(Object.values(names(2026))).not.toContain("Mother's Day");
  });

  it("say which holiday it is and that the university is closed", () => {
    const calendar = new ClosureCalendar([]);
    expect(closureMessage(calendar.on("2026-12-25")!)).toBe("25 December 2026 is Christmas Day, a bank holiday: the university is closed");
    expect(closureMessage(calendar.on("2026-12-28")!)).toBe("28 December 2026 is Boxing Day (substitute day), a bank holiday: the university is closed");
    expect(calendar.on("2026-12-29")).toBeNull();
    expect(calendar.on("2026-12-24")).toBeNull();
  });
});

describe("closure periods", () => {
  it("close every day from the first to the last, and say which period", () => {
    const calendar = new ClosureCalendar([{ id: "x", ...CHRISTMAS_CLOSURE }]);
    expect(closureMessage(calendar.on("2030-12-24")!)).toBe(
      "24 December 2030 falls in the Christmas closure (24 December 2030 – 1 January 2031): the university is closed",
    );
    expect(calendar.on("2030-12-31")?.name).toBe("Christmas closure");
    expect(calendar.on("2031-01-01")?.kind).toBe("bank-holiday");
    expect(calendar.on("2030-12-23")).toBeNull();
    expect(calendar.on("2031-01-02")).toBeNull();
    // Both ends are closed days.
    const readingWeek = new ClosureCalendar([{ id: "y", name: "Reading week", first: "2030-10-14", last: "2030-10-18" }]);
    expect(["2030-10-13", "2030-10-14", "2030-10-18", "2030-10-19"].map((d) => readingWeek.on(d)?.name ?? null)).toEqual([
      null,
      "Reading week",
      "Reading week",
      null,
    ]);
    expect(calendar.between("2030-12-20", "2031-01-05").map((d) => d.date)).toEqual([
      "2030-12-24",
      "2030-12-25",
      "2030-12-26",
      "2030-12-27",
      "2030-12-28",
      "2030-12-29",
      "2030-12-30",
      "2030-12-31",
      "2031-01-01",
    ]);
    expect(calendar.upcoming("2030-12-01", 1)).toEqual([
      { name: "Christmas closure", when: "24 December 2030 – 1 January 2031" },
      { name: "Christmas Day", when: "25 December 2030" },
      { name: "Boxing Day", when: "26 December 2030" },
      { name: "New Year's Day", when: "1 January 2031" },
    ]);
  });

  it("are added and removed by the coordinator, each change in the audit log", async () => {
    const w = await schedulingWorld(db());
    const period = await addClosurePeriod(db(), w.coordinator, CHRISTMAS_CLOSURE);
    expect(await listClosurePeriods(db())).toEqual([{ id: period.id, ...CHRISTMAS_CLOSURE }]);
    await expectViolation(addClosurePeriod(db(), w.coordinator, CHRISTMAS_CLOSURE), "name", /already on the list/);
    await expectViolation(addClosurePeriod(db(), w.coordinator, { name: "Backwards", first: "2031-01-05", last: "2031-01-04" }), "last", /on or after/);
    await expectViolation(addClosurePeriod(db(), w.coordinator, { name: "Decade", first: "2031-01-01", last: "2041-01-01" }), "last", /at most a year/);
    await expectViolation(addClosurePeriod(db(), w.coordinator, { name: "Leap", first: "2031-02-29", last: "2031-03-01" }), "first", /does not exist/);
    // Only the coordinator keeps the list.
    await expectViolation(addClosurePeriod(db(), w.booker, { name: "Booker's holiday", first: "2031-03-03", last: "2031-03-07" }), "forbidden", /coordinator/);
    await expectViolation(removeClosurePeriod(db(), w.booker, period.id), "forbidden", /coordinator/);
    await removeClosurePeriod(db(), w.coordinator, period.id);
    expect(await listClosurePeriods(db())).toEqual([]);
    await expectViolation(removeClosurePeriod(db(), w.coordinator, period.id), "form", /no longer on the list/);
    const audit = await db().selectFrom("audit_events").select(["action", "summary"]).where("actor_user_id", "=", w.coordinator.id).orderBy("id").execute();
    expect(audit).toEqual([
      { action: "settings.closure_added", summary: expect.stringMatching(/added the closure "Christmas closure": 24 December 2030 – 1 January 2031/) },
      { action: "settings.closure_removed", summary: expect.stringMatching(/removed the closure "Christmas closure"/) },
    ]);
  });
});

describe("a session time", () => {
  it("is refused in the past, beyond two years ahead and on a closure day", () => {
    const calendar = new ClosureCalendar([{ id: "x", ...CHRISTMAS_CLOSURE }]);
    const slot = (date: string) => [london(date, "10:00"), london(date, "11:30")] as const;
    expect(sessionTimeProblem(calendar, ...slot("2030-10-01"))).toBe("Choose a time in the future");
    expect(sessionTimeProblem(calendar, ...slot("2032-10-04"))).toMatch(/up to 2 years ahead, by 2 October 2032/);
    expect(sessionTimeProblem(calendar, ...slot("2032-10-01"))).toBeNull();
    expect(sessionTimeProblem(calendar, ...slot("2030-12-27"))).toMatch(/falls in the Christmas closure/);
    expect(sessionTimeProblem(calendar, ...slot("2031-01-02"))).toBeNull();
    // An evening session that runs past midnight into a bank holiday.
    expect(sessionTimeProblem(calendar, london("2030-12-23", "23:00"), london("2030-12-24", "00:30"))).toMatch(/^24 December 2030/);
  });
});

describe("every way of booking or moving a session refuses a closure day", () => {
  it("a booking request's preferred date, beside that date", async () => {
    const w = await schedulingWorld(db());
    const input: BookingRequestInput = {
      organisationId: w.organisationId,
      courseId: w.courseId,
      groupSize: 12,
      audience: "students",
      date1: "2030-12-25",
      time1: "10:00",
      date2: "2030-10-16",
      time2: "10:00",
      date3: undefined,
      time3: undefined,
      locationKind: "own_premises",
      address: "The clubhouse",
      accessNeeds: [],
      accessibilityNeeds: null,
      notes: null,
    };
    const err = await createBookingRequest(db(), w.booker, input).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RequestRuleViolations);
    expect((err as RequestRuleViolations).fieldErrors).toEqual({ date1: ["25 December 2030 is Christmas Day, a bank holiday: the university is closed"] });
    await addClosurePeriod(db(), w.coordinator, { name: "Reading week", first: "2030-10-14", last: "2030-10-18" });
    const inPeriod = await createBookingRequest(db(), w.booker, { ...input, date1: "2030-10-09" }).catch((e: unknown) => e);
    expect((inPeriod as RequestRuleViolations).fieldErrors).toEqual({ date2: [expect.stringMatching(/^16 October 2030 falls in the Reading week/)] });
    expect(await db().selectFrom("booking_requests").select("id").where("organisation_id", "=", w.organisationId).execute()).toEqual([]);
  });

  it("scheduling a request, opening a session and moving one", async () => {
    const w = await schedulingWorld(db());
    await addClosurePeriod(db(), w.coordinator, CHRISTMAS_CLOSURE);
    const requestId = await createRequest(db(), { booker: w.booker, organisationId: w.organisationId, courseId: w.courseId, address: "The clubhouse" });
    await expectViolation(
      scheduleRequest(db(), w.coordinator, { requestId, startsAt: london("2030-12-30", "10:00"), location: { address: "The clubhouse" } }),
      "startsAt",
      /30 December 2030 falls in the Christmas closure/,
    );
    await expectViolation(createOpenSession(db(), w.coordinator, openSessionInput(w.courseId, { date: "2030-12-26" })), "date", /Boxing Day, a bank holiday/);
    const sessionId = await insertSession(db(), { courseId: w.courseId, startsAt: london("2030-12-18", "10:00"), address: "The clubhouse" });
    await expectViolation(
      rescheduleSession(db(), w.coordinator, { sessionId, startsAt: london("2030-12-24", "14:00"), location: { address: "The clubhouse" }, reason: "Moved" }),
      "startsAt",
      /24 December 2030 falls in the Christmas closure/,
    );
    const session = await db().selectFrom("sessions").select(["starts_at"]).where("id", "=", sessionId).executeTakeFirstOrThrow();
    expect(session.starts_at).toBe(london("2030-12-18", "10:00").toISOString());
    // Once the closure is removed, the same days open again (Christmas Day stays a bank holiday).
    await removeClosurePeriod(db(), w.coordinator, (await listClosurePeriods(db()))[0]!.id);
    expect((await closureCalendar(db())).on("2030-12-30")).toBeNull();
    await scheduleRequest(db(), w.coordinator, { requestId, startsAt: london("2030-12-30", "10:00"), location: { address: "The clubhouse" } });
  });
});

describe("capacity is bounded by the course", () => {
  it("an open session offers no more places than the course takes, said beside the places", async () => {
    const w = await schedulingWorld(db());
    const courseId = await createCourse(db(), { name: "Consent for twenty", maxGroupSize: 20 });
    await expectViolation(
      createOpenSession(db(), w.coordinator, openSessionInput(courseId, { capacity: 100 })),
      "capacity",
      /^Consent for twenty takes at most 20 people: offer 20 places or fewer$/,
    );
    await expectViolation(createOpenSession(db(), w.coordinator, openSessionInput(courseId, { capacity: 21 })), "capacity", /at most 20/);
    expect(await db().selectFrom("sessions").select("id").where("course_id", "=", courseId).execute()).toEqual([]);
    const id = await createOpenSession(db(), w.coordinator, openSessionInput(courseId, { capacity: 20 }));
    expect(await db().selectFrom("sessions").select("capacity").where("id", "=", id).executeTakeFirstOrThrow()).toEqual({ capacity: 20 });
  });

  it("an open session's sign-up deadline cannot have passed already", async () => {
    const w = await schedulingWorld(db());
    await expectViolation(
      createOpenSession(db(), w.coordinator, openSessionInput(w.courseId, { deadlineDate: "2030-10-01", deadlineTime: "12:00" })),
      "deadlineDate",
      /has passed/,
    );
  });

  it("a request is not scheduled for a group bigger than the course now takes", async () => {
    const w = await schedulingWorld(db());
    const requestId = await createRequest(db(), { booker: w.booker, organisationId: w.organisationId, courseId: w.courseId, groupSize: 40, address: "Hall" });
    await db().updateTable("courses").set({ max_group_size: 25 }).where("id", "=", w.courseId).execute();
    await expectViolation(
      scheduleRequest(db(), w.coordinator, { requestId, startsAt: london("2030-10-16", "10:00"), location: { address: "Hall" } }),
      "form",
      /takes at most 25 people and this group is 40/,
    );
  });
});
