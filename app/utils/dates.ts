/**
 * Every date a person reads goes through here: en-GB, Europe/London, whatever the server's TZ.
 * "Tue 14 Oct 2025, 14:00–15:30"
 */
export const APP_TIME_ZONE = "Europe/London";
const LOCALE = "en-GB";

const dayFmt = new Intl.DateTimeFormat(LOCALE, {
  timeZone: APP_TIME_ZONE,
  weekday: "short",
  day: "numeric",
  month: "short",
  year: "numeric",
});
const timeFmt = new Intl.DateTimeFormat(LOCALE, {
  timeZone: APP_TIME_ZONE,
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});
const longDayFmt = new Intl.DateTimeFormat(LOCALE, {
  timeZone: APP_TIME_ZONE,
  weekday: "long",
  day: "numeric",
  month: "long",
  year: "numeric",
});

const monthFmt = new Intl.DateTimeFormat(LOCALE, { timeZone: APP_TIME_ZONE, month: "long", year: "numeric" });

type DateLike = Date | string;
const toDate = (d: DateLike) => (typeof d === "string" ? new Date(d) : d);

function dayPart(d: Date) {
  // Intl gives "Tue, 14 Oct 2025" in some runtimes and "Tue 14 Oct 2025" in others, and "Sept" in
  // newer locale data; the campaign writes "Tue 14 Sep 2025".
  return dayFmt.format(d).replace(",", "").replace("Sept", "Sep");
}

/** "Tue 14 Oct 2025" */
export function formatDay(d: DateLike): string {
  return dayPart(toDate(d));
}

/** "Tuesday 14 October 2025" */
export function formatLongDay(d: DateLike): string {
  return longDayFmt.format(toDate(d)).replace(",", "");
}

/** "October 2025" */
export function formatMonth(d: DateLike): string {
  return monthFmt.format(toDate(d));
}

/** "14:00" */
export function formatTime(d: DateLike): string {
  return timeFmt.format(toDate(d));
}

/** "Tue 14 Oct 2025, 14:00" */
export function formatDateTime(d: DateLike): string {
  const date = toDate(d);
  return `${dayPart(date)}, ${formatTime(date)}`;
}

/** "Tue 14 Oct 2025, 14:00–15:30", or both full dates when the range crosses midnight. */
export function formatRange(start: DateLike, end: DateLike): string {
  const s = toDate(start);
  const e = toDate(end);
  if (dayPart(s) === dayPart(e)) return `${dayPart(s)}, ${formatTime(s)}–${formatTime(e)}`;
  return `${formatDateTime(s)} – ${formatDateTime(e)}`;
}

/** "5 minutes ago", "in 2 days": for outbox and audit lists. */
export function formatRelative(d: DateLike, from: Date = new Date()): string {
  const diff = toDate(d).getTime() - from.getTime();
  const rtf = new Intl.RelativeTimeFormat(LOCALE, { numeric: "auto" });
  const abs = Math.abs(diff);
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ["day", 86_400_000],
    ["hour", 3_600_000],
    ["minute", 60_000],
  ];
  for (const [unit, ms] of units) {
    if (abs >= ms) return rtf.format(Math.round(diff / ms), unit);
  }
  return "just now";
}

/**
 * The UTC instant of a wall-clock time in Europe/London ("2025-10-27", "10:00").
 * Correct on both sides of a clock change.
 */
export function londonWallTimeToUtc(date: string, time: string): Date {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const [hh, mm] = time.split(":").map(Number) as [number, number];
  const asUtc = Date.UTC(y, m - 1, d, hh, mm);
  // The offset London had at that moment: try the guess, then correct once for DST edges.
  let guess = asUtc - londonOffsetMs(new Date(asUtc));
  guess = asUtc - londonOffsetMs(new Date(guess));
  return new Date(guess);
}

// Made once: building a DateTimeFormat costs far more than using one, and these run for every row of a report.
const offsetFmt = new Intl.DateTimeFormat("en-GB", {
  timeZone: APP_TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});
const wallFmt = new Intl.DateTimeFormat("en-GB", {
  timeZone: APP_TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

function londonOffsetMs(at: Date): number {
  const parts = offsetFmt.formatToParts(at);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const wall = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return wall - Math.floor(at.getTime() / 1000) * 1000;
}

/** The London calendar date and time of an instant, for filling date and time inputs. */
export function utcToLondonWallTime(d: DateLike): { date: string; time: string } {
  const parts = wallFmt.formatToParts(toDate(d));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "";
  return { date: `${get("year")}-${get("month")}-${get("day")}`, time: `${get("hour")}:${get("minute")}` };
}
