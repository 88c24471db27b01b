import { now } from "./time.ts";

/**
 * Every date the app shows or counts goes through here, whatever the server's TZ:
 * - instants as London wall time, written en-GB: "Tue 14 Oct 2025, 14:00–15:30";
 * - calendar dates ("YYYY-MM-DD"), counted on the calendar, never by adding 24 hours to an instant,
 *   so the day of a clock change is still one London day (23 or 25 hours long);
 * - the academic year (1 August – 31 July, London), its terms and London weeks.
 */
export const APP_TIME_ZONE = "Europe/London";
const LOCALE = "en-GB";

type DateLike = Date | string;
const toDate = (d: DateLike) => (typeof d === "string" ? new Date(d) : d);

const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
/** January … December. */
export const MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const pad = (n: number) => String(n).padStart(2, "0");
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

// ---- London wall time -------------------------------------------------------------------------

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

/** The London calendar date and time of an instant, for filling date and time inputs. */
export function utcToLondonWallTime(d: DateLike): { date: string; time: string } {
  const f = londonFields(toDate(d));
  return { date: `${f.year}-${pad(f.month + 1)}-${pad(f.day)}`, time: f.time };
}

/** The London calendar date an instant falls on; a calendar date is already one. */
export function londonDateOf(at: DateLike): string {
  if (typeof at === "string" && isCalendarDate(at)) return at;
  return utcToLondonWallTime(at).date;
}

/** Today's date in London, by the app's clock. */
export function londonToday(): string {
  return londonDateOf(now());
}

/** The instant a London day begins (midnight, whatever the clocks did that night). */
export function londonDayStart(date: string): Date {
  return londonWallTimeToUtc(date, "00:00");
}

/** Midnight to midnight in London: 23 hours in March, 25 in October. */
export function londonDayRange(date: string): { start: Date; end: Date } {
  return { start: londonDayStart(date), end: londonDayStart(addDays(date, 1)) };
}

// ---- Shown to people --------------------------------------------------------------------------

// The campaign writes "Tue 14 Sep 2025": three letters for every month, whatever a runtime's locale data says.
function dayPart(d: Date) {
  const f = londonFields(d);
  return `${WEEKDAYS[f.weekday]!.slice(0, 3)} ${f.day} ${MONTH_NAMES[f.month]!.slice(0, 3)} ${f.year}`;
}

/** "Tue 14 Oct 2025" */
export function formatDay(d: DateLike): string {
  return dayPart(toDate(d));
}

/** "Tuesday 14 October 2025" */
export function formatLongDay(d: DateLike): string {
  const f = londonFields(toDate(d));
  return `${WEEKDAYS[f.weekday]} ${f.day} ${MONTH_NAMES[f.month]} ${f.year}`;
}

/** "October 2025" */
export function formatMonth(d: DateLike): string {
  const f = londonFields(toDate(d));
  return `${MONTH_NAMES[f.month]} ${f.year}`;
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
    ["day", DAY_MS],
    ["hour", HOUR_MS],
    ["minute", 60_000],
  ];
  for (const [unit, ms] of units) {
    if (abs >= ms) return rtf.format(Math.round(diff / ms), unit);
  }
  return "just now";
}

// ---- Calendar dates ---------------------------------------------------------------------------

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The days in a month (1–12) of a year: 29 in a leap February. */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Year, month (1–12) and day of a real calendar date, or null for anything else. */
function partsOf(date: string): [number, number, number] | null {
  const m = CALENDAR_DATE.exec(date);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo) ? [y, mo, d] : null;
}

function parts(date: string): [number, number, number] {
  const p = partsOf(date);
  if (!p) throw new RangeError(`Not a calendar date: ${date}`);
  return p;
}

/** "YYYY-MM-DD" naming a day that exists (a form's date field also limits the years: see date-fields.ts). */
const isCalendarDate = (value: string) => partsOf(value) !== null;

const dateOfUtc = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The calendar date `n` days after `date` (before, when negative). */
export function addDays(date: string, n: number): string {
  const [y, m, d] = parts(date);
  return dateOfUtc(Date.UTC(y, m - 1, d + n));
}

/** Whole months, keeping the day where it exists: 31 January + 1 month is 28 (or 29) February. */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = parts(date);
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const year = first.getUTCFullYear();
  const month = first.getUTCMonth() + 1;
  return `${year}-${pad(month)}-${pad(Math.min(d, daysInMonth(year, month)))}`;
}

/** The same UTC time of day `months` calendar months later (earlier, when negative), keeping to the end of a short month. */
export function addMonthsToInstant(at: Date, months: number): Date {
  const iso = at.toISOString();
  return new Date(`${addMonths(iso.slice(0, 10), months)}${iso.slice(10)}`);
}

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  const [y1, m1, d1] = parts(from);
  const [y2, m2, d2] = parts(to);
  return Math.round((Date.UTC(y2, m2 - 1, d2) - Date.UTC(y1, m1 - 1, d1)) / DAY_MS);
}

/** 1 = Monday … 7 = Sunday. */
export function weekdayOf(date: string): number {
  const [y, m, d] = parts(date);
  return ((new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7) + 1;
}

/** The Monday of the week (Monday to Sunday) a calendar date is in. */
export function mondayOf(date: string): string {
  return addDays(date, 1 - weekdayOf(date));
}

// ---- The academic year, terms and weeks -------------------------------------------------------

/** A span of time: from `start` (inclusive) to `end` (exclusive). */
export interface Period {
  label: string;
  start: Date;
  end: Date;
}

/** "2025–26" for the academic year that starts on 1 August 2025. */
export function academicYearLabel(startYear: number): string {
  return `${startYear}–${pad((startYear + 1) % 100)}`;
}

/** The first and last days of an academic year, both inclusive: 1 August and 31 July. */
export function academicYearDates(startYear: number): { first: string; last: string } {
  return { first: `${startYear}-08-01`, last: `${startYear + 1}-07-31` };
}

/** The academic year starting on 1 August `startYear`: midnight London time to midnight London time. */
export function academicYear(startYear: number): Period {
  return { label: academicYearLabel(startYear), start: londonDayStart(`${startYear}-08-01`), end: londonDayStart(`${startYear + 1}-08-01`) };
}

/** The year in which the academic year of an instant (or a calendar date) began: it turns over at midnight London time on 1 August. */
export function academicYearStartOf(at: DateLike): number {
  const [y, m] = parts(londonDateOf(at));
  return m >= 8 ? y : y - 1;
}

export function academicYearOf(at: DateLike): Period {
  return academicYear(academicYearStartOf(at));
}

/** Terms for workload: autumn (August–December), spring (January–March), summer (April–July), in London. */
export function termOf(at: Date): Period {
  const [y, m] = parts(londonDateOf(at));
  const firstOf = (year: number, month: number) => londonDayStart(`${year}-${pad(month)}-01`);
  if (m >= 8) return { label: `Autumn ${y}`, start: firstOf(y, 8), end: firstOf(y + 1, 1) };
  if (m <= 3) return { label: `Spring ${y}`, start: firstOf(y, 1), end: firstOf(y, 4) };
  return { label: `Summer ${y}`, start: firstOf(y, 4), end: firstOf(y, 8) };
}

/** Monday 00:00 to the next Monday 00:00, London time, of the week containing `at`. */
export function londonWeekOf(at: Date): Period {
  const monday = mondayOf(londonDateOf(at));
  return { label: `Week of ${monday}`, start: londonDayStart(monday), end: londonDayStart(addDays(monday, 7)) };
}

/** 1 = Monday … 7 = Sunday, in London. */
export function londonWeekday(at: Date): number {
  return weekdayOf(londonDateOf(at));
}
