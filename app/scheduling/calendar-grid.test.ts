import { describe, expect, it } from "vitest";
import { formatMonth, londonDayRange, londonWallTimeToUtc } from "#app/utils/dates.ts";
import { calendarGrid, calendarHref, groupByLondonDay, parseCalendarQuery, type GridDay } from "./calendar-grid.ts";

const HOUR = 3_600_000;
const at = (date: string, time: string) => londonWallTimeToUtc(date, time).toISOString();

/** Every day of a grid is a whole London day and the days follow each other without a gap. */
function expectWholeConsecutiveDays(days: GridDay[], start: Date, end: Date) {
  expect(londonDayRange(days[0]!.date).start).toEqual(start);
  expect(londonDayRange(days.at(-1)!.date).end).toEqual(end);
  for (let i = 0; i < days.length; i++) {
    expect(days[i]!.weekday).toBe((i % 7) + 1);
    if (i > 0) expect(londonDayRange(days[i - 1]!.date).end).toEqual(londonDayRange(days[i]!.date).start);
  }
}

describe("the week grid", () => {
  it("runs Monday to Sunday, whatever day it is anchored on", () => {
    const grid = calendarGrid("week", "2025-10-16");
    expect(grid.days.map((d) => d.date)).toEqual(["2025-10-13", "2025-10-14", "2025-10-15", "2025-10-16", "2025-10-17", "2025-10-18", "2025-10-19"]);
    expect(grid.days.every((d) => d.inPeriod)).toBe(true);
    expect(grid.previous).toBe("2025-10-06");
    expect(grid.next).toBe("2025-10-20");
    expect(calendarGrid("week", "2025-10-19").days[0]!.date).toBe("2025-10-13");
  });

  it("covers whole London days in the week the clocks go back (26 October 2025)", () => {
    const grid = calendarGrid("week", "2025-10-26");
    expect(grid.periodFirst).toBe("2025-10-20");
    expect(grid.periodLast).toBe("2025-10-26");
    expect(grid.start.toISOString()).toBe("2025-10-19T23:00:00.000Z"); // Monday 00:00 BST
    expect(grid.end.toISOString()).toBe("2025-10-27T00:00:00.000Z"); // Monday 00:00 GMT
    expect(grid.end.getTime() - grid.start.getTime()).toBe((7 * 24 + 1) * HOUR);
    expectWholeConsecutiveDays(grid.days, grid.start, grid.end);
    expect(grid.next).toBe("2025-10-27");
  });

  it("covers whole London days in the week the clocks go forward (29 March 2026)", () => {
    const grid = calendarGrid("week", "2026-03-25");
    expect(grid.periodFirst).toBe("2026-03-23");
    expect(grid.start.toISOString()).toBe("2026-03-23T00:00:00.000Z"); // Monday 00:00 GMT
    expect(grid.end.toISOString()).toBe("2026-03-29T23:00:00.000Z"); // Monday 00:00 BST
    expect(grid.end.getTime() - grid.start.getTime()).toBe((7 * 24 - 1) * HOUR);
    expectWholeConsecutiveDays(grid.days, grid.start, grid.end);
  });

  it("groups a session at 10:00 London on Monday 27 October 2025 on the 27th, after the change", () => {
    const grid = calendarGrid("week", "2025-10-27");
    expect(grid.start.toISOString()).toBe("2025-10-27T00:00:00.000Z");
    const monday = { id: 1, startsAt: at("2025-10-27", "10:00") };
    expect(monday.startsAt).toBe("2025-10-27T10:00:00.000Z");
    const early = { id: 2, startsAt: at("2025-10-27", "00:30") };
    const sunday = { id: 3, startsAt: at("2025-10-26", "23:30") }; // 23:30Z: still Sunday in GMT
    const grouped = groupByLondonDay([monday, early, sunday], grid.days);
    expect(grouped.get("2025-10-27")!.map((e) => e.id)).toEqual([2, 1]);
    expect([...grouped.keys()]).toHaveLength(7);
    expect([...grouped.values()].flat().map((e) => e.id)).not.toContain(3);

    const before = groupByLondonDay([monday, early, sunday], calendarGrid("week", "2025-10-26").days);
    expect(before.get("2025-10-26")!.map((e) => e.id)).toEqual([3]);
  });

  it("groups by the London day, not the UTC day, late in the evening in summer", () => {
    const grid = calendarGrid("week", "2025-10-14");
    // 23:30 UTC on the 14th is 00:30 on the 15th in London (BST).
    const grouped = groupByLondonDay([{ startsAt: "2025-10-14T23:30:00.000Z" }, { startsAt: "2025-10-14T22:30:00.000Z" }], grid.days);
    expect(grouped.get("2025-10-15")).toHaveLength(1);
    expect(grouped.get("2025-10-14")).toHaveLength(1);
  });

  it("puts a session that began before the grid on its first day", () => {
    const grid = calendarGrid("week", "2025-10-27");
    const grouped = groupByLondonDay(
      [
        { startsAt: at("2025-10-26", "23:00"), endsAt: at("2025-10-27", "01:00") },
        { startsAt: at("2025-10-26", "21:00"), endsAt: at("2025-10-26", "23:00") },
      ],
      grid.days,
    );
    expect(grouped.get("2025-10-27")).toHaveLength(1);
    expect([...grouped.values()].flat()).toHaveLength(1);
  });
});

describe("the month grid", () => {
  it("pads October 2025 to whole weeks, Monday 29 September to Sunday 2 November", () => {
    const grid = calendarGrid("month", "2025-10-27");
    expect(grid.periodFirst).toBe("2025-10-01");
    expect(grid.periodLast).toBe("2025-10-31");
    expect(grid.days).toHaveLength(35);
    expect(grid.days[0]!.date).toBe("2025-09-29");
    expect(grid.days.at(-1)!.date).toBe("2025-11-02");
    expect(grid.days.filter((d) => d.inPeriod)).toHaveLength(31);
    expect(grid.days[0]!.inPeriod).toBe(false);
    expect(grid.days[2]!).toEqual({ date: "2025-10-01", weekday: 3, inPeriod: true });
    expect(grid.start.toISOString()).toBe("2025-09-28T23:00:00.000Z");
    expect(grid.end.toISOString()).toBe("2025-11-03T00:00:00.000Z");
    expectWholeConsecutiveDays(grid.days, grid.start, grid.end);
    expect(grid.previous).toBe("2025-09-01");
    expect(grid.next).toBe("2025-11-01");
  });

  it("groups the Monday-after-the-change session on the 27th in the month view too", () => {
    const grid = calendarGrid("month", "2025-10-01");
    const grouped = groupByLondonDay([{ startsAt: at("2025-10-27", "10:00") }, { startsAt: at("2025-10-25", "10:00") }], grid.days);
    expect(grouped.get("2025-10-27")).toHaveLength(1);
    expect(grouped.get("2025-10-25")).toHaveLength(1);
    expect(grouped.get("2025-10-26")).toHaveLength(0);
  });

  it("pads March 2026 (starting on a Sunday) to six whole weeks across the clock change", () => {
    const grid = calendarGrid("month", "2026-03-15");
    expect(grid.days).toHaveLength(42);
    expect(grid.days[0]!.date).toBe("2026-02-23");
    expect(grid.days.at(-1)!.date).toBe("2026-04-05");
    expect(grid.start.toISOString()).toBe("2026-02-23T00:00:00.000Z");
    expect(grid.end.toISOString()).toBe("2026-04-05T23:00:00.000Z");
    expectWholeConsecutiveDays(grid.days, grid.start, grid.end);
    const grouped = groupByLondonDay([{ startsAt: at("2026-03-30", "10:00") }, { startsAt: at("2026-03-29", "00:30") }], grid.days);
    expect(grouped.get("2026-03-30")).toHaveLength(1);
    expect(grouped.get("2026-03-29")).toHaveLength(1);
  });

  it("names the month of the London date, not the UTC one", () => {
    expect(formatMonth(londonWallTimeToUtc("2025-10-01", "12:00"))).toBe("October 2025");
    expect(formatMonth("2025-08-31T23:30:00.000Z")).toBe("September 2025"); // 00:30 BST
    expect(formatMonth("2025-10-31T23:30:00.000Z")).toBe("October 2025"); // 23:30 GMT
  });

  it("moves across year ends", () => {
    expect(calendarGrid("month", "2025-12-10").next).toBe("2026-01-01");
    expect(calendarGrid("month", "2026-01-10").previous).toBe("2025-12-01");
    expect(calendarGrid("week", "2025-12-31").days.map((d) => d.date)).toContain("2026-01-04");
  });
});

describe("the calendar's query string", () => {
  const today = "2025-10-27";
  const parse = (qs: string) => parseCalendarQuery(new URLSearchParams(qs), today);

  it("reads the view, date and filters", () => {
    expect(parse("view=month&date=2026-03-29&course=2&trainer=5&organisation=7&cancelled=1")).toEqual({
      view: "month",
      date: "2026-03-29",
      courseId: 2,
      trainerId: 5,
      organisationId: 7,
      includeCancelled: true,
    });
  });

  it("falls back to the week view, today and no filter for anything it cannot read", () => {
    expect(parse("view=year&date=2025-02-30&course=abc&trainer=-1&organisation=")).toEqual({
      view: "week",
      date: today,
      courseId: undefined,
      trainerId: undefined,
      organisationId: undefined,
      includeCancelled: false,
    });
    expect(parse("date=not-a-date")).toMatchObject({ view: "week", date: today });
    expect(parse("")).toMatchObject({ view: "week", date: today, includeCancelled: false });
  });

  it("writes links that keep the filters and leave out what is unset", () => {
    const query = parse("view=week&date=2025-10-27&trainer=5");
    expect(calendarHref(query, { date: "2025-11-03" })).toBe("/coordinator/calendar?view=week&date=2025-11-03&trainer=5");
    expect(calendarHref(query, { view: "month" })).toBe("/coordinator/calendar?view=month&date=2025-10-27&trainer=5");
  });
});
