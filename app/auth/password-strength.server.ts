import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import { PASSPHRASE_ADVICE } from "./password-advice.ts";

/**
 * Whether a new password is too easy to guess, judged offline by zxcvbn-ts (common passwords,
 * names, words, keyboard patterns, dates, repeats) against the person's own name and address and the
 * product's own words. Every place a password is chosen asks this; passwords set directly (the demo
 * seed) do not.
 *
 * A password must need about a billion guesses (10^9) both as typed and with the person's name,
 * address and the product's name taken out: "NeverOK Training 2026!" is only "2026!" to an attacker
 * who knows where they are. Only the first 40 characters are judged: a longer password that starts
 * well is strong, and zxcvbn's time grows quickly with length.
 */
const MIN_GUESSES_LOG10 = 9;
const JUDGED_LENGTH = 40;
const PRODUCT_WORDS = ["neverok", "never ok", "training", "campaign"];

// The word lists take about 10 MB of memory, and 23 MB once ready to judge: a server process loads
// them when a password is first chosen, not when it starts.
let factory: Promise<ZxcvbnFactory> | undefined;
function zxcvbn(): Promise<ZxcvbnFactory> {
  factory ??= Promise.all([import("@zxcvbn-ts/language-common"), import("@zxcvbn-ts/language-en")]).then(
    ([common, en]) =>
      new ZxcvbnFactory({
        dictionary: { ...common.dictionary, ...en.dictionary },
        graphs: common.adjacencyGraphs,
        translations: en.translations,
        maxLength: JUDGED_LENGTH,
      }),
    (error: unknown) => {
      factory = undefined;
      throw error;
    },
  );
  return factory;
}

const SEPARATORS = /[\s\-_.,;:'"+@/\\|]+/g;
const squash = (s: string) => s.toLowerCase().replace(SEPARATORS, "");

/** The words an attacker who knows the person and this site would try first. */
function personalWords(person: { name?: string | null; email?: string | null }): string[] {
  const words = new Set<string>(PRODUCT_WORDS.map(squash));
  const name = person.name?.toLowerCase() ?? "";
  const [local = "", domain = ""] = (person.email?.toLowerCase() ?? "").split("@");
  for (const part of [...name.split(/[^\p{L}\p{N}]+/u), ...local.split(/[^\p{L}]+/u), ...domain.split(".")]) {
    if (part.length >= 3) words.add(part);
  }
  if (squash(name).length >= 3) words.add(squash(name));
  if (squash(local).length >= 3) words.add(squash(local));
  return [...words].sort((a, b) => b.length - a.length);
}

/**
 * null when the password is strong enough; otherwise a message for beside the field saying what is
 * wrong and how to choose a better one.
 */
export async function passwordProblem(password: string, person: { name?: string | null; email?: string | null } = {}): Promise<string | null> {
  const words = personalWords(person);
  const judge = await zxcvbn();
  const asTyped = judge.check(password, words);
  let remainder = squash(password);
  for (const w of words) remainder = remainder.split(w).join("");
  const withoutThem = remainder ? judge.check(remainder, words).guessesLog10 : 0;
  if (Math.min(asTyped.guessesLog10, withoutThem) >= MIN_GUESSES_LOG10) return null;

  const mostlyPersonal = remainder.length < squash(password).length / 2;
  const why = mostlyPersonal
    ? "It is mostly your name, your email address or the name of this site, which anyone could guess."
    : asTyped.feedback.warning && asTyped.guessesLog10 < MIN_GUESSES_LOG10
      ? `${asTyped.feedback.warning}`
      : "It would be quick to guess with the lists of words and patterns attackers use.";
  return `This password is too easy to guess. ${why} ${PASSPHRASE_ADVICE}`;
}
