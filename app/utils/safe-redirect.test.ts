import { describe, expect, it } from "vitest";
import { safeRedirect } from "./safe-redirect.ts";

/** Each would take the browser to another site, or break the Location header, if passed through. */
const HOSTILE: [string, unknown][] = [
  ["absolute URL", "https://evil.example/"],
  ["scheme-relative", "//evil.example"],
  ["three slashes", "///evil.example"],
  ["backslash after slash", "/\\evil.example"],
  ["two backslashes", "\\\\evil.example"],
  ["backslash later in the path", "/coordinator\\..\\\\evil.example"],
  ["tab between slashes", "/\t/evil.example"],
  ["line feed between slashes", "/\n/evil.example"],
  ["carriage return between slashes", "/\r/evil.example"],
  ["CR LF header injection", "/account\r\nSet-Cookie: neverok_session=x"],
  ["bare LF at the end", "/account\n"],
  ["NUL", "/account\u0000"],
  ["DEL", "/\u007f/evil.example"],
  ["C1 control", "/\u0085/evil.example"],
  ["leading space", " /account"],
  ["leading space before slashes", " //evil.example"],
  ["no-break space", "/\u00a0/evil.example"],
  ["zero-width space", "/\u200b/evil.example"],
  ["line separator", "/\u2028/evil.example"],
  ["byte-order mark", "\ufeff//evil.example"],
  ["encoded slash", "/%2F/evil.example"],
  ["encoded slashes", "/%2f%2fevil.example"],
  ["fully encoded slashes", "%2F%2Fevil.example"],
  ["encoded backslash", "/%5Cevil.example"],
  ["double-encoded slash", "/%252F/evil.example"],
  ["triple-encoded slash", "/%25252F/evil.example"],
  ["encoded CR LF", "/account%0d%0aSet-Cookie:%20x=1"],
  ["encoded tab", "/%09/evil.example"],
  ["encoded NUL", "/account%00"],
  ["malformed escape", "/account%E0%A4%A"],
  ["dot segment to scheme-relative", "/..//evil.example"],
  ["encoded dot segment to scheme-relative", "/.%2e//evil.example"],
  ["javascript: URL", "javascript:alert(document.cookie)"],
  ["data: URL", "data:text/html,<script>alert(1)</script>"],
  ["scheme with one slash", "http:/evil.example"],
  ["scheme without slashes", "https:evil.example"],
  ["relative path", "account"],
  ["query only", "?redirectTo=//evil.example"],
  ["fragment only", "#//evil.example"],
  ["empty", ""],
  ["far too long", `/${"a".repeat(5000)}`],
  ["not a string", ["/account"]],
  ["undefined", undefined],
  ["null", null],
];

const SAFE: [string, string, string][] = [
  ["a page", "/coordinator/people", "/coordinator/people"],
  ["a page with a query and fragment", "/coordinator/people?page=2&q=sam#list", "/coordinator/people?page=2&q=sam#list"],
  ["the home page", "/", "/"],
  ["non-ASCII, percent-encoded so the header stays valid", "/caf\u00e9/\u20ac", "/caf%C3%A9/%E2%82%AC"],
  ["dot segments inside the site", "/coordinator/../account", "/account"],
  ["an encoded character that is harmless", "/officer/groups/Rugby%20Club", "/officer/groups/Rugby%20Club"],
];

describe("safeRedirect", () => {
  it.each(HOSTILE)("refuses %s", (_label, value) => {
    expect(safeRedirect(value)).toBe("/");
    expect(safeRedirect(value, "/account")).toBe("/account");
  });

  it.each(SAFE)("keeps %s", (_label, value, expected) => {
    expect(safeRedirect(value)).toBe(expected);
  });

  it("never returns anything a Location header cannot carry or that leaves the site", () => {
    for (const [, value] of HOSTILE) {
      const out = safeRedirect(value);
      expect(out).toMatch(/^\/(?![/\\])[\x21-\x7e]*$|^\/$/);
    }
  });
});
