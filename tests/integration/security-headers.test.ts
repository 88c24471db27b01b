import { afterEach, describe, expect, it, vi } from "vitest";
import { SESSION_COOKIE } from "#app/auth/session.server.ts";
import { handleDataRequest } from "#app/entry.server.tsx";
import * as feedRoute from "#app/routes/feeds.trainers.$token[.ics].ts";
import { applySecurityHeaders, contentSecurityPolicy, createNonce, isTokenPath } from "#app/utils/security-headers.server.ts";

const get = (path: string, cookie?: string) =>
  new Request(`http://localhost:3000${path}`, cookie ? { headers: { Cookie: cookie } } : undefined);
const signedIn = `${SESSION_COOKIE}=abc.def`;

function directives(csp: string): Map<string, string> {
  return new Map(csp.split(";").map((d) => {
    const [k, ...v] = d.trim().split(/\s+/);
    return [k!, v.join(" ")];
  }));
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("the Content-Security-Policy", () => {
  it("allows scripts only from the site and with this request's nonce in production", () => {
    const nonce = createNonce();
    const csp = directives(contentSecurityPolicy(nonce, { production: true }));
    expect(csp.get("script-src")).toBe(`'self' 'nonce-${nonce}'`);
    expect(csp.get("default-src")).toBe("'self'");
    expect(csp.get("img-src")).toBe("'self' data:");
    expect(csp.get("frame-ancestors")).toBe("'none'");
    expect(csp.get("form-action")).toBe("'self'");
    expect(csp.get("base-uri")).toBe("'none'");
    expect(csp.get("object-src")).toBe("'none'");
    expect(csp.get("connect-src")).toBe("'self'");
    expect(csp.get("script-src")).not.toContain("unsafe");
  });

  it("gives a fresh, long nonce every time", () => {
    const a = createNonce();
    const b = createNonce();
    expect(a).not.toBe(b);
    expect(Buffer.from(a, "base64")).toHaveLength(16);
  });

  it("lets the Vite dev server's inline scripts and WebSocket through only outside production", () => {
    const csp = directives(contentSecurityPolicy("n", { production: false }));
    expect(csp.get("connect-src")).toContain("ws:");
    expect(csp.get("script-src")).toContain("'unsafe-inline'");
  });
});

describe("the headers on every answer", () => {
  it("a page: CSP with the nonce, no framing, no sniffing, a careful referrer, HSTS in production", () => {
    vi.stubEnv("NODE_ENV", "production");
    const h = applySecurityHeaders(new Headers(), get("/sessions/open"), { kind: "document", nonce: "abc" });
    expect(h.get("Content-Security-Policy")).toContain("'nonce-abc'");
    expect(h.get("X-Frame-Options")).toBe("DENY");
    expect(h.get("X-Content-Type-Options")).toBe("nosniff");
    expect(h.get("Referrer-Policy")).toBe("strict-origin-when-cross-origin");
    expect(h.get("Strict-Transport-Security")).toBe("max-age=31536000; includeSubDomains");
    // A public listing may be kept by the browser, but checked first.
    expect(h.get("Cache-Control")).toBe("private, no-cache");
  });

  it("no HSTS outside production (a laptop on http://localhost)", () => {
    vi.stubEnv("NODE_ENV", "development");
    const h = applySecurityHeaders(new Headers(), get("/"), { kind: "document", nonce: "abc" });
    expect(h.has("Strict-Transport-Security")).toBe(false);
  });

  it("a signed-in user's pages are never stored, whatever the route said", () => {
    const h = applySecurityHeaders(new Headers({ "Cache-Control": "public, max-age=600" }), get("/coordinator", signedIn), {
      kind: "document",
      nonce: "abc",
    });
    expect(h.get("Cache-Control")).toBe("no-store");
  });

  for (const path of ["/set-password/tok", "/registrations/tok", "/feedback/tok", "/feedback/s/CODE", "/leaders/access/tok", "/feeds/trainers/tok.ics"]) {
    it(`${path}: a token in the address is never sent on as a referrer nor cached`, () => {
      expect(isTokenPath(path)).toBe(true);
      const h = applySecurityHeaders(new Headers({ "Referrer-Policy": "same-origin" }), get(path), { kind: "document", nonce: "n" });
      expect(h.get("Referrer-Policy")).toBe("no-referrer");
      expect(h.get("Cache-Control")).toBe("no-store");
    });
  }

  it("the page that asks for a leader link (no token) keeps the ordinary policy", () => {
    expect(isTokenPath("/leaders/access")).toBe(false);
  });

  it("a route's own no-referrer is kept", () => {
    const h = applySecurityHeaders(new Headers({ "Referrer-Policy": "no-referrer" }), get("/trainer/calendar-feed", signedIn), { kind: "document" });
    expect(h.get("Referrer-Policy")).toBe("no-referrer");
  });

  it("data for client-side navigation carries the headers too", async () => {
    const response = new Response("{}", { headers: { "Content-Type": "text/x-script" } });
    const out = await handleDataRequest(response, { request: get("/coordinator.data", signedIn), params: {}, context: {} });
    expect(out.headers.get("X-Frame-Options")).toBe("DENY");
    expect(out.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(out.headers.get("Cache-Control")).toBe("no-store");
    expect(out.headers.get("Content-Security-Policy")).toContain("default-src 'none'");
  });

  it("a resource route (the calendar feed) answers with the headers, nothing in it may run", async () => {
    const response = (await feedRoute.loader({ request: get("/feeds/trainers/nope.ics"), params: { token: "nope" }, context: {} })) as Response;
    expect(response.status).toBe(404);
    expect(response.headers.get("Content-Security-Policy")).toContain("sandbox");
    expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(response.headers.get("Referrer-Policy")).toBe("no-referrer");
    expect(response.headers.get("Cache-Control")).toBe("no-store");
  });
});
