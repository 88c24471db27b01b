import { describe, expect, it } from "vitest";
import { CsvError, fileSlug, parseCsv, toCsv, UTF8_BOM } from "./csv.ts";

describe("toCsv", () => {
  it("starts with a byte-order mark and ends rows with CRLF", () => {
    expect(toCsv([["a", 1]])).toBe(`${UTF8_BOM}a,1\r\n`);
  });
  it("quotes commas, quotes and line breaks, doubling quotes", () => {
    expect(toCsv([['Smith, "Jo"', "two\nlines", "plain"]])).toBe(`${UTF8_BOM}"Smith, ""Jo""","two\nlines",plain\r\n`);
  });
  it("keeps text that a spreadsheet would run as a formula as text", () => {
    expect(toCsv([['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)"]])).toBe(`${UTF8_BOM}"'=HYPERLINK(""http://x"")",'+1,'-2+3,'@SUM(A1)\r\n`);
    // After spaces, in full-width forms, or behind a tab or line break, a formula is still a formula.
    expect(toCsv([[" =1+1", "\u00a0@x", "＝1+1", "＋1", "\n=1", "\t1"]])).toBe(`${UTF8_BOM}' =1+1,'\u00a0@x,'＝1+1,'＋1,"'\n=1",'\t1\r\n`);
    expect(toCsv([["a=b", "x-1", "e@mail"]])).toBe(`${UTF8_BOM}a=b,x-1,e@mail\r\n`);
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
    expect(fileSlug("Société Générale\r\nX")).toBe("société-générale-x");
  });
});

describe("parseCsv", () => {
  it("reads plain rows with LF, CRLF or CR line ends, and ignores a last blank line", () => {
    expect(parseCsv("a,b\n1,2\n")).toEqual([
      ["a", "b"],
      ["1", "2"],
    ]);
    expect(parseCsv("a,b\r\n1,2\r\n")).toEqual([
      ["a", "b"],
      ["1", "2"],
    ]);
    expect(parseCsv("a,b\r1,2")).toEqual([
      ["a", "b"],
      ["1", "2"],
    ]);
  });

  it("drops Excel's byte order mark", () => {
    expect(parseCsv("\uFEFFName,Email\r\n")).toEqual([["Name", "Email"]]);
  });

  it("reads quoted fields with commas, doubled quotes and line breaks", () => {
    expect(parseCsv('"O\'Neill, Dara","She said ""hi""","line one\r\nline two"\r\nx,,"" \n')).toEqual([
      ["O'Neill, Dara", 'She said "hi"', "line one\r\nline two"],
      ["x", "", " "],
    ]);
  });

  it("keeps empty fields and blank lines as records", () => {
    expect(parseCsv("a,,c\n\n,\n")).toEqual([["a", "", "c"], [""], ["", ""]]);
  });

  it("refuses a file that ends inside quotes", () => {
    expect(() => parseCsv('a,"b\n1,2\n')).toThrow(CsvError);
  });
});

describe("toCsv and parseCsv", () => {
  it("round-trip, with the formula defused", () => {
    const rows = [
      ["Name", "Note"],
      ["Dara O'Neill", 'Said "yes", then left\nearly'],
      ["=HYPERLINK(1)", null],
    ];
    expect(parseCsv(toCsv(rows))).toEqual([
      ["Name", "Note"],
      ["Dara O'Neill", 'Said "yes", then left\nearly'],
      ["'=HYPERLINK(1)", ""],
    ]);
  });
});
