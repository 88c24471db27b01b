import type { LoaderFunctionArgs } from "@remix-run/node";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createAuthSession, SESSION_COOKIE } from "#app/auth/session.server.ts";
import { getDb } from "#app/db.server.ts";
import { createUser } from "#tests/factories.ts";
import { handleDataRequest } from "#app/entry.server.tsx";
import * as feedRoute from "#app/routes/feeds.trainers.$token[.ics].ts";
import { applySecurityHeaders, contentSecurityPolicy, createNonce, isTokenPath } from "#app/utils/security-headers.server.ts";

const get = (path: string, cookie?: string) => new Request(`http://localhost:3000${path}`, cookie ? { headers: { Cookie: cookie } } : undefined);
const signedIn = `${SESSION_COOKIE}=abc.def`;

function directives(csp: string): Map<string, string> {
  return new Map(
    csp.split(";").map((d) => {
      const [k, ...v] = d.trim().split(/\s+/);
      return [k!, v.join(" ")];
    }),
  );
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

describe("every answer from a resource route carries the headers, refusals and misses included", () => {
  type Module = { default?: unknown; loader?: (args: LoaderFunctionArgs) => Promise<unknown> };
  const modules = import.meta.glob<Module>("/app/routes/*.{ts,tsx}", { eager: true });
  const resources = Object.entries(modules)
    .filter(([, m]) => m.default === undefined && typeof m.loader === "function")
    .map(([file, m]) => [file.replace("/app/routes/", "").replace(/\.tsx?$/, ""), m.loader!] as const);
  // Route ids to addresses: "$x" params become a value that matches nothing, "_" and "[.ics]" go.
  const address = (id: string) =>
    `/${id
      .replace(/\[\.(\w+)\]$/, ".$1")
      .replace(/_(?=\.|$)/g, "")
      .split(".")
      .map((part) => (part.startsWith("$") ? "999999" : part))
      .join("/")}`;
  const params = { messageId: "999999", index: "7", token: "no-such-token", sessionId: "999999" };

  async function answer(run: () => Promise<unknown>): Promise<unknown> {
    try {
      return await run();
    } catch (thrown) {
      return thrown;
    }
  }

  it("there are resource routes to check", () => {
    expect(resources.length).toBeGreaterThanOrEqual(8);
  });

  for (const [id, loader] of resources) {
    it(`${id}: signed out, refused and not found all come with the headers`, async () => {
      const db = getDb();
      const booker = await createUser(db, { roles: ["booker"] });
      const everyone = await createUser(db, { roles: ["coordinator", "trainer", "booker", "officer"] });
      const cookieOf = async (userId: number) => `${SESSION_COOKIE}=${(await createAuthSession(db, userId, null)).token}`;
      const cookies = [undefined, await cookieOf(booker.id), await cookieOf(everyone.id)];
      for (const cookie of cookies) {
        const request = get(address(id), cookie);
        const out = await answer(() => loader({ request, params, context: {} }));
        const who = cookie ? "signed in" : "signed out";
        expect(out, `${id} (${who}) answered with a Response`).toBeInstanceOf(Response);
        const response = out as Response;
        expect(response.status, `${id} (${who}) status`).toBeLessThan(500);
        expect(response.headers.get("X-Content-Type-Options"), `${id} (${who}) ${response.status}`).toBe("nosniff");
        expect(response.headers.get("X-Frame-Options"), `${id} (${who}) ${response.status}`).toBe("DENY");
        expect(response.headers.get("Content-Security-Policy"), `${id} (${who}) ${response.status}`).toBeTruthy();
        if (cookie) expect(response.headers.get("Cache-Control"), `${id} (${who}) ${response.status}`).toBe("no-store");
      }
    });
  }

  it("a refusal from a download link reads as a sentence, not JSON", async () => {
    const db = getDb();
    const booker = await createUser(db, { roles: ["booker"] });
    const cookie = `${SESSION_COOKIE}=${(await createAuthSession(db, booker.id, null)).token}`;
    const loader = resources.find(([id]) => id === "officer.leaders.export")![1];
    const out = (await answer(() => loader({ request: get("/officer/leaders/export", cookie), params: {}, context: {} }))) as Response;
    expect(out.status).toBe(403);
    expect(out.headers.get("Content-Type")).toMatch(/^text\/plain/);
    expect(await out.text()).toBe("You do not have access to this page.");
  });
});
