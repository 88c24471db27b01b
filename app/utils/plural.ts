/**
 * A count with its noun in the right form for British English: "1 trainer", "0 trainers",
 * "1,200 sessions". Every page and email says counts through here, so that no screen shows
 * "1 sessions" or "0 of 1 trainers".
 */

const rules = new Intl.PluralRules("en-GB");
const integer = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 1 });

/** A noun's forms. A single word stands for a noun whose plural adds "s" ("trainer" → "trainers"). */
export type Noun = string | { one: string; other: string };

const formsOf = (noun: Noun) => (typeof noun === "string" ? { one: noun, other: `${noun}s` } : noun);

/** The noun alone, in the form that agrees with n: ("trainer", 1) → "trainer", ("trainer", 0) → "trainers". */
export function nounFor(n: number, noun: Noun): string {
  const forms = formsOf(noun);
  return rules.select(n) === "one" ? forms.one : forms.other;
}

/** A number as a count reads: "1,200", "4.5" (at most one decimal place). */
export const formatCount = (n: number) => (Number.isInteger(n) ? integer : decimal).format(n);

/** "1 trainer", "2 trainers", "1,011 people" (with { one: "person", other: "people" }). */
export function plural(n: number, noun: Noun): string {
  return `${formatCount(n)} ${nounFor(n, noun)}`;
}

/** "0 of 1 trainer", "1 of 3 places": the noun agrees with the whole, which is what it counts. */
export function countOf(part: number, whole: number, noun: Noun): string {
  return `${formatCount(part)} of ${plural(whole, noun)}`;
}

/** "person"/"people": the forms used most often. */
export const PEOPLE: Noun = { one: "person", other: "people" };
