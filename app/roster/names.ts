/**
 * Names as a register and a roster write them rarely agree to the letter ("Dara O'Neill", "DARA ONEILL");
 * near-misses and group names are compared by this form instead.
 */

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const ALREADY_PLAIN = /^[a-z0-9]+(?: [a-z0-9]+)*$/;

/** Names compared for near-misses: case, accents, punctuation and spacing ignored. */
export function normaliseName(name: string): string {
  // Most names on a register are plain ASCII, where this is the same as the Unicode steps below and
  // far quicker: near-misses compare every name on the registers.
  if (PRINTABLE_ASCII.test(name)) {
    const lower = name.toLowerCase();
    return ALREADY_PLAIN.test(lower)
      ? lower
      : lower
          .replace(/[^a-z0-9 ]/g, "")
          .replace(/ +/g, " ")
          .trim();
  }
  return name
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, "")
    .replace(/\s+/g, " ")
    .trim();
}
