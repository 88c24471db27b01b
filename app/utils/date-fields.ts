import { z } from "zod";
import { daysInMonth, formatLongDay, MONTH_NAMES, londonWallTimeToUtc, utcToLondonWallTime } from "./dates.ts";
import { RuleViolation } from "./errors.ts";

/**
 * Every date and time a person types, in a form or a query string, is checked here: a real
 * calendar day ("2026-02-30" is not one, though Date would roll it on to 2 March), a real time of
 * day, and, for a date and time together, a wall-clock time that exists in Europe/London (the hour
 * the clocks skip in March does not).
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
/** Years a training date can plausibly fall in; outside them a typed year is a slip of the finger. */
export const FIRST_YEAR = 1900;
export const LAST_YEAR = 2199;

export const DATE_FORMAT_MESSAGE = "Enter a date like 2026-10-31";
export const TIME_FORMAT_MESSAGE = "Enter a time like 14:00";

/** Why a typed date is not a real day, or null when it is one. */
export function dateProblem(value: string): string | null {
  const m = DATE.exec(value);
  if (!m) return DATE_FORMAT_MESSAGE;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < FIRST_YEAR || y > LAST_YEAR) return `Enter a year from ${FIRST_YEAR} to ${LAST_YEAR}`;
  if (mo < 1 || mo > 12) return "There are only 12 months: enter a month from 01 to 12";
  const days = daysInMonth(y, mo);
  if (d < 1 || d > days) {
    return d < 1 ? "Enter a day of the month from 01" : `${d} ${MONTH_NAMES[mo - 1]} ${y} does not exist: ${MONTH_NAMES[mo - 1]} has ${days} days`;
  }
  return null;
}

export const isRealDate = (value: string) => dateProblem(value) === null;
export const isRealTime = (value: string) => TIME.test(value);

/**
 * Why a London date and time together are not a moment, or null. On the last Sunday of March the
 * clocks go from 01:00 straight to 02:00, so 01:00–01:59 that day never happens; in October
 * 01:00–01:59 happens twice and the first (summer time) is meant.
 */
export function londonTimeProblem(date: string, time: string): string | null {
  if (!isRealDate(date) || !isRealTime(time)) return null;
  const back = utcToLondonWallTime(londonWallTimeToUtc(date, time));
  if (back.date === date && back.time === time) return null;
  return `The clocks go forward at 01:00 on ${formatLongDay(londonWallTimeToUtc(date, "12:00"))}, so ${time} does not exist in the UK that day. Choose 02:00 or later.`;
}

/** Why a date and a time together are not a moment in London, and which of the two to say it beside. */
export function momentProblem(date: string, time: string): { on: "date" | "time"; message: string } | null {
  const onDate = dateProblem(date);
  if (onDate) return { on: "date", message: onDate };
  if (!isRealTime(time)) return { on: "time", message: TIME_FORMAT_MESSAGE };
  const onTime = londonTimeProblem(date, time);
  return onTime ? { on: "time", message: onTime } : null;
}

/**
 * The instant of a London date and time that a domain function was given, refused with a
 * RuleViolation beside the right field when it is not a moment (whatever the form checked first).
 */
export function londonMoment(date: string, time: string, fields: { date: string; time: string }): Date {
  const problem = momentProblem(date, time);
  if (problem) throw new RuleViolation(fields[problem.on], problem.message);
  return londonWallTimeToUtc(date, time);
}

/** A required date field. */
export const DateField = (missing = "Enter a date") =>
  z
    .string({ error: missing })
    .trim()
    .min(1, { error: missing })
    .superRefine((value, ctx) => {
      const problem = dateProblem(value);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    });

/** A required time-of-day field ("09:00"). */
export const TimeField = (missing = "Enter a time") =>
  z.string({ error: missing }).trim().min(1, { error: missing }).refine(isRealTime, { error: TIME_FORMAT_MESSAGE });

/**
 * Checks that each date and time pair of a form is a moment in London, putting the message beside
 * the time. Pairs with a missing or malformed part are left to their own fields' messages.
 */
export function londonMoments<T extends Record<string, unknown>>(...pairs: [keyof T & string, keyof T & string][]) {
  return (value: T, ctx: z.RefinementCtx) => {
    for (const [dateKey, timeKey] of pairs) {
      const date = value[dateKey];
      const time = value[timeKey];
      if (typeof date !== "string" || typeof time !== "string") continue;
      const problem = londonTimeProblem(date, time);
      if (problem) ctx.addIssue({ code: "custom", path: [timeKey], message: problem });
    }
  };
}

/** A date in a query string (a filter, a page of a calendar): a real day, or nothing. */
export const DateQuery = z.string().trim().refine(isRealDate).optional().catch(undefined);

/** A time in a query string: a real time of day, or nothing. */
export const TimeQuery = z.string().trim().refine(isRealTime).optional().catch(undefined);
