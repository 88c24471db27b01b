import Holidays from "date-holidays";
import type { Kysely } from "kysely";
import { randomUUID } from "node:crypto";
import type { Database } from "#db/schema.ts";
import { writeTransaction } from "#app/utils/transaction.server.ts";
import { recordAudit } from "#app/audit/audit.server.ts";
import { hasPermission } from "#app/auth/permissions.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { writeSetting } from "#app/settings/settings.server.ts";
import { addDays, addMonths, daysBetween, londonDateOf, londonToday, MONTH_NAMES } from "#app/utils/dates.ts";
import { dateProblem } from "#app/utils/date-fields.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { now, nowIso } from "#app/utils/time.ts";
import { ClosurePeriodListSchema, type ClosurePeriod, type ClosurePeriodInput } from "./closure-schemas.ts";

/**
 * The days the university is closed, when no session is booked, scheduled, opened or moved: the
 * bank holidays of England and Wales, computed from the rules (Easter, substitute days when a
 * holiday falls at a weekend) by date-holidays with its bundled data, so nothing is fetched; and
 * the closure periods the coordinator keeps in the settings (the Christmas closure, say).
 */

/** How far ahead a session can be booked or scheduled: further than this, a typed year is a slip. */
export const BOOKING_HORIZON_MONTHS = 24;

export interface ClosureDay {
  date: string;
  /** "Christmas Day", or the closure period's name. */
  name: string;
  kind: "bank-holiday" | "closure";
  /** The whole period a closure day belongs to. */
  period?: { first: string; last: string };
}

// Only the public holidays: date-holidays also knows observances such as Mother's Day, which close nothing.
const englandAndWales = new Holidays("GB", "ENG", { languages: ["en"] });
const bankHolidaysByYear = new Map<number, Map<string, string>>();

/** The bank holidays of England and Wales in a year, by date ("2026-12-28" → "Boxing Day (substitute day)"). */
export function bankHolidaysOf(year: number): Map<string, string> {
  let days = bankHolidaysByYear.get(year);
  if (!days) {
    days = new Map();
    for (const h of englandAndWales.getHolidays(year)) {
      if (h.type === "public") days.set(h.date.slice(0, 10), h.name);
    }
    bankHolidaysByYear.set(year, days);
  }
  return days;
}

/** "25 December 2026" */
function longDate(date: string): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return `${d} ${MONTH_NAMES[m - 1]} ${y}`;
}

/** "24 December 2026 – 1 January 2027" */
export function formatDateSpan(first: string, last: string): string {
  return first === last ? longDate(first) : `${longDate(first)} – ${longDate(last)}`;
}

/** Why a day is closed, in a sentence a person reads beside the date they chose. */
export function closureMessage(day: ClosureDay): string {
  if (day.kind === "bank-holiday") return `${longDate(day.date)} is ${day.name}, a bank holiday: the university is closed`;
  const span = day.period ? ` (${formatDateSpan(day.period.first, day.period.last)})` : "";
  return `${longDate(day.date)} falls in the ${day.name}${span}: the university is closed`;
}

/** The closure days a set of periods makes, with the bank holidays; answers for any date. */
export class ClosureCalendar {
  constructor(readonly periods: readonly ClosurePeriod[]) {}

  /** Why a London date is closed, or null when it is open. A bank holiday is named before a period that covers it. */
  on(date: string): ClosureDay | null {
    const holiday = bankHolidaysOf(Number(date.slice(0, 4))).get(date);
    if (holiday) return { date, name: holiday, kind: "bank-holiday" };
    const period = this.periods.find((p) => p.first <= date && date <= p.last);
    return period ? { date, name: period.name, kind: "closure", period: { first: period.first, last: period.last } } : null;
  }

  /** Every closed day from `first` to `last`, both included. */
  between(first: string, last: string): ClosureDay[] {
    const days: ClosureDay[] = [];
    for (let date = first; date <= last; date = addDays(date, 1)) {
      const day = this.on(date);
      if (day) days.push(day);
    }
    return days;
  }

  /**
   * What is closed from `first` for `months` months, as a person reads it: each bank holiday on its
   * own, each closure period once, soonest first.
   */
  upcoming(first: string, months = 12): { name: string; when: string }[] {
    const last = addMonths(first, months);
    const seen = new Set<string>();
    const list: { name: string; when: string; first: string }[] = [];
    for (const day of this.between(first, last)) {
      const key = day.period ? `${day.name}|${day.period.first}` : day.date;
      if (seen.has(key)) continue;
      seen.add(key);
      const start = day.period?.first ?? day.date;
      list.push({ name: day.name, when: day.period ? formatDateSpan(day.period.first, day.period.last) : longDate(day.date), first: start });
    }
    return list.map(({ name, when }) => ({ name, when }));
  }

  /** Why a session from `start` to `end` cannot be held then, or null. A session running past midnight is checked on both days. */
  refusal(start: Date, end: Date): string | null {
    for (const date of new Set([londonDateOf(start), londonDateOf(new Date(end.getTime() - 1))])) {
      const day = this.on(date);
      if (day) return closureMessage(day);
    }
    return null;
  }
}

const KEY = "closures";

/** The closure periods the coordinator keeps, soonest first. */
export async function listClosurePeriods(db: Kysely<Database>): Promise<ClosurePeriod[]> {
  const row = await db.selectFrom("settings").select("value_json").where("key", "=", KEY).executeTakeFirst();
  if (!row) return [];
  const parsed = ClosurePeriodListSchema.safeParse(JSON.parse(row.value_json));
  return parsed.success ? [...parsed.data].sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0)) : [];
}

export async function closureCalendar(db: Kysely<Database>): Promise<ClosureCalendar> {
  return new ClosureCalendar(await listClosurePeriods(db));
}

/**
 * Why a session at this time cannot be booked or scheduled: it is in the past, further ahead than
 * anyone plans, or on a closure day. Null when it can.
 */
export function sessionTimeProblem(closures: ClosureCalendar, start: Date, end: Date): string | null {
  if (start <= now()) return "Choose a time in the future";
  const horizon = addMonths(londonToday(), BOOKING_HORIZON_MONTHS);
  if (londonDateOf(start) > horizon) return `Choose a date up to ${BOOKING_HORIZON_MONTHS / 12} years ahead, by ${longDate(horizon)}`;
  return closures.refusal(start, end);
}

/** Refuses a session time with a RuleViolation beside `field`: the one check every way of booking or moving a session makes. */
export async function refuseSessionTime(db: Kysely<Database>, slot: { start: Date; end: Date }, field: string) {
  const problem = sessionTimeProblem(await closureCalendar(db), slot.start, slot.end);
  if (problem) throw new RuleViolation(field, problem);
}

/** The longest closure period the settings accept: a slip in the year would otherwise close the university for a decade. */
const LONGEST_PERIOD_DAYS = 366;

function assertMayManage(actor: SessionUser) {
  if (!hasPermission(actor.roles, "manage:reference-data")) throw new RuleViolation("forbidden", "Only the training coordinator can change the closure days.");
}

/** Writes the new list of closure periods and audits the change, in the transaction that read the old one. */
async function writeClosures(trx: Kysely<Database>, actor: SessionUser, periods: ClosurePeriod[], change: { added: boolean; period: ClosurePeriod }) {
  const { period } = change;
  await writeSetting(trx, KEY, periods, actor.id, nowIso());
  await recordAudit(trx, {
    actorUserId: actor.id,
    action: change.added ? "settings.closure_added" : "settings.closure_removed",
    entityType: "settings",
    entityId: KEY,
    summary: `${actor.name} ${change.added ? "added" : "removed"} the closure "${period.name}": ${formatDateSpan(period.first, period.last)}`,
    detail: period,
  });
}

/** Adds a closure period. Sessions already booked in it stay; new ones are refused from now on. */
export async function addClosurePeriod(db: Kysely<Database>, actor: SessionUser, input: ClosurePeriodInput): Promise<ClosurePeriod> {
  assertMayManage(actor);
  if (dateProblem(input.first)) throw new RuleViolation("first", dateProblem(input.first)!);
  if (dateProblem(input.last)) throw new RuleViolation("last", dateProblem(input.last)!);
  if (input.last < input.first) throw new RuleViolation("last", "The last day must be on or after the first day");
  if (daysBetween(input.first, input.last) >= LONGEST_PERIOD_DAYS) throw new RuleViolation("last", "A closure period lasts at most a year");
  const period: ClosurePeriod = { id: randomUUID(), name: input.name, first: input.first, last: input.last };
  await writeTransaction(db, async (trx) => {
    const periods = await listClosurePeriods(trx);
    if (periods.some((p) => p.name.toLowerCase() === period.name.toLowerCase() && p.first === period.first && p.last === period.last))
      throw new RuleViolation("name", "That closure is already on the list");
    await writeClosures(trx, actor, [...periods, period], { added: true, period });
  });
  return period;
}

/** Removes a closure period; the days open again for booking. */
export async function removeClosurePeriod(db: Kysely<Database>, actor: SessionUser, id: string) {
  assertMayManage(actor);
  await writeTransaction(db, async (trx) => {
    const periods = await listClosurePeriods(trx);
    const period = periods.find((p) => p.id === id);
    if (!period) throw new RuleViolation("form", "That closure is no longer on the list");
    await writeClosures(
      trx,
      actor,
      periods.filter((p) => p.id !== id),
      { added: false, period },
    );
  });
}
