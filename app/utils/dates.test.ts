import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  academicYear,
  academicYearDates,
  academicYearLabel,
  academicYearOf,
  academicYearStartOf,
  addDays,
  addMonths,
  addMonthsToInstant,
  daysBetween,
  daysInMonth,
  formatDateTime,
  formatDay,
  formatLongDay,
  formatMonth,
  formatRange,
  formatRelative,
  formatTime,
  londonDateOf,
  londonDayRange,
  londonToday,
  londonWallTimeToUtc,
  londonWeekday,
  londonWeekOf,
  mondayOf,
  termOf,
  utcToLondonWallTime,
  weekdayOf,
} from "./dates.ts";
import { HOUR, setClockOffsetForTests } from "./time.ts";

const iso = (d: Date) => d.toISOString();

describe("month abbreviations", () => {
  it("writes September as Sep, like every other month's three letters", () => {
    expect(formatDay("2026-09-24T12:00:00.000Z")).toBe("Thu 24 Sep 2026");
    expect(formatRange("2025-09-16T13:00:00.000Z", "2025-09-16T14:30:00.000Z")).toBe("Tue 16 Sep 2025, 14:00–15:30");
  });
});

describe("formatting in en-GB, Europe/London", () => {
  it('formats a range on one day as "Tue 14 Oct 2025, 14:00–15:30" (BST)', () => {
    expect(formatRange("2025-10-14T13:00:00Z", "2025-10-14T14:30:00Z")).toBe("Tue 14 Oct 2025, 14:00–15:30");
    expect(formatRange(new Date("2025-10-14T13:00:00Z"), new Date("2025-10-14T14:30:00Z"))).toBe("Tue 14 Oct 2025, 14:00–15:30");
  });

  it("formats winter times without the summer hour (GMT)", () => {
    expect(formatRange("2025-12-02T14:00:00Z", "2025-12-02T15:30:00Z")).toBe("Tue 2 Dec 2025, 14:00–15:30");
  });

  it("gives both full dates when a range crosses midnight in London", () => {
    // 22:30–00:30 BST
    expect(formatRange("2025-10-14T21:30:00Z", "2025-10-14T23:30:00Z")).toBe("Tue 14 Oct 2025, 22:30 – Wed 15 Oct 2025, 00:30");
  });

  it("uses the London date, not the UTC date, late in the evening in summer", () => {
    expect(formatDay("2025-10-14T23:30:00Z")).toBe("Wed 15 Oct 2025");
    expect(formatTime("2025-10-14T23:30:00Z")).toBe("00:30");
  });

  it("formats days, long days, times and date-times", () => {
    expect(formatDay("2025-10-14T13:00:00Z")).toBe("Tue 14 Oct 2025");
    expect(formatLongDay("2025-10-14T13:00:00Z")).toBe("Tuesday 14 October 2025");
    expect(formatTime("2025-10-14T08:05:00Z")).toBe("09:05");
    expect(formatTime("2025-10-14T23:00:00Z")).toBe("00:00");
    expect(formatDateTime("2025-10-14T13:00:00Z")).toBe("Tue 14 Oct 2025, 14:00");
  });

  it("formats relative times", () => {
    const from = new Date("2025-10-14T12:00:00Z");
    expect(formatRelative(new Date("2025-10-14T11:55:00Z"), from)).toBe("5 minutes ago");
    expect(formatRelative(new Date("2025-10-16T12:00:00Z"), from)).toBe("in 2 days");
    expect(formatRelative(new Date("2025-10-14T11:59:30Z"), from)).toBe("just now");
    expect(formatRelative(new Date("2025-10-14T15:00:00Z"), from)).toBe("in 3 hours");
  });
});

/** [London date, London time, the UTC instant it is] around both 2025–26 clock changes. */
const WALL_TIMES: [string, string, string][] = [
  // October 2025: clocks go back at 02:00 BST on Sunday 26 October.
  ["2025-10-24", "10:00", "2025-10-24T09:00:00.000Z"], // Fri, BST
  ["2025-10-25", "23:30", "2025-10-25T22:30:00.000Z"], // Sat night, BST
  ["2025-10-26", "00:30", "2025-10-25T23:30:00.000Z"], // Sun, still BST
  ["2025-10-26", "03:00", "2025-10-26T03:00:00.000Z"], // Sun, GMT
  ["2025-10-26", "10:00", "2025-10-26T10:00:00.000Z"], // Sun, GMT
  ["2025-10-27", "10:00", "2025-10-27T10:00:00.000Z"], // Mon, GMT
  // March 2026: clocks go forward at 01:00 GMT on Sunday 29 March.
  ["2026-03-27", "10:00", "2026-03-27T10:00:00.000Z"], // Fri, GMT
  ["2026-03-29", "00:30", "2026-03-29T00:30:00.000Z"], // Sun, still GMT
  ["2026-03-29", "03:00", "2026-03-29T02:00:00.000Z"], // Sun, BST
  ["2026-03-30", "10:00", "2026-03-30T09:00:00.000Z"], // Mon, BST
  // Midnight and the year's end.
  ["2025-12-31", "23:59", "2025-12-31T23:59:00.000Z"],
  ["2026-07-01", "00:00", "2026-06-30T23:00:00.000Z"],
];

describe("London wall time <-> UTC", () => {
  it.each(WALL_TIMES)("%s %s London is %s", (date, time, utc) => {
    expect(londonWallTimeToUtc(date, time).toISOString()).toBe(utc);
  });

  it.each(WALL_TIMES)("utcToLondonWallTime inverts it: %s %s", (date, time, utc) => {
    expect(utcToLondonWallTime(utc)).toEqual({ date, time });
    expect(utcToLondonWallTime(new Date(utc))).toEqual({ date, time });
  });

  it("round-trips every quarter hour across both clock-change weekends (the repeated hour may read either way)", () => {
    for (const [from, days] of [
      ["2025-10-24T00:00:00Z", 4],
      ["2026-03-27T00:00:00Z", 4],
    ] as const) {
      const start = new Date(from).getTime();
      for (let t = start; t < start + days * 86_400_000; t += 15 * 60_000) {
        const wall = utcToLondonWallTime(new Date(t));
        const back = londonWallTimeToUtc(wall.date, wall.time).getTime();
        const ambiguous = wall.date === "2025-10-26" && wall.time.startsWith("01:");
        // 01:00–01:59 on 26 Oct 2025 happens twice; either instant is a fair reading.
        if (ambiguous) expect([t, t - 3_600_000, t + 3_600_000]).toContain(back);
        else expect(back, `${wall.date} ${wall.time}`).toBe(t);
      }
    }
  });

  it("moves a time in the hour that does not exist (01:00–01:59 on 29 Mar 2026) forward by the gap, as calendars do", () => {
    expect(londonWallTimeToUtc("2026-03-29", "01:30").toISOString()).toBe("2026-03-29T01:30:00.000Z");
    expect(utcToLondonWallTime("2026-03-29T01:30:00.000Z")).toEqual({ date: "2026-03-29", time: "02:30" });
  });

  it("formats a session entered as 10:00 London as 10:00 on both sides of the change", () => {
    expect(formatTime(londonWallTimeToUtc("2025-10-24", "10:00"))).toBe("10:00");
    expect(formatTime(londonWallTimeToUtc("2025-10-27", "10:00"))).toBe("10:00");
    expect(formatTime(londonWallTimeToUtc("2026-03-27", "10:00"))).toBe("10:00");
    expect(formatTime(londonWallTimeToUtc("2026-03-30", "10:00"))).toBe("10:00");
  });
});

describe("agreement with Intl's own Europe/London answers", () => {
  // The formatters work from London's offset, asked of Intl once an hour of time; Intl itself is the
  // reference here, every 20 minutes across two years (four clock changes) and at the changes' edges.
  const intl = new Intl.DateTimeFormat("en-GB", {
    timeZone: "Europe/London",
    weekday: "long",
    year: "numeric",
    month: "long",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  });
  function reference(at: Date) {
    const parts = Object.fromEntries(intl.formatToParts(at).map((p) => [p.type, p.value])) as Record<string, string>;
    const monthNumber = new Date(`${parts.month} 1, 2000`).getMonth() + 1;
    return {
      date: `${parts.year}-${String(monthNumber).padStart(2, "0")}-${parts.day!.padStart(2, "0")}`,
      time: `${parts.hour}:${parts.minute}`,
      day: `${parts.weekday!.slice(0, 3)} ${parts.day} ${parts.month!.slice(0, 3)} ${parts.year}`,
      longDay: `${parts.weekday} ${parts.day} ${parts.month} ${parts.year}`,
      month: `${parts.month} ${parts.year}`,
    };
  }
  const instants: Date[] = [];
  for (let t = Date.UTC(2025, 0, 1); t < Date.UTC(2027, 0, 1); t += 20 * 60_000) instants.push(new Date(t));
  for (const edge of ["2025-03-30T01:00:00Z", "2025-10-26T01:00:00Z", "2026-03-29T01:00:00Z", "2026-10-25T01:00:00Z"]) {
    const at = Date.parse(edge);
    for (const ms of [-60_001, -1, 0, 1, 59_999]) instants.push(new Date(at + ms));
  }

  it("gives the same London date, time, day, long day and month as Intl for every instant", () => {
    const mismatches = instants.filter((at) => {
      const want = reference(at);
      return (
        utcToLondonWallTime(at).date !== want.date ||
        formatTime(at) !== want.time ||
        formatDay(at) !== want.day ||
        formatLongDay(at) !== want.longDay ||
        formatMonth(at) !== want.month
      );
    });
    expect(instants.length).toBeGreaterThan(52_000);
    expect(mismatches.map((m) => m.toISOString())).toEqual([]);
  });

  it("puts the last minute before each change on the old offset and the change's own minute on the new one", () => {
    expect(formatTime("2026-03-29T00:59:59Z")).toBe("00:59");
    expect(formatTime("2026-03-29T01:00:00Z")).toBe("02:00");
    expect(formatTime("2026-10-25T00:59:59Z")).toBe("01:59");
    expect(formatTime("2026-10-25T01:00:00Z")).toBe("01:00");
  });

  it("refuses an invalid date, as Intl does, instead of printing NaN", () => {
    expect(() => formatTime(new Date("not a date"))).toThrow(RangeError);
  });
});

describe("independence from the server's time zone", () => {
  it("gives the same answers in a process running in America/New_York and in Asia/Tokyo", () => {
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
    const script = `
      const d = await import(${JSON.stringify(path.join(root, "app/utils/dates.ts"))});
      const out = {
        tz: Intl.DateTimeFormat().resolvedOptions().timeZone,
        range: d.formatRange("2025-10-14T13:00:00Z", "2025-10-14T14:30:00Z"),
        lateDay: d.formatDay("2025-10-14T23:30:00Z"),
        toUtc: ${JSON.stringify(WALL_TIMES)}.map(([date, time]) => d.londonWallTimeToUtc(date, time).toISOString()),
        toWall: ${JSON.stringify(WALL_TIMES)}.map(([, , utc]) => d.utcToLondonWallTime(utc)),
      };
      process.stdout.write(JSON.stringify(out));
    `;
    for (const tz of ["America/New_York", "Asia/Tokyo"]) {
      const stdout = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
        cwd: root,
        env: { ...process.env, TZ: tz },
        encoding: "utf8",
      });
      const out = JSON.parse(stdout) as { tz: string; range: string; lateDay: string; toUtc: string[]; toWall: { date: string; time: string }[] };
      expect(out.tz).toBe(tz);
      expect(out.range).toBe("Tue 14 Oct 2025, 14:00–15:30");
      expect(out.lateDay).toBe("Wed 15 Oct 2025");
      expect(out.toUtc).toEqual(WALL_TIMES.map(([, , utc]) => utc));
      expect(out.toWall).toEqual(WALL_TIMES.map(([date, time]) => ({ date, time })));
    }
  }, 30_000); // two Node processes start here: seconds on a busy machine
});

describe("London days around the clock changes (the last Sunday of March and of October)", () => {
  it.each([
    ["2025-03-30", 23],
    ["2025-10-26", 25],
    ["2026-03-29", 23],
    ["2026-10-25", 25],
    ["2027-03-28", 23],
    ["2027-10-31", 25],
    ["2026-03-28", 24],
    ["2026-03-30", 24],
  ])("%s is %i hours long in London, midnight to midnight", (date, hours) => {
    const { start, end } = londonDayRange(date);
    expect(end.getTime() - start.getTime()).toBe(hours * HOUR);
    expect(londonDateOf(start)).toBe(date);
    expect(londonDateOf(new Date(end.getTime() - 1))).toBe(date);
  });

  it("counts those days as one calendar day each, never as 24 hours", () => {
    expect(addDays("2026-03-28", 1)).toBe("2026-03-29");
    expect(addDays("2026-03-29", 1)).toBe("2026-03-30");
    expect(addDays("2025-10-26", 1)).toBe("2025-10-27");
    expect(daysBetween("2026-03-27", "2026-03-31")).toBe(4);
    expect(daysBetween("2025-10-31", "2025-10-24")).toBe(-7);
  });

  it("reads the London date of an instant, not the UTC date", () => {
    // 23:30 UTC in summer is already tomorrow in London; in winter it is not.
    expect(londonDateOf("2026-07-31T23:30:00.000Z")).toBe("2026-08-01");
    expect(londonDateOf(new Date("2026-01-31T23:30:00.000Z"))).toBe("2026-01-31");
    // The last instant before the October change is still summer time.
    expect(londonDateOf("2025-10-25T23:00:00.000Z")).toBe("2025-10-26");
    expect(londonDateOf("2025-10-25T22:59:59.999Z")).toBe("2025-10-25");
  });

  it("takes a calendar date as it is", () => {
    expect(londonDateOf("2026-02-28")).toBe("2026-02-28");
    expect(londonDateOf("2024-02-29")).toBe("2024-02-29");
  });

  it("gives today by the app's clock, in London", () => {
    setClockOffsetForTests(Date.parse("2026-08-01T00:30:00+01:00") - Date.now());
    expect(londonToday()).toBe("2026-08-01");
    setClockOffsetForTests(Date.parse("2026-07-31T23:30:00+01:00") - Date.now());
    expect(londonToday()).toBe("2026-07-31");
  });
});

describe("calendar dates", () => {
  it("counts days across month and year ends and leap days", () => {
    expect(addDays("2025-10-31", 1)).toBe("2025-11-01");
    expect(addDays("2025-12-31", 1)).toBe("2026-01-01");
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(addDays("2028-03-01", -1)).toBe("2028-02-29");
    expect(addDays("2026-01-01", -1)).toBe("2025-12-31");
    expect(daysBetween("2028-02-01", "2028-03-01")).toBe(29);
    expect(daysBetween("2027-02-01", "2027-03-01")).toBe(28);
  });

  it("adds whole months, keeping to the end of a shorter month", () => {
    expect(addMonths("2025-01-31", 1)).toBe("2025-02-28");
    expect(addMonths("2024-01-31", 1)).toBe("2024-02-29");
    expect(addMonths("2027-03-31", -1)).toBe("2027-02-28");
    expect(addMonths("2026-01-31", -2)).toBe("2025-11-30");
    expect(addMonths("2025-08-31", 1)).toBe("2025-09-30");
    expect(addMonths("2025-11-15", 3)).toBe("2026-02-15");
    expect(addMonths("2026-01-15", -13)).toBe("2024-12-15");
  });

  it("takes a leap day a year on to 28 February, and back again to a leap day only from 29 February", () => {
    expect(addMonths("2024-02-29", 12)).toBe("2025-02-28");
    expect(addMonths("2024-02-29", -12)).toBe("2023-02-28");
    expect(addMonths("2024-02-29", 48)).toBe("2028-02-29");
    expect(addMonths("2025-02-28", -12)).toBe("2024-02-28");
  });

  it("knows which years are leap years", () => {
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2026, 2)).toBe(28);
    expect(daysInMonth(2000, 2)).toBe(29);
    expect(daysInMonth(2100, 2)).toBe(28);
    expect(daysInMonth(2026, 4)).toBe(30);
    expect(daysInMonth(2026, 12)).toBe(31);
  });

  it("moves an instant by calendar months in UTC, to the millisecond, the 31st becoming a shorter month's last day", () => {
    const at = new Date("2030-03-31T10:00:00.000Z");
    expect(iso(addMonthsToInstant(at, -1))).toBe("2030-02-28T10:00:00.000Z");
    expect(iso(addMonthsToInstant(at, -36))).toBe("2027-03-31T10:00:00.000Z");
    expect(iso(addMonthsToInstant(new Date("2032-03-31T00:00:00Z"), -1))).toBe("2032-02-29T00:00:00.000Z");
    expect(iso(addMonthsToInstant(new Date("2030-01-31T08:00:00.123Z"), 1))).toBe("2030-02-28T08:00:00.123Z");
    expect(iso(addMonthsToInstant(new Date("2029-11-15T08:00:00Z"), 3))).toBe("2030-02-15T08:00:00.000Z");
  });

  it("numbers weekdays from Monday and finds the week's Monday", () => {
    expect(weekdayOf("2025-10-27")).toBe(1);
    expect(weekdayOf("2025-10-26")).toBe(7);
    expect(weekdayOf("2026-03-29")).toBe(7);
    expect(mondayOf("2026-03-29")).toBe("2026-03-23");
    expect(mondayOf("2026-03-30")).toBe("2026-03-30");
    expect(mondayOf("2026-01-01")).toBe("2025-12-29");
  });

  it("refuses a day that does not exist rather than rolling it on", () => {
    expect(() => addDays("2025-02-29", 1)).toThrow(RangeError);
    expect(() => addMonths("2026-13-01", 1)).toThrow(RangeError);
    expect(() => weekdayOf("27/10/2025")).toThrow(RangeError);
  });
});

describe("the academic year", () => {
  it("turns over at midnight London time on 1 August, not midnight UTC", () => {
    const lastMinute = londonWallTimeToUtc("2025-07-31", "23:59");
    const firstMinute = londonWallTimeToUtc("2025-08-01", "00:00");
    // In summer London is an hour ahead: both are on 31 July in UTC.
    expect(iso(lastMinute)).toBe("2025-07-31T22:59:00.000Z");
    expect(iso(firstMinute)).toBe("2025-07-31T23:00:00.000Z");

    expect(academicYearStartOf(lastMinute)).toBe(2024);
    expect(academicYearStartOf(firstMinute)).toBe(2025);
    const before = academicYearOf(lastMinute);
    const after = academicYearOf(firstMinute);
    expect(before.label).toBe("2024–25");
    expect(after.label).toBe("2025–26");
    expect(iso(after.start)).toBe("2025-07-31T23:00:00.000Z");
    expect(iso(after.end)).toBe("2026-07-31T23:00:00.000Z");
    expect(before.end).toEqual(after.start);
    expect(lastMinute < before.end && firstMinute >= after.start).toBe(true);
  });

  it("gives a calendar date's academic year the same way", () => {
    expect(academicYearStartOf("2025-07-31")).toBe(2024);
    expect(academicYearStartOf("2025-08-01")).toBe(2025);
    expect(academicYearStartOf("2026-01-01")).toBe(2025);
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

  it("names a year, its first and last days and its span from the year it starts in", () => {
    expect(academicYearLabel(2025)).toBe("2025–26");
    expect(academicYearLabel(2009)).toBe("2009–10");
    expect(academicYearDates(2025)).toEqual({ first: "2025-08-01", last: "2026-07-31" });
    expect(academicYear(2025)).toEqual(academicYearOf(londonWallTimeToUtc("2025-10-14", "14:00")));
    // 2023–24 holds 29 February 2024: 366 days, both ends in summer time.
    const leap = academicYear(2023);
    expect(leap.end.getTime() - leap.start.getTime()).toBe(366 * 24 * HOUR);
    const plain = academicYear(2024);
    expect(plain.end.getTime() - plain.start.getTime()).toBe(365 * 24 * HOUR);
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
