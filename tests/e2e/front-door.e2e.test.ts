import fs from "node:fs";
import { describe, expect, inject, it, vi } from "vitest";
import { baseURL } from "./browser.ts";

/**
 * The production server itself (build/server/main.js, as `npm start` runs it): static files with
 * their headers, hostile requests answered with a clear 4xx page, and an access log with no secret.
 */

const url = (p: string) => `${baseURL()}${p}`;
const SECRET = "e2eSecret7Hq3Lp9Vx2Mw5Kd8Rt4Ny6Bz1Cf0Gj";
const sameSite = () => ({ "Sec-Fetch-Site": "same-origin", Origin: baseURL() });

describe("the production server", () => {
  it("serves static files with nosniff, the build's assets immutable for a year", async () => {
    const icon = await fetch(url("/favicon.svg"));
    expect(icon.status).toBe(200);
    expect(icon.headers.get("x-content-type-options")).toBe("nosniff");
    expect(icon.headers.get("cache-control")).toBe("public, max-age=3600");
    const html = await (await fetch(url("/login"))).text();
    const script = /<script[^>]+src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1] ?? /href="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeTruthy();
    const asset = await fetch(url(script!));
    expect(asset.status).toBe(200);
    expect(asset.headers.get("x-content-type-options")).toBe("nosniff");
    expect(asset.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(asset.headers.get("x-powered-by")).toBeNull();
  });

  it("answers a bad escape in a token path with a 400 page", async () => {
    const res = await fetch(url(`/set-password/${SECRET}%zz`));
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("This address is not valid");
  });

  it("answers a forged post with a 403 page, not Remix's 500", async () => {
    for (const origin of ["https://evil.example", "null", "http://localhost:1"]) {
      const res = await fetch(url("/login"), {
        method: "POST",
        headers: { Origin: origin, "Content-Type": "application/x-www-form-urlencoded" },
        body: "email=a",
      });
      expect(res.status, origin).toBe(403);
      expect(await res.text()).toContain("This request came from another website");
    }
  });

  it("refuses a body larger than any form before reading it (413)", async () => {
    const res = await fetch(url("/officer/roster/import"), {
      method: "POST",
      headers: { ...sameSite(), "Content-Type": "application/x-www-form-urlencoded" },
      body: Buffer.alloc(12 * 1024 * 1024, 0x61),
    });
    expect(res.status).toBe(413);
    expect(await res.text()).toContain("What was sent is too large");
  });

  it("shows a clear page for a body that is not a form, and goes on answering", async () => {
    const json = await fetch(url("/login"), {
      method: "POST",
      headers: { ...sameSite(), "Content-Type": "application/json" },
      body: JSON.stringify({ email: "coordinator@neverok.example" }),
    });
    expect(json.status).toBe(415);
    const page = await json.text();
    expect(page).toContain("We could not accept that");
    expect(page).toContain("This request was not sent as a form");
    const utf8 = await fetch(url("/forgot-password"), {
      method: "POST",
      headers: { ...sameSite(), "Content-Type": "application/x-www-form-urlencoded" },
      body: Buffer.concat([Buffer.from("email=zo"), Buffer.from([0xeb]), Buffer.from("@example.ac.uk")]),
    });
    expect(utf8.status).toBe(400);
    expect(await utf8.text()).toContain("could not be read");
    expect((await fetch(url("/login"))).status).toBe(200);
  });

  it("prints no token, and no query string, in its access log", async () => {
    const paths = [
      `/set-password/${SECRET}`,
      `/registrations/${SECRET}`,
      `/feedback/${SECRET}`,
      `/feedback/s/${SECRET}`,
      `/leaders/access/${SECRET}`,
      `/feeds/trainers/${SECRET}.ics`,
      `/set-password/${SECRET}.data`,
      `/sessions/open?email=${SECRET}`,
    ];
    for (const p of paths) await (await fetch(url(p))).arrayBuffer();
    await (await fetch(url("/privacy-notice?done=1"))).arrayBuffer();
    const logPath = inject("serverLogPath");
    // The line for the last request is written as its answer finishes.
    const log = await vi.waitUntil(
      () => {
        const text = fs.readFileSync(logPath, "utf8");
        return /GET \/privacy-notice 200/.test(text) && text;
      },
      { timeout: 5_000, interval: 20 },
    );
    expect(log).not.toContain(SECRET);
    expect(log).toContain("GET /set-password/:token ");
    expect(log).toContain("GET /feeds/trainers/:token.ics ");
    expect(log).toContain("GET /feedback/s/:code ");
  });
});
