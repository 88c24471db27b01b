import { describe, expect, it } from "vitest";
import { pathRedactor, type RouteEntry } from "./access-log.ts";

const routes = (entries: Omit<RouteEntry, "id">[]): Record<string, RouteEntry> =>
  Object.fromEntries([["root", { id: "root", path: "" }], ...entries.map((r, i) => [`r${i}`, { id: `r${i}`, parentId: "root", ...r }])]);

describe("what the access log prints of an address", () => {
  const redact = pathRedactor(
    routes([
      { index: true },
      { path: "coordinator/people/new" },
      { path: "coordinator/people/:userId" },
      { path: "feedback/:token" },
      { path: "feedback/s/:code" },
      { path: "feeds/trainers/:token.ics" },
      { path: "officer/groups/:group" },
      { path: "reports/:year?/print" },
      { path: "*" },
    ]),
  );

  it("keeps static words and record numbers, and names every other parameter", () => {
    expect(redact("/coordinator/people/12")).toBe("/coordinator/people/12");
    expect(redact("/coordinator/people/new")).toBe("/coordinator/people/new");
    expect(redact("/coordinator/people/someone@example.ac.uk")).toBe("/coordinator/people/:userId");
    expect(redact("/feedback/abcDEF123")).toBe("/feedback/:token");
    expect(redact("/feedback/s/QR7")).toBe("/feedback/s/:code");
    expect(redact("/officer/groups/Rugby%20Club")).toBe("/officer/groups/:group");
  });

  it("keeps the suffix of a parameter, and only when it is there", () => {
    expect(redact("/feeds/trainers/secret.ics")).toBe("/feeds/trainers/:token.ics");
    expect(redact("/feeds/trainers/secret")).toBe("/*");
  });

  it("matches optional segments with and without them", () => {
    expect(redact("/reports/2026/print")).toBe("/reports/:year/print");
    expect(redact("/reports/print")).toBe("/reports/print");
  });

  it("drops the query and fragment, and reads Remix's data addresses as their page's", () => {
    expect(redact("/feedback/abc?email=a%40b.c#x")).toBe("/feedback/:token");
    expect(redact("/feedback/abc.data?_routes=x")).toBe("/feedback/:token.data");
    expect(redact("/_root.data")).toBe("/_root.data");
    expect(redact("/__manifest?p=/feedback/abc")).toBe("/__manifest");
    expect(redact("/")).toBe("/");
  });

  it("prints an address no route claims as /*, and one under a route's splat up to the splat", () => {
    expect(redact("/registration/abc")).toBe("/*");
    const nested = pathRedactor(routes([{ path: "docs/*" }]));
    expect(nested("/docs/secret/page")).toBe("/docs/*");
    expect(nested("/elsewhere")).toBe("/*");
  });
});
