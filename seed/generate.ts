import type { Audience, OrganisationKind, Recommend } from "#db/schema.ts";
import type { Random } from "./random.ts";

/**
 * What the demo's history and the city-scale data set generate the same way: who a booking is for,
 * how a year's sessions are shared out, and how people answer the feedback form.
 */

export type CourseName = "Active Bystander" | "Unconscious Bias" | "Consent" | "Handling Disclosures";

/** `count` items in proportion to their weights (largest remainders first). */
export function shares<K>(weights: readonly (readonly [K, number])[], count: number): K[] {
  const total = weights.reduce((n, [, w]) => n + w, 0);
  const exact = weights.map(([k, w]) => ({ k, n: Math.floor((w * count) / total), rest: (w * count) / total - Math.floor((w * count) / total) }));
  let left = count - exact.reduce((n, e) => n + e.n, 0);
  for (const e of [...exact].sort((a, b) => b.rest - a.rest)) if (left-- > 0) e.n++;
  return exact.flatMap((e) => Array<K>(e.n).fill(e.k));
}

/**
 * Courses drawn from a shuffled bag per kind of booking, holding each course as many times as its
 * weight, so even a small year has the intended mix; an empty bag is filled again.
 */
export function courseBags<K extends string>(rng: Random, mix: Record<K, [CourseName, number][]>): (kind: K) => CourseName {
  const bags = new Map<K, CourseName[]>();
  return (kind) => {
    let bag = bags.get(kind);
    if (!bag?.length) {
      bag = rng.shuffle(mix[kind].flatMap(([course, weight]) => Array<CourseName>(weight).fill(course)));
      bags.set(kind, bag);
    }
    return bag.pop()!;
  };
}

/** Who a booking is for: venues train their staff; departments sometimes book Unconscious Bias for staff and students together. */
export function audienceOf(rng: Random, kind: OrganisationKind, course: CourseName): Audience {
  if (kind === "partner_venue") return "venue_staff";
  if (kind === "staff_team" || (kind === "department" && course === "Handling Disclosures")) return "staff";
  if (kind === "department" && course === "Unconscious Bias")
    return rng.weighted<Audience>([
      ["students", 6],
      ["mixed", 2],
      ["staff", 2],
    ]);
  return "students";
}

/**
 * The rating and the confidence before and after that go with an answer to "would you recommend":
 * ratings follow the answer; confidence mostly goes from 2–3 to 4–5 for those who would recommend,
 * and up by a point at most for the rest.
 */
export function feedbackScores(rng: Random, recommend: Recommend): { rating: number; before: number; after: number } {
  const rating =
    recommend === "yes"
      ? rng.weighted([
          [5, 55],
          [4, 40],
          [3, 5],
        ])
      : recommend === "not_sure"
        ? rng.weighted([
            [4, 35],
            [3, 50],
            [2, 15],
          ])
        : rng.weighted([
            [3, 35],
            [2, 45],
            [1, 20],
          ]);
  const before = rng.weighted([
    [1, 10],
    [2, 42],
    [3, 38],
    [4, 10],
  ]);
  const after =
    recommend === "yes"
      ? Math.max(
          before,
          rng.weighted([
            [3, 12],
            [4, 50],
            [5, 38],
          ]),
        )
      : Math.min(
          5,
          before +
            rng.weighted([
              [0, 50],
              [1, 50],
            ]),
        );
  return { rating, before, after };
}

/** What people say they will do differently after each course. */
export const DO_DIFFERENTLY: Record<CourseName, string[]> = {
  "Active Bystander": [
    "Use distraction when it is not safe to be direct.",
    "Check in with the person afterwards.",
    "Step in early instead of waiting for someone else to.",
    "Call out jokes in the group chat.",
    "Tell bar staff when something does not look right.",
  ],
  "Unconscious Bias": [
    "Slow down before making decisions about people.",
    "Notice who I ask to speak first in seminars.",
    "Question my first impressions.",
    "Use agreed criteria when choosing a team.",
  ],
  Consent: ["Ask, and listen to the answer.", "Check in rather than assume.", "Talk to my friends about consent.", "Know where to point someone for support."],
  "Handling Disclosures": [
    "Listen first, and not ask why they did not report it sooner.",
    "Let the person decide what happens next.",
    "Know the Report + Support route by heart.",
    "Look after myself after a difficult conversation.",
  ],
};

/** Comments left on the feedback form. */
export const COMMENTS = [
  "Really practical; the scenarios felt real.",
  "The trainer made a hard topic easy to talk about.",
  "Every club committee should do this.",
  "A bit long, but worth it.",
  "Good mix of discussion and examples.",
  "I wish I had done this in first year.",
  "Clear and well paced.",
  "The room was too warm.",
];
