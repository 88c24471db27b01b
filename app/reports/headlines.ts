import type { OrganisationKind } from "#db/schema.ts";
import { formatInt, roundPercent, SMALL_NUMBER } from "./figures.ts";
import type { PeriodFigures } from "./impact.server.ts";
import { plural, PEOPLE } from "#app/utils/plural.ts";

/** "A", "A and B", "A, B and C". */
export function joinAnd(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const ORG_NOUNS: [OrganisationKind, string, string][] = [
  ["department", "academic department", "academic departments"],
  ["sports_club", "sports club", "sports clubs"],
  ["society", "society", "societies"],
  ["leader_programme", "student-leader programme", "student-leader programmes"],
  ["partner_venue", "partner venue", "partner venues"],
  ["staff_team", "staff team", "staff teams"],
];

/** "94% more than", "12% fewer than", "about the same as": a count against the year before. */
function comparedWith(now: number, before: number): string | null {
  if (before < SMALL_NUMBER || now < SMALL_NUMBER) return null;
  const pct = Math.round((100 * (now - before)) / before);
  if (pct === 0) return "about the same as";
  return `${formatInt(Math.abs(pct))}% ${pct > 0 ? "more" : "fewer"} than`;
}

const oneDp = (n: number) => (Math.round(n * 10) / 10).toFixed(1);

/**
 * The campaign's sentences, written from the figures: correct plurals, careful rounding, and
 * nothing said about fewer than five people.
 */
export function headlines(opts: { label: string; previousLabel: string; current: PeriodFigures; previous: PeriodFigures; oneCourse: boolean }): string[] {
  const { current: c, previous: p } = opts;
  const out: string[] = [];

  if (c.people === 0) {
    out.push(c.sessionsDelivered === 0 ? `No training was delivered in ${opts.label}.` : `No attendance was recorded in ${opts.label}.`);
    return out;
  }
  if (c.people < SMALL_NUMBER) out.push(`Fewer than ${SMALL_NUMBER} people attended training in ${opts.label}.`);
  else {
    const vs = comparedWith(c.people, p.people);
    out.push(
      vs ? `${plural(c.people, PEOPLE)} attended training, ${vs} in ${opts.previousLabel}.` : `${plural(c.people, PEOPLE)} attended training in ${opts.label}.`,
    );
  }
  if (c.sessionsDelivered > 0 && c.attendances >= SMALL_NUMBER) {
    out.push(
      `${capitalise(plural(c.sessionsDelivered, { one: "session was", other: "sessions were" }))} delivered, with ${plural(c.attendances, "attendance")} in all.`,
    );
  }

  if (!opts.oneCourse) {
    const popular = c.courses.filter((x) => x.attendances > 0).slice(0, 2);
    if (popular.length === 1) out.push(`The most popular session was ${popular[0]!.name}.`);
    if (popular.length === 2) out.push(`The most popular sessions were ${popular[0]!.name} and ${popular[1]!.name}.`);
  }

  const orgParts = ORG_NOUNS.flatMap(([kind, one, many]) => {
    const n = c.organisations.get(kind)?.length ?? 0;
    return n > 0 ? [plural(n, { one, other: many })] : [];
  });
  if (orgParts.length) {
    const total = ORG_NOUNS.reduce((sum, [kind]) => sum + (c.organisations.get(kind)?.length ?? 0), 0);
    out.push(`${capitalise(joinAnd(orgParts))} booked training${total > 1 && orgParts.length > 1 ? ` (${formatInt(total)} organisations in all)` : ""}.`);
  }

  const f = c.feedback;
  if (f.recommendAnswered >= SMALL_NUMBER) {
    out.push(
      `${roundPercent(f.recommendYes, f.recommendAnswered)} of the ${formatInt(f.recommendAnswered)} who gave feedback would recommend a session to a friend.`,
    );
  }
  if (f.paired >= SMALL_NUMBER) {
    out.push(
      `Confidence rose for ${roundPercent(f.rose, f.paired)} of the ${formatInt(f.paired)} who rated it before and after: on average from ${oneDp(f.sumBefore / f.paired)} to ${oneDp(f.sumAfter / f.paired)} out of 5.`,
    );
  }
  if (f.responses >= SMALL_NUMBER && c.attendances > 0) {
    out.push(`${plural(f.responses, PEOPLE)} gave feedback: a response rate of ${roundPercent(Math.min(f.responses, c.attendances), c.attendances)}.`);
  }
  return out;
}
