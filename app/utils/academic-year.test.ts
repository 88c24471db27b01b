import { describe, expect, it } from "vitest";
import { academicYearOf, londonWeekday, londonWeekOf, termOf } from "./academic-year.ts";
import { londonWallTimeToUtc } from "./dates.ts";

const iso = (d: Date) => d.toISOString();
const HOUR = 3_600_000;

describe("academicYearOf", () => {
  it("turns over at midnight London time on 1 August, not midnight UTC", () => {
    const lastEvening = londonWallTimeToUtc("2025-07-31", "23:30");
    const firstMorning = londonWallTimeToUtc("2025-08-01", "00:30");
    // In summer London is an hour ahead: both are on 31 July in UTC.
    expect(iso(lastEvening)).toBe("2025-07-31T22:30:00.000Z");
    expect(iso(firstMorning)).toBe("2025-07-31T23:30:00.000Z");

    const before = academicYearOf(lastEvening);
    const after = academicYearOf(firstMorning);
    expect(before.label).toBe("2024–25");
    expect(after.label).toBe("2025–26");
    expect(iso(after.start)).toBe("2025-07-31T23:00:00.000Z");
    expect(iso(after.end)).toBe("2026-07-31T23:00:00.000Z");
    expect(before.end).toEqual(after.start);
  });

  it("puts the whole year in one period, from August to July", () => {
    for (const [date, label] of [
      ["2025-08-01", "2025–26"],
      ["2025-12-31", "2025–26"],
      ["2026-01-01", "2025–26"],
      ["2026-07-31", "2025–26"],
      ["2099-09-01", "2099–00"],
    ] as const) {
      expect(academicYearOf(londonWallTimeToUtc(date, "12:00")).label, date).toBe(label);
    }
  });
});

describe("termOf", () => {
  it("has autumn August–December, spring January–March, summer April–July, each starting at London midnight", () => {
    const autumn = termOf(londonWallTimeToUtc("2025-10-14", "14:00"));
    expect(autumn.label).toBe("Autumn 2025");
    expect(iso(autumn.start)).toBe("2025-07-31T23:00:00.000Z"); // 1 Aug 00:00 BST
    expect(iso(autumn.end)).toBe("2026-01-01T00:00:00.000Z"); // 1 Jan 00:00 GMT

    const spring = termOf(londonWallTimeToUtc("2026-02-10", "09:00"));
    expect(spring.label).toBe("Spring 2026");
    expect(spring.start).toEqual(autumn.end);
    expect(iso(spring.end)).toBe("2026-03-31T23:00:00.000Z"); // 1 Apr 00:00 BST

    const summer = termOf(londonWallTimeToUtc("2026-06-01", "09:00"));
    expect(summer.label).toBe("Summer 2026");
    expect(summer.start).toEqual(spring.end);
    expect(iso(summer.end)).toBe("2026-07-31T23:00:00.000Z");
  });

  it("puts the last minute of a term in it and the first minute of the next in the next", () => {
    const cases: [string, string, string][] = [
      ["2025-12-31", "23:59", "Autumn 2025"],
      ["2026-01-01", "00:00", "Spring 2026"],
      ["2026-03-31", "23:59", "Spring 2026"],
      ["2026-04-01", "00:00", "Summer 2026"],
      ["2026-07-31", "23:59", "Summer 2026"],
      ["2026-08-01", "00:00", "Autumn 2026"],
    ];
    for (const [date, time, label] of cases) {
      const at = londonWallTimeToUtc(date, time);
      const term = termOf(at);
      expect(term.label, `${date} ${time}`).toBe(label);
      expect(at >= term.start && at < term.end, `${date} ${time} inside its term`).toBe(true);
    }
  });
});

describe("londonWeekOf", () => {
  it("runs Monday 00:00 to the next Monday 00:00 London time across the October clock change", () => {
    // Sunday 26 October 2025: the clocks went back at 02:00.
    const week = londonWeekOf(londonWallTimeToUtc("2025-10-26", "23:30"));
    expect(week.label).toBe("Week of 2025-10-20");
    expect(iso(week.start)).toBe("2025-10-19T23:00:00.000Z"); // Mon 20 Oct 00:00 BST
    expect(iso(week.end)).toBe("2025-10-27T00:00:00.000Z"); // Mon 27 Oct 00:00 GMT
    expect(week.end.getTime() - week.start.getTime()).toBe(7 * 24 * HOUR + HOUR);

    const next = londonWeekOf(londonWallTimeToUtc("2025-10-27", "00:30"));
    expect(next.label).toBe("Week of 2025-10-27");
    expect(next.start).toEqual(week.end);
    expect(iso(next.end)).toBe("2025-11-03T00:00:00.000Z");

    // Monday 00:00 belongs to the new week; Sunday 23:59 to the old.
    expect(londonWeekOf(londonWallTimeToUtc("2025-10-27", "00:00")).start).toEqual(week.end);
    expect(londonWeekOf(londonWallTimeToUtc("2025-10-26", "23:59")).end).toEqual(week.end);
  });

  it("is 167 hours long across the March change, and the first instant of Monday in London starts it", () => {
    const week = londonWeekOf(londonWallTimeToUtc("2026-03-29", "12:00"));
    expect(iso(week.start)).toBe("2026-03-23T00:00:00.000Z");
    expect(iso(week.end)).toBe("2026-03-29T23:00:00.000Z"); // Mon 30 Mar 00:00 BST
    expect(week.end.getTime() - week.start.getTime()).toBe(7 * 24 * HOUR - HOUR);
    // 23:30 UTC on Sunday is already Monday in London.
    expect(londonWeekOf(new Date("2026-03-29T23:30:00Z")).label).toBe("Week of 2026-03-30");
  });
});

describe("londonWeekday", () => {
  it("numbers Monday 1 … Sunday 7 by the London date", () => {
    expect(londonWeekday(londonWallTimeToUtc("2025-10-27", "00:30"))).toBe(1);
    expect(londonWeekday(londonWallTimeToUtc("2025-10-26", "23:30"))).toBe(7);
    // 23:30 UTC on a summer Friday is Saturday in London.
    expect(londonWeekday(new Date("2025-08-01T23:30:00Z"))).toBe(6);
  });
});
