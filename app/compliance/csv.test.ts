import { describe, expect, it } from "vitest";
import { CsvError, parseCsv, toCsv } from "./csv.ts";

describe("parseCsv", () => {
  it("reads plain rows with LF, CRLF or CR line ends, and ignores a last blank line", () => {
    expect(parseCsv("a,b\n1,2\n")).toEqual([["a", "b"], ["1", "2"]]);
    expect(parseCsv("a,b\r\n1,2\r\n")).toEqual([["a", "b"], ["1", "2"]]);
    expect(parseCsv("a,b\r1,2")).toEqual([["a", "b"], ["1", "2"]]);
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

describe("toCsv", () => {
  it("quotes what needs it, round-trips, and defuses spreadsheet formulas", () => {
    const rows = [["Name", "Note"], ["Dara O'Neill", 'Said "yes", then left\nearly'], ["=HYPERLINK(1)", null]];
    const text = toCsv(rows);
    expect(text).toBe('Name,Note\r\nDara O\'Neill,"Said ""yes"", then left\nearly"\r\n\'=HYPERLINK(1),\r\n');
    expect(parseCsv(text)).toEqual([["Name", "Note"], ["Dara O'Neill", 'Said "yes", then left\nearly'], ["'=HYPERLINK(1)", ""]]);
    expect(toCsv([[3, -2]])).toBe("3,-2\r\n");
  });
});
