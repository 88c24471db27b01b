import { describe, expect, it } from "vitest";
import { courseBags, shares, type CourseName } from "./generate.ts";
import { Random } from "./random.ts";

const tally = <K>(items: K[]) => items.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<K, number>());

describe("sharing out a year", () => {
  it("gives exactly the count asked for, the largest remainders rounding up", () => {
    const kinds = shares(
      [
        ["department", 5],
        ["society", 3],
        ["venue", 2],
      ] as const,
      7,
    );
    expect(kinds).toHaveLength(7);
    // 3.5, 2.1 and 1.4: the department's half rounds up before the venue's 0.4.
    expect(Object.fromEntries(tally(kinds))).toEqual({ department: 4, society: 2, venue: 1 });
  });

  it("draws every course in a kind's bag as often as its weight before drawing any again", () => {
    const next = courseBags(new Random(1), {
      department: [
        ["Unconscious Bias", 3],
        ["Consent", 1],
      ],
      open: [["Active Bystander", 1]],
    } satisfies Record<string, [CourseName, number][]>);
    const round = (n: number) => Array.from({ length: n }, () => next("department"));
    expect(Object.fromEntries(tally(round(4)))).toEqual({ "Unconscious Bias": 3, Consent: 1 });
    expect(next("open")).toBe("Active Bystander");
    expect(Object.fromEntries(tally(round(4)))).toEqual({ "Unconscious Bias": 3, Consent: 1 });
  });
});
