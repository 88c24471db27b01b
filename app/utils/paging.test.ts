import { describe, expect, it } from "vitest";
import { pageHref, pageWindow } from "./paging.ts";

describe("pages of a list", () => {
  it("say which rows each page shows", () => {
    expect(pageWindow(20_000, 1, 25)).toEqual({ total: 20_000, pages: 800, current: 1, first: 1, last: 25, offset: 0, size: 25 });
    expect(pageWindow(250, 3, 100)).toEqual({ total: 250, pages: 3, current: 3, first: 201, last: 250, offset: 200, size: 100 });
    expect(pageWindow(120, 3)).toEqual({ total: 120, pages: 3, current: 3, first: 101, last: 120, offset: 100, size: 50 });
  });
  it("keep a page past the end on the last page, and an empty list on page 1", () => {
    expect(pageWindow(250, 9, 100)).toMatchObject({ current: 3, first: 201, last: 250 });
    expect(pageWindow(0, 5)).toMatchObject({ total: 0, pages: 1, current: 1, first: 0, last: 0, offset: 0 });
    expect(pageWindow(10, -2)).toMatchObject({ current: 1, first: 1, last: 10 });
  });
  it("link to another page keeping the filters, with no page number for the first", () => {
    expect(pageHref("status=overdue&page=3", 4)).toBe("?status=overdue&page=4");
    expect(pageHref("status=overdue&page=3", 1)).toBe("?status=overdue");
    expect(pageHref("", 1)).toBe("?");
  });
});
