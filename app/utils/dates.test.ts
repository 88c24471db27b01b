import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  formatDateTime,
  formatDay,
  formatLongDay,
  formatMonth,
  formatRange,
  formatRelative,
  formatTime,
  londonWallTimeToUtc,
  utcToLondonWallTime,
} from "./dates.ts";

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
  });
});
