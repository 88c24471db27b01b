import { londonWallTimeToUtc, utcToLondonWallTime } from "./dates.ts";

/**
 * The academic year runs 1 August – 31 July (Europe/London). Terms for workload: autumn
 * (August–December), spring (January–March), summer (April–July).
 */
export interface Period {
  label: string;
  start: Date; // inclusive
  end: Date; // exclusive
}

function londonYearMonth(at: Date) {
  const { date } = utcToLondonWallTime(at);
  const [y, m] = date.split("-").map(Number) as [number, number];
  return { y, m };
}

const firstOf = (y: number, m: number) => londonWallTimeToUtc(`${y}-${String(m).padStart(2, "0")}-01`, "00:00");

export function academicYearOf(at: Date): Period {
  const { y, m } = londonYearMonth(at);
  const startYear = m >= 8 ? y : y - 1;
  return { label: `${startYear}–${String((startYear + 1) % 100).padStart(2, "0")}`, start: firstOf(startYear, 8), end: firstOf(startYear + 1, 8) };
}

export function termOf(at: Date): Period {
  const { y, m } = londonYearMonth(at);
  if (m >= 8) return { label: `Autumn ${y}`, start: firstOf(y, 8), end: firstOf(y + 1, 1) };
  if (m <= 3) return { label: `Spring ${y}`, start: firstOf(y, 1), end: firstOf(y, 4) };
  return { label: `Summer ${y}`, start: firstOf(y, 4), end: firstOf(y, 8) };
}

/** Monday 00:00 to the next Monday 00:00, London time, of the week containing `at`. */
export function londonWeekOf(at: Date): Period {
  const { date } = utcToLondonWallTime(at);
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const noon = new Date(Date.UTC(y, m - 1, d, 12));
  const weekday = ((noon.getUTCDay() + 6) % 7) + 1; // 1 = Monday
  const monday = new Date(noon.getTime() - (weekday - 1) * 86_400_000);
  const nextMonday = new Date(monday.getTime() + 7 * 86_400_000);
  const iso = (x: Date) => x.toISOString().slice(0, 10);
  return { label: `Week of ${iso(monday)}`, start: londonWallTimeToUtc(iso(monday), "00:00"), end: londonWallTimeToUtc(iso(nextMonday), "00:00") };
}

/** 1 = Monday … 7 = Sunday, in London. */
export function londonWeekday(at: Date): number {
  const { date } = utcToLondonWallTime(at);
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return ((new Date(Date.UTC(y, m - 1, d, 12)).getUTCDay() + 6) % 7) + 1;
}
