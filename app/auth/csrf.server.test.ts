import { describe, expect, it } from "vitest";
import { assertSameOrigin, isCrossSiteRequest } from "./csrf.server.ts";

function request(method: string, headers: Record<string, string> = {}, url = "http://localhost:3000/login") {
  return new Request(url, { method, headers });
}

/** What assertSameOrigin threw, or null when it let the request through. */
function thrown(req: Request): unknown {
  try {
    assertSameOrigin(req);
    return null;
  } catch (err) {
    return err;
  }
}

describe("isCrossSiteRequest", () => {
  it.each(["GET", "HEAD", "OPTIONS", "get"])("lets a safe %s through whatever its headers say", (method) => {
    expect(isCrossSiteRequest(request(method, { "Sec-Fetch-Site": "cross-site", Origin: "https://evil.example" }))).toBe(false);
  });

  it.each(["POST", "PUT", "PATCH", "DELETE"])("lets a same-origin %s through", (method) => {
    expect(isCrossSiteRequest(request(method, { "Sec-Fetch-Site": "same-origin" }))).toBe(false);
  });

  it.each(["cross-site", "same-site", "none"])("refuses a POST with Sec-Fetch-Site: %s", (site) => {
    expect(isCrossSiteRequest(request("POST", { "Sec-Fetch-Site": site }))).toBe(true);
  });

  it("trusts Sec-Fetch-Site over a matching Origin", () => {
    expect(isCrossSiteRequest(request("POST", { "Sec-Fetch-Site": "cross-site", Origin: "http://localhost:3000" }))).toBe(true);
  });

  it("without Sec-Fetch-Site, refuses an Origin of another host", () => {
    expect(isCrossSiteRequest(request("POST", { Origin: "https://evil.example" }))).toBe(true);
    // Same host name, different port is a different origin.
    expect(isCrossSiteRequest(request("POST", { Origin: "http://localhost:4000" }))).toBe(true);
    // A look-alike host.
    expect(isCrossSiteRequest(request("POST", { Origin: "http://localhost:3000.evil.example" }))).toBe(true);
  });

  it("without Sec-Fetch-Site, allows an Origin of this host", () => {
    expect(isCrossSiteRequest(request("POST", { Origin: "http://localhost:3000" }))).toBe(false);
  });

  it("allows the Origin of the request's own host even when it differs from APP_URL (e.g. 127.0.0.1)", () => {
    const req = request("POST", { Origin: "http://127.0.0.1:3000" }, "http://127.0.0.1:3000/login");
    expect(isCrossSiteRequest(req)).toBe(false);
  });

  it('refuses Origin: "null" (sandboxed frames, data: URLs)', () => {
    expect(isCrossSiteRequest(request("POST", { Origin: "null" }))).toBe(true);
  });

  it("refuses an Origin that is not a URL", () => {
    expect(isCrossSiteRequest(request("POST", { Origin: "not a url" }))).toBe(true);
  });

  it("allows a POST with neither header (a non-browser client such as curl)", () => {
    expect(isCrossSiteRequest(request("POST"))).toBe(false);
  });
});

describe("assertSameOrigin", () => {
  it("throws a 403 response with an explanation for a cross-site POST", () => {
    const err = thrown(request("POST", { "Sec-Fetch-Site": "cross-site" }));
    expect(err).not.toBeNull();
    const e = err as { init: { status?: number } | null; data: { message: string } };
    expect(e.init?.status).toBe(403);
    expect(e.data.message).toMatch(/another website/);
  });

  it("does nothing for a same-origin POST or a GET", () => {
    expect(thrown(request("POST", { "Sec-Fetch-Site": "same-origin" }))).toBeNull();
    expect(thrown(request("GET", { "Sec-Fetch-Site": "cross-site" }))).toBeNull();
  });
});
