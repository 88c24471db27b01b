import { describe, expect, it } from "vitest";
import { fileSlug, toCsv, UTF8_BOM } from "./csv.ts";

describe("toCsv", () => {
  it("starts with a byte-order mark and ends rows with CRLF", () => {
    expect(toCsv([["a", 1]])).toBe(`${UTF8_BOM}a,1\r\n`);
  });
  it("quotes commas, quotes and line breaks, doubling quotes", () => {
    expect(toCsv([['Smith, "Jo"', "two\nlines", "plain"]])).toBe(`${UTF8_BOM}"Smith, ""Jo""","two\nlines",plain\r\n`);
  });
  it("keeps text that a spreadsheet would run as a formula as text", () => {
    expect(toCsv([["=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)"]])).toBe(`${UTF8_BOM}"'=HYPERLINK(""http://x"")",'+1,'-2+3,'@SUM(A1)\r\n`);
    // Numbers are numbers, negative or not.
    expect(toCsv([[-20, 3.5]])).toBe(`${UTF8_BOM}-20,3.5\r\n`);
  });
  it("writes empty cells for missing values and non-finite numbers", () => {
    expect(toCsv([[null, undefined, Number.NaN, "x"]])).toBe(`${UTF8_BOM},,,x\r\n`);
  });
});

describe("fileSlug", () => {
  it("makes a safe file name part", () => {
    expect(fileSlug("Courses by popularity 2025–26")).toBe("courses-by-popularity-2025-26");
    expect(fileSlug('../"evil"')).toBe("evil");
  });
});
