/**
 * The spellings a name, an address or a student ID takes once stored: as typed, or with a curly
 * apostrophe; HTML-escaped the way React escapes it (and the other common ways), inside a JSON
 * string (audit details), percent-encoded in a link; in either Unicode normal form (an accented
 * letter typed as one character or as a letter and a combining accent). Erasure and the data export
 * look for every one of them; letter case is ignored when matching.
 *
 * Encoded copies inside stored raw MIME (quoted-printable, base64) are not spelled out here: a
 * message that mentions the person has its raw copy and attachments removed (see erase.server.ts).
 */

const APOSTROPHES = ["'", "\u2019", "\u2018", "\u02BC"];
const APOSTROPHE = /['\u2018\u2019\u02BC]/g;

const HTML_STYLES: ((s: string) => string)[] = [
  // React, and so every email and page this app renders.
  (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#x27;"),
  (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;"),
  (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;"),
  (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#039;"),
  // Every character outside ASCII as a numeric reference too.
  (s) => s.replace(/[&<>"'\u0080-\uFFFF]/g, (c) => `&#${c.charCodeAt(0)};`),
  (s) => s.replace(/[&<>"'\u0080-\uFFFF]/g, (c) => `&#x${c.charCodeAt(0).toString(16)};`),
];

const jsonString = (s: string) => JSON.stringify(s).slice(1, -1);
const jsonAscii = (s: string) => jsonString(s).replace(/[\u0080-\uFFFF]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

const ENCODINGS: ((s: string) => string)[] = [
  (s) => s,
  ...HTML_STYLES,
  jsonString,
  jsonAscii,
  (s) => encodeURIComponent(s),
  (s) => encodeURIComponent(s).replace(/%20/g, "+"),
];

export interface StoredReplacement {
  /** One stored spelling of what is being replaced. */
  from: string;
  /** What replaces it, encoded the same way. */
  to: string;
}

/**
 * Every stored spelling of `value`, each paired with `replacement` spelled the same way, longest
 * first (so an escaped spelling is replaced before any shorter one inside it).
 */
export function storedForms(value: string, replacement = ""): StoredReplacement[] {
  const out = new Map<string, string>();
  const bases = APOSTROPHE.test(value) ? APOSTROPHES.map((a) => value.replace(APOSTROPHE, a)) : [value];
  for (const base of bases) {
    for (const encode of ENCODINGS) {
      for (const form of ["NFC", "NFD"] as const) {
        const from = encode(base.normalize(form));
        if (from && !out.has(from)) out.set(from, encode(replacement.normalize(form)));
      }
    }
  }
  return [...out].map(([from, to]) => ({ from, to })).sort((a, b) => b.from.length - a.from.length);
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Matches `form` as a whole word: not inside a longer word, nor (for an address) inside a longer
 * address. So a short name ("Amir", "Li") is found where it stands alone and nowhere else.
 */
export function wholeWord(form: string): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{N}\\p{M}_.+%-])${escapeRegExp(form)}(?![\\p{L}\\p{N}\\p{M}_-]|\\.[\\p{L}\\p{N}])`, "giu");
}

/** Whether `text` holds any of the forms as a whole word, in any letter case. */
export function mentions(text: string | null | undefined, forms: readonly StoredReplacement[]): boolean {
  if (!text) return false;
  return forms.some(({ from }) => wholeWord(from).test(text));
}

/** `text` with every whole-word form replaced, in any letter case. */
export function replaceForms(text: string, forms: readonly StoredReplacement[]): string {
  let out = text;
  for (const { from, to } of forms) out = out.replace(wholeWord(from), () => to);
  return out;
}

const asciiLower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

/**
 * The spellings to look for with `lower(column) LIKE` before checking each candidate properly.
 * SQLite's lower() changes only ASCII letters, so each form is also given with its other letters
 * as typed, all lower case and all capitals.
 */
export function likeNeedles(forms: readonly StoredReplacement[]): string[] {
  return [...new Set(forms.flatMap(({ from }) => [asciiLower(from), asciiLower(from.toLowerCase()), asciiLower(from.toUpperCase())]))];
}

/** Needles a few dozen at a time: one SQL condition per needle, and SQLite limits how deep a condition may nest. */
export function needleBatches(needles: readonly string[], size = 60): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < needles.length; i += size) out.push(needles.slice(i, i + size));
  return out;
}
