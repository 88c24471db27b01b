import { describe, expect, it } from "vitest";
import { byName, compareText } from "./text-order.ts";

describe("compareText", () => {
  it("orders as a reader does: case and accents do not come first", () => {
    expect(["Zoë", "bea", "Adam", "émile", "Chloe"].sort(compareText)).toEqual(["Adam", "bea", "Chloe", "émile", "Zoë"]);
  });

  it("sees text that differs only in case or accents as the same", () => {
    expect(compareText("Zoë Adams", "zoe adams")).toBe(0);
    expect(compareText("de Souza", "De Souza")).toBe(0);
    expect(compareText("Siân", "Sian")).toBe(0);
  });
});

describe("byName", () => {
  it("sorts anything with a name by it", () => {
    const people = [{ name: "Ömer" }, { name: "amira" }, { name: "Noah" }];
    expect([...people].sort(byName).map((p) => p.name)).toEqual(["amira", "Noah", "Ömer"]);
  });
});
