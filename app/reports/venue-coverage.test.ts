import { describe, expect, it } from "vitest";
import { formatFigure } from "./figures.ts";
import { venueCoverageSection, type VenueCoverageFigures } from "./venue-coverage.ts";

const venue = (name: string, counted: number, trained: number, accredited = false, accreditedUntil: string | null = null) => ({
  name,
  kind: "partner_venue" as const,
  counted,
  trained,
  accredited,
  accreditedUntil,
});

const shown = (f: VenueCoverageFigures) => venueCoverageSection(f)!.table.rows.map((r) => r.map(formatFigure));

describe("venues and staff teams in the impact report", () => {
  it("lists them by trained share, and hides the counts, share and accreditation of a list of fewer than five", () => {
    const rows = shown({
      asOf: "2026-11-21",
      thresholdPercent: 80,
      venues: [
        venue("Komedia", 8, 5),
        venue("Moles", 10, 9, true, "2027-09-22"),
        venue("The Plug", 4, 4, true),
        venue("Empty Bar", 0, 0),
        venue("Advice Centre", 5, 5, true),
      ],
    });
    expect(rows).toEqual([
      ["All venues and staff teams", "27", "23", "85%", "2 accredited"],
      ["Advice Centre", "5", "5", "100%", "Accredited"],
      ["Moles", "10", "9", "90%", "Accredited until Wed 22 Sep 2027"],
      ["Komedia", "8", "5", "63%", "Not accredited"],
      ["The Plug", "fewer than 5", "fewer than 5", "fewer than 5", "fewer than 5 staff"],
    ]);
  });

  it("says how many are accredited, but not when the lists together hold fewer than five people", () => {
    expect(venueCoverageSection({ asOf: "2026-11-21", thresholdPercent: 75, venues: [venue("Moles", 10, 9, true), venue("Komedia", 8, 5)] })!.sentence).toBe(
      "1 of 2 partner venues and staff teams is accredited, with at least 75% of their staff trained.",
    );
    expect(venueCoverageSection({ asOf: "2026-11-21", thresholdPercent: 80, venues: [venue("Tiny", 3, 3, true)] })!.sentence).toBeNull();
    expect(venueCoverageSection({ asOf: "2026-11-21", thresholdPercent: 80, venues: [venue("Empty", 0, 0)] })).toBeNull();
  });
});
