/**
 * One number in a report, kept raw until it is shown, so the page, the CSV and the sentences all
 * round the same way and all hide the same small numbers.
 *
 * The small-number rule: a figure about people that rests on fewer than five of them is shown as
 * "fewer than 5", never as the number, so nobody can be picked out of a small group.
 */
export const SMALL_NUMBER = 5;
export const SUPPRESSED = "fewer than 5";

export type Figure =
  | { kind: "text"; text: string }
  /** Sessions, hours, organisations: not about individual people. */
  | { kind: "count"; n: number }
  | { kind: "hours"; minutes: number }
  /** A number of people (or attendances): hidden from 1 to 4. */
  | { kind: "people"; n: number }
  /** part / whole, where whole is a number of people. */
  | { kind: "share"; part: number; whole: number }
  /** A mean of answers on a 1–5 scale from `n` people. */
  | { kind: "mean"; sum: number; n: number }
  /** Change in a count against the period before. */
  | { kind: "change"; now: Figure; before: Figure }
  | { kind: "none" };

export const text = (t: string): Figure => ({ kind: "text", text: t });
export const count = (n: number): Figure => ({ kind: "count", n });
export const hours = (minutes: number): Figure => ({ kind: "hours", minutes });
export const people = (n: number): Figure => ({ kind: "people", n });
export const share = (part: number, whole: number): Figure => ({ kind: "share", part, whole });
export const mean = (sum: number, n: number): Figure => ({ kind: "mean", sum, n });
export const change = (now: Figure, before: Figure): Figure => ({ kind: "change", now, before });
export const none: Figure = { kind: "none" };

const intFmt = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 0 });
const oneDp = new Intl.NumberFormat("en-GB", { minimumFractionDigits: 1, maximumFractionDigits: 1 });

export const formatInt = (n: number) => intFmt.format(n);
/** "4.0", "3.5": a mean as the reports give it, always to one decimal place. */
export const formatOneDecimal = (n: number) => oneDp.format(n);

/** Whether a figure must be hidden under the small-number rule. */
export function isSuppressed(f: Figure): boolean {
  switch (f.kind) {
    case "people":
      return f.n > 0 && f.n < SMALL_NUMBER;
    case "share":
      return f.whole > 0 && f.whole < SMALL_NUMBER;
    case "mean":
      return f.n > 0 && f.n < SMALL_NUMBER;
    case "change":
      return isSuppressed(f.now) || isSuppressed(f.before);
    default:
      return false;
  }
}

/**
 * A whole-number percentage that never overstates: 99.6% of people is "99%", not "100%" (someone
 * did not), and 0.3% is "less than 1%", not "0%" (someone did).
 */
export function roundPercent(part: number, whole: number): string {
  if (whole <= 0) return "";
  const exact = (100 * part) / whole;
  let r = Math.round(exact);
  if (r === 100 && part < whole) r = 99;
  if (r === 0 && part > 0) return "less than 1%";
  return `${r}%`;
}

/** The value a figure is compared by (for change): null when there is nothing to compare. */
function numeric(f: Figure): number | null {
  switch (f.kind) {
    case "count":
    case "people":
      return f.n;
    case "hours":
      return f.minutes;
    case "share":
      return f.whole > 0 ? (100 * f.part) / f.whole : null;
    case "mean":
      return f.n > 0 ? f.sum / f.n : null;
    default:
      return null;
  }
}

/** "+94%", "−12%", "no change", "new": how a count moved; shares move in percentage points. */
export function formatChange(now: Figure, before: Figure): string {
  if (isSuppressed(now) || isSuppressed(before)) return "";
  const a = numeric(now);
  const b = numeric(before);
  if (a === null || b === null) return "";
  if (now.kind === "share") {
    const pts = Math.round(a) - Math.round(b);
    return pts === 0 ? "no change" : `${pts > 0 ? "+" : "−"}${Math.abs(pts)} pts`;
  }
  if (now.kind === "mean") {
    const d = Math.round((a - b) * 10) / 10;
    return d === 0 ? "no change" : `${d > 0 ? "+" : "−"}${oneDp.format(Math.abs(d))}`;
  }
  if (b === 0) return a === 0 ? "no change" : "new";
  const pct = Math.round((100 * (a - b)) / b);
  return pct === 0 ? "no change" : `${pct > 0 ? "+" : "−"}${intFmt.format(Math.abs(pct))}%`;
}

/** How a figure reads on the page and in print. */
export function formatFigure(f: Figure): string {
  // A change against a hidden figure is left blank: the hidden figure says why.
  if (f.kind === "change") return formatChange(f.now, f.before);
  if (isSuppressed(f)) return SUPPRESSED;
  switch (f.kind) {
    case "text":
      return f.text;
    case "count":
    case "people":
      return intFmt.format(f.n);
    case "hours":
      return intFmt.format(Math.round(f.minutes / 60));
    case "share":
      return f.whole > 0 ? roundPercent(f.part, f.whole) : "–";
    case "mean":
      return f.n > 0 ? oneDp.format(f.sum / f.n) : "–";
    case "none":
      return "";
  }
}

/** How a figure goes into a CSV: plain numbers a spreadsheet can add up, the same words where hidden. */
export function csvFigure(f: Figure): string | number {
  if (f.kind === "change") return csvChange(f.now, f.before);
  if (isSuppressed(f)) return SUPPRESSED;
  switch (f.kind) {
    case "count":
    case "people":
      return f.n;
    case "hours":
      return Math.round((f.minutes / 60) * 10) / 10;
    case "share":
      return f.whole > 0 ? Math.round((1000 * f.part) / f.whole) / 10 : "";
    case "mean":
      return f.n > 0 ? Math.round((100 * f.sum) / f.n) / 100 : "";
    default:
      return formatFigure(f);
  }
}

/** A change as a number a spreadsheet can use: per cent for counts, points for shares and means. */
function csvChange(now: Figure, before: Figure): string | number {
  if (isSuppressed(now) || isSuppressed(before)) return "";
  const a = numeric(now);
  const b = numeric(before);
  if (a === null || b === null) return "";
  if (now.kind === "share") return Math.round((a - b) * 10) / 10;
  if (now.kind === "mean") return Math.round((a - b) * 100) / 100;
  if (b === 0) return a === 0 ? 0 : "new";
  return Math.round((1000 * (a - b)) / b) / 10;
}

/** The number a chart draws for a figure; null when hidden or empty. */
export function chartValue(f: Figure): number | null {
  if (isSuppressed(f)) return null;
  return numeric(f);
}
