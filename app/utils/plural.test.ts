import { describe, expect, it } from "vitest";
import { countOf, nounFor, plural, PEOPLE } from "./plural.ts";

describe("plural", () => {
  it("uses the singular for exactly one and the plural for everything else", () => {
    expect(plural(1, "trainer")).toBe("1 trainer");
    expect(plural(0, "trainer")).toBe("0 trainers");
    expect(plural(2, "trainer")).toBe("2 trainers");
    expect(plural(1.5, "hour")).toBe("1.5 hours");
  });

  it("takes irregular forms and groups thousands the British way", () => {
    expect(plural(1, PEOPLE)).toBe("1 person");
    expect(plural(1011, PEOPLE)).toBe("1,011 people");
    expect(plural(3, { one: "society", other: "societies" })).toBe("3 societies");
  });

  it("gives the noun alone for sentences that put the count elsewhere", () => {
    expect(nounFor(1, "session")).toBe("session");
    expect(nounFor(7, "session")).toBe("sessions");
  });
});

describe("countOf", () => {
  it("makes the noun agree with the whole, not the part", () => {
    expect(countOf(0, 1, "trainer")).toBe("0 of 1 trainer");
    expect(countOf(1, 2, "trainer")).toBe("1 of 2 trainers");
    expect(countOf(2, 2, "place")).toBe("2 of 2 places");
    expect(countOf(1200, 3000, "leader")).toBe("1,200 of 3,000 leaders");
  });
});
