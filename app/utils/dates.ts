/**
 * Every date a person reads goes through here: en-GB, Europe/London, whatever the server's TZ.
 * "Tue 14 Oct 2025, 14:00–15:30"
 */
export const APP_TIME_ZONE = "Europe/London";
const LOCALE = "en-GB";

type DateLike = Date | string;
const toDate = (d: DateLike) => (typeof d === "string" ? new Date(d) : d);

const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const pad = (n: number) => String(n).padStart(2, "0");

/** An instant's London wall-clock fields, read from the UTC fields of the instant moved by London's offset. */
function londonFields(d: Date) {
  const wall = new Date(d.getTime() + londonOffsetMs(d));
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth(),
    day: wall.getUTCDate(),
    weekday: wall.getUTCDay(),
    time: `${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}`,
  };
}

// The campaign writes "Tue 14 Sep 2025": three letters for every month, whatever a runtime's locale data says.
function dayPart(d: Date) {
  const f = londonFields(d);
  return `${WEEKDAYS[f.weekday]!.slice(0, 3)} ${f.day} ${MONTHS[f.month]!.slice(0, 3)} ${f.year}`;
}

/** "Tue 14 Oct 2025" */
export function formatDay(d: DateLike): string {
  return dayPart(toDate(d));
}

/** "Tuesday 14 October 2025" */
export function formatLongDay(d: DateLike): string {
  const f = londonFields(toDate(d));
  return `${WEEKDAYS[f.weekday]} ${f.day} ${MONTHS[f.month]} ${f.year}`;
}

/** "October 2025" */
export function formatMonth(d: DateLike): string {
  const f = londonFields(toDate(d));
  return `${MONTHS[f.month]} ${f.year}`;
}

/** "14:00" */
export function formatTime(d: DateLike): string {
  return londonFields(toDate(d)).time;
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

const rtf = new Intl.RelativeTimeFormat(LOCALE, { numeric: "auto" });

/** "5 minutes ago", "in 2 days": for outbox and audit lists. */
export function formatRelative(d: DateLike, from: Date = new Date()): string {
  const diff = toDate(d).getTime() - from.getTime();
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

// Made once: building a DateTimeFormat costs far more than using one.
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

const HOUR_MS = 3_600_000;
/** London's offset from UTC for each hour of time asked about, by the hour's number since 1970. */
const offsetByHour = new Map<number, number>();

/**
 * London's offset from UTC at an instant, in milliseconds (0 in winter, one hour in summer).
 * The clocks change on the hour (01:00 UTC), so the offset holds for a whole UTC hour: Intl is
 * asked once an hour of time and the answer kept, and a report of thousands of rows makes a
 * handful of Intl calls instead of one a row.
 */
function londonOffsetMs(at: Date): number {
  const hour = Math.floor(at.getTime() / HOUR_MS);
  let offset = offsetByHour.get(hour);
  if (offset === undefined) {
    const start = new Date(hour * HOUR_MS);
    const parts = offsetFmt.formatToParts(start);
    const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
    offset = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second")) - start.getTime();
    if (offsetByHour.size >= 50_000) offsetByHour.clear();
    offsetByHour.set(hour, offset);
  }
  return offset;
}

/** The London calendar date and time of an instant, for filling date and time inputs. */
export function utcToLondonWallTime(d: DateLike): { date: string; time: string } {
  const f = londonFields(toDate(d));
  return { date: `${f.year}-${pad(f.month + 1)}-${pad(f.day)}`, time: f.time };
}
