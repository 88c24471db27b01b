import { nounFor, plural } from "#app/utils/plural.ts";

/** A trainer's weekly limit as it works: the number of sessions, and whether it is their own or the default in the settings. */
export interface WeeklyLimit {
  sessions: number;
  own: boolean;
}

/** A trainer's own limit when they have one (null: none), otherwise the default. */
export function effectiveLimit(own: number | null | undefined, defaultLimit: number): WeeklyLimit {
  return own == null ? { sessions: defaultLimit, own: false } : { sessions: own, own: true };
}

/** "4 a week (the default)", "2 a week (their own)". */
export function describeLimit(limit: WeeklyLimit): string {
  return `${plural(limit.sessions, "session")} a week (${limit.own ? "their own" : "the default"})`;
}

/** Who a change to the default weekly limit reaches: the active trainers, and how many of them have a limit of their own. */
export interface DefaultLimitReach {
  defaultLimit: number;
  trainers: number;
  withOwnLimit: number;
}

/** "Applies to the 5 trainers who have no limit of their own; 2 trainers have their own limit.", for the settings page. */
export function describeReach(r: DefaultLimitReach): string {
  const following = r.trainers - r.withOwnLimit;
  if (r.trainers === 0) return "Applies to each trainer who has no limit of their own (there are no trainers yet).";
  const applies =
    following === 0
      ? "Applies to trainers who have no limit of their own: at the moment every trainer has one"
      : `Applies to trainers who have no limit of their own (${plural(following, { one: "trainer follows", other: "trainers follow" })} it)`;
  const own = r.withOwnLimit === 0 ? "" : `; ${plural(r.withOwnLimit, { one: "trainer has", other: "trainers have" })} their own limit, set on their page`;
  return `${applies}${own}.`;
}

/** The confirmation after the settings are saved: what the default limit now does. */
export function reachAfterSaving(r: DefaultLimitReach): string {
  const following = r.trainers - r.withOwnLimit;
  if (r.trainers === 0) return `The weekly limit of ${r.defaultLimit} will apply to each trainer without a limit of their own; there are none yet.`;
  const reaches =
    following === 0
      ? `The weekly limit of ${r.defaultLimit} reaches no trainer yet: every trainer has their own limit.`
      : `${plural(following, "trainer")} without a limit of their own now ${nounFor(following, { one: "has", other: "have" })} a limit of ${plural(r.defaultLimit, "session")} a week.`;
  const kept = r.withOwnLimit && following ? ` ${plural(r.withOwnLimit, { one: "trainer keeps", other: "trainers keep" })} their own.` : "";
  return `${reaches}${kept}`;
}
