import { formatDay } from "#app/utils/dates.ts";
import { formatInt, people, share, SMALL_NUMBER, text, type Figure } from "./figures.ts";

/**
 * Partner venues and staff teams by the share of their staff trained, for the impact report. A
 * venue with fewer than five people on its list shows neither its counts nor its share, nor whether
 * it is accredited, which would tell as much.
 */

export interface VenueCoverageFigures {
  asOf: string;
  thresholdPercent: number;
  venues: { name: string; kind: "partner_venue" | "staff_team"; counted: number; trained: number; accredited: boolean; accreditedUntil: string | null }[];
}

export interface VenueCoverageSection {
  table: { id: string; title: string; columns: string[]; rows: Figure[][] };
  sentence: string | null;
}

export function venueCoverageSection(f: VenueCoverageFigures): VenueCoverageSection | null {
  const listed = f.venues.filter((v) => v.counted > 0);
  if (listed.length === 0) return null;
  const small = (v: { counted: number }) => v.counted < SMALL_NUMBER;
  // By trained share, highest first; the small ones, whose shares are hidden, last and by name.
  const ordered = [...listed].sort((a, b) =>
    small(a) !== small(b)
      ? small(a)
        ? 1
        : -1
      : small(a)
        ? a.name.localeCompare(b.name)
        : b.trained / b.counted - a.trained / a.counted || a.name.localeCompare(b.name),
  );
  const accreditation = (v: VenueCoverageFigures["venues"][number]) =>
    small(v)
      ? `fewer than ${SMALL_NUMBER} staff`
      : v.accredited
        ? `Accredited${v.accreditedUntil ? ` until ${formatDay(v.accreditedUntil)}` : ""}`
        : "Not accredited";
  const counted = listed.reduce((n, v) => n + v.counted, 0);
  const trained = listed.reduce((n, v) => n + v.trained, 0);
  const accredited = listed.filter((v) => !small(v) && v.accredited).length;
  return {
    table: {
      id: "venue-coverage",
      title: `Partner venues and staff teams by trained share, on ${formatDay(f.asOf)}`,
      columns: ["Venue or staff team", "Staff", "Trained", "Share", "Accreditation"],
      rows: [
        [text("All venues and staff teams"), people(counted), people(trained), share(trained, counted), text(`${formatInt(accredited)} accredited`)],
        ...ordered.map((v) => [text(v.name), people(v.counted), people(v.trained), share(v.trained, v.counted), text(accreditation(v))]),
      ],
    },
    sentence:
      counted >= SMALL_NUMBER
        ? `${formatInt(accredited)} of ${formatInt(listed.length)} partner venues and staff teams ${accredited === 1 ? "is" : "are"} accredited, with at least ${f.thresholdPercent}% of their staff trained.`
        : null,
  };
}
