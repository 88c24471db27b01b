import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { UNSAFE_flatRoutes as flatRoutes } from "@remix-run/dev";
import type { ServerBuild } from "@remix-run/node";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { CROSS_SITE_MESSAGE } from "#app/auth/csrf.server.ts";
import { readFormData } from "#app/utils/request-body.server.ts";
import { createApp, trustProxySetting, type AppOptions } from "./app.ts";

/**
 * The production server in this process, on a free port, in front of a stand-in for the Remix build:
 * every real route of app/routes (as Remix's own route discovery finds them, the same list the build
 * has) answering with a plain page, and two routes of its own that show what Remix was given.
 */

const projectRoot = path.resolve(import.meta.dirname, "..");
const appRoutes = flatRoutes(path.join(projectRoot, "app"), ["**/*.test.{ts,tsx}", "**/*.css"]);

type RouteModule = ServerBuild["routes"][string]["module"];
/** A route with no page of its own (a resource route), for the two that show what Remix was given. */
const resourceRoute = (module: Omit<RouteModule, "default">) => module as RouteModule;

type Seen = { action: number; clientAddress?: string; url?: string; forwardedHost: string | null };
const seen: Seen = { action: 0, forwardedHost: null };

function standInBuild(assetsBuildDirectory: string): ServerBuild {
  const page = () => null;
  const action = () => {
    seen.action++;
    return { ok: true };
  };
  const routes: ServerBuild["routes"] = { root: { id: "root", path: "", module: { default: page } } };
  for (const [id, r] of Object.entries(appRoutes)) {
    routes[id] = { id, parentId: r.parentId, path: r.path, index: r.index, caseSensitive: r.caseSensitive, module: { default: page, action } };
  }
  routes["test/context"] = {
    id: "test/context",
    parentId: "root",
    path: "__test/context",
    module: resourceRoute({
      loader: ({ request, context }) => {
        Object.assign(seen, { clientAddress: context.clientAddress, url: request.url, forwardedHost: request.headers.get("X-Forwarded-Host") });
        return new Response("ok");
      },
    }),
  };
  routes["test/form"] = {
    id: "test/form",
    parentId: "root",
    path: "__test/form",
    module: resourceRoute({
      action: async ({ request }) => {
        const form = await readFormData(request);
        seen.action++;
        return new Response(`fields: ${[...form.keys()].length}`);
      },
    }),
  };
  return {
    mode: "production",
    entry: { module: { default: () => new Response(`<!doctype html><p>${"page ".repeat(400)}</p>`, { headers: { "Content-Type": "text/html" } }) } },
    routes,
    assets: { entry: { imports: [], module: "" }, routes: {}, url: "", version: "test" } as unknown as ServerBuild["assets"],
    publicPath: "/",
    assetsBuildDirectory,
    future: {
      v3_fetcherPersist: true,
      v3_relativeSplatPath: true,
      v3_throwAbortReason: true,
      v3_singleFetch: true,
      v3_lazyRouteDiscovery: true,
    } as ServerBuild["future"],
    isSpaMode: false,
  } as ServerBuild;
}

let root: string;
const servers: http.Server[] = [];
const log: string[] = [];

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "neverok-server-"));
  fs.mkdirSync(path.join(root, "public"));
  fs.writeFileSync(path.join(root, "public/favicon.svg"), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  fs.mkdirSync(path.join(root, "build/client/assets"), { recursive: true });
  fs.writeFileSync(path.join(root, "build/client/assets/entry-Ab12Cd.js"), "export {};\n");
});

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((s) => {
      const closed = new Promise((resolve) => s.close(resolve));
      s.closeAllConnections();
      return closed;
    }),
  );
  log.length = 0;
  Object.assign(seen, { action: 0, clientAddress: undefined, url: undefined, forwardedHost: null });
});

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

/** Starts the server with these options on a free port; returns its base address. */
async function start(options: Partial<AppOptions> = {}): Promise<string> {
  const app = createApp({ build: standInBuild("build/client"), root, log: { write: (line) => log.push(line) }, ...options });
  const server = http.createServer(app);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The log lines written so far, once the request's line is out (morgan writes on finish). */
async function logLines(count: number): Promise<string[]> {
  for (let i = 0; i < 100 && log.length < count; i++) await new Promise((r) => setImmediate(r));
  return [...log];
}

/** A request written by hand, for what fetch will not send (a broken Host, an odd method). */
function raw(base: string, options: { method?: string; path: string; headers?: Record<string, string> }): Promise<{ status: number; body: string }> {
  const { port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, method: options.method ?? "GET", path: options.path, headers: options.headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

const SECRET = "Sx7kQ2mZ9vPa4LrT8wNc3BdF6hJy1GeU5oKi0AqWs";

/** An address for a route path with every parameter filled: record numbers with digits, everything else with a secret. */
function addressFor(routePath: string): { url: string; secretInPath: boolean } {
  let secretInPath = false;
  const url = routePath
    .split("/")
    .filter(Boolean)
    .map((seg) => {
      if (seg === "*") {
        secretInPath = true;
        return `nowhere/${SECRET}`;
      }
      const param = /^:([\w-]+)(.*)$/.exec(seg);
      if (!param) return seg;
      if (/Id$/.test(param[1]!) || param[1] === "index") return `42${param[2]}`;
      secretInPath = true;
      return `${SECRET}${param[2]}`;
    })
    .join("/");
  return { url: `/${url}`, secretInPath };
}

function fullPath(id: string): string {
  const r = appRoutes[id]!;
  const parent = r.parentId && r.parentId !== "root" ? fullPath(r.parentId) : "";
  return [parent, r.path ?? ""].filter(Boolean).join("/");
}

describe("the access log", () => {
  it("never prints a secret from the path of any route, nor any query string", async () => {
    const base = await start();
    const withParams = Object.keys(appRoutes)
      .map(fullPath)
      .filter((p) => p.includes(":") || p.includes("*"));
    // Every route with a token in its address is among them (and so is any added later).
    expect(withParams).toEqual(
      expect.arrayContaining([
        "set-password/:token",
        "registrations/:token",
        "feedback/:token",
        "feedback/s/:code",
        "leaders/access/:token",
        "feeds/trainers/:token.ics",
      ]),
    );
    let requests = 0;
    for (const routePath of withParams) {
      const { url, secretInPath } = addressFor(routePath);
      expect(secretInPath || /\d/.test(url), routePath).toBe(true);
      for (const variant of [url, `${url}/`, `${url}.data`, `${url}?token=${SECRET}&email=someone%40example.ac.uk`]) {
        await (await fetch(`${base}${variant}`)).arrayBuffer();
        requests++;
      }
    }
    await (
      await fetch(`${base}/set-password/${SECRET}`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "a=1" })
    ).arrayBuffer();
    const lines = await logLines(requests + 1);
    expect(lines).toHaveLength(requests + 1);
    for (const line of lines) {
      expect(line).not.toContain(SECRET);
      expect(line).not.toContain("someone");
      expect(line).not.toContain("?");
    }
    const printed = lines.join("");
    expect(printed).toContain(`GET /set-password/:token 200`);
    expect(printed).toContain(`GET /feeds/trainers/:token.ics 200`);
    expect(printed).toContain(`GET /feedback/s/:code.data`);
    expect(printed).toContain(`POST /set-password/:token 200`);
    // Record numbers stay: they say which record without giving anything away.
    expect(printed).toContain(`GET /coordinator/sessions/42/attendees 200`);
    expect(printed).toContain(`GET /coordinator/outbox/42/attachments/42 200`);
  });

  it("prints an address no route claims (a mistyped link) without its path", async () => {
    const base = await start();
    await (await fetch(`${base}/registration/${SECRET}`)).arrayBuffer();
    await (await fetch(`${base}/coordinator/sessions/${SECRET}`)).arrayBuffer();
    const lines = await logLines(2);
    expect(lines[0]).toMatch(/^GET \/\* /);
    expect(lines[1]).toMatch(/^GET \/coordinator\/sessions\/:sessionId /);
  });

  it("prints refused requests the same way", async () => {
    const base = await start();
    await (await fetch(`${base}/set-password/${SECRET}%zz`)).arrayBuffer();
    const [line] = await logLines(1);
    expect(line).toMatch(/^GET \/set-password\/:token 400 /);
  });

  it("leaves out static files that were served, and keeps the ones that were missing", async () => {
    const base = await start();
    await (await fetch(`${base}/favicon.svg`)).arrayBuffer();
    await (await fetch(`${base}/assets/missing-${SECRET}.js`)).arrayBuffer();
    const lines = await logLines(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^GET \/\* \d{3} /);
  });
});

describe("before Remix: hostile requests get a clear 4xx page", () => {
  it("a path with a malformed percent escape: 400", async () => {
    const base = await start();
    for (const p of [`/set-password/abc%zz`, `/registrations/%E0%A4%A`, `/feedback/%`, `/%C0%AF`]) {
      const res = await fetch(`${base}${p}`);
      expect(res.status, p).toBe(400);
      expect(res.headers.get("Content-Type")).toMatch(/^text\/html/);
      expect(await res.text()).toContain("This address is not valid");
    }
    // The same characters escaped properly are an ordinary address.
    expect((await fetch(`${base}/registrations/100%25`)).status).toBe(200);
  });

  it("a Host the URL cannot be built from: 400", async () => {
    const base = await start();
    expect((await raw(base, { path: "/login", headers: { Host: "exa mple:1" } })).status).toBe(400);
  });

  it("a method no browser sends: 405", async () => {
    const base = await start();
    for (const method of ["TRACE", "PROPFIND"]) expect((await raw(base, { method, path: "/login" })).status).toBe(405);
  });

  it("a post from another site: 403 with the app's message, and the action never runs", async () => {
    const base = await start();
    const forged: Record<string, string>[] = [
      { Origin: "https://evil.example" },
      { Origin: "null" },
      { Origin: "not a url" },
      { "Sec-Fetch-Site": "cross-site" },
      { "Sec-Fetch-Site": "same-site", Origin: base },
      // The app's address in Origin but another Host: Remix's own check would throw (a 500).
      { Origin: "http://localhost:3000" },
    ];
    for (const headers of forged) {
      const res = await fetch(`${base}/login`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
        body: "email=a",
      });
      expect(res.status, JSON.stringify(headers)).toBe(403);
      const html = await res.text();
      expect(html).toContain(CROSS_SITE_MESSAGE);
      expect(html).toContain('<html lang="en-GB">');
    }
    expect(seen.action).toBe(0);
  });

  it("a post from this site, or from a client that sends no Origin, reaches the action", async () => {
    const base = await start();
    const post = (headers: Record<string, string>) =>
      fetch(`${base}/login`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers }, body: "email=a" });
    expect((await post({ Origin: base, "Sec-Fetch-Site": "same-origin" })).status).toBe(200);
    expect((await post({})).status).toBe(200);
    expect(seen.action).toBe(2);
  });

  it("a declared body past the limit: 413 at once, unread, and the client sees the page", async () => {
    const base = await start({ maxBodyBytes: 1024 * 1024 });
    const res = await fetch(`${base}/officer/roster/import`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: Buffer.alloc(5 * 1024 * 1024, 0x61),
    });
    expect(res.status).toBe(413);
    expect(await res.text()).toContain("What was sent is too large");
    expect(seen.action).toBe(0);
  });

  it("a form stopped at its limit while streaming: 413, and the server goes on answering others", async () => {
    const base = await start();
    let sent = 0;
    // 20 MB with no declared length, sent slowly enough that other requests arrive meanwhile.
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (sent >= 20 * 1024 * 1024) return controller.close();
        await new Promise((r) => setImmediate(r));
        const chunk = new Uint8Array(64 * 1024).fill(0x61);
        if (sent === 0) chunk.set([0x61, 0x3d]);
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const upload = fetch(`${base}/__test/form`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body,
      duplex: "half",
    } as RequestInit);
    const others = await Promise.all([1, 2, 3].map(() => fetch(`${base}/login`).then((r) => r.status)));
    expect(others).toEqual([200, 200, 200]);
    const res = await upload;
    expect(res.status).toBe(413);
    expect(seen.action).toBe(0);
    expect(
      await fetch(`${base}/__test/form`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "a=1&b=2" }).then((r) =>
        r.text(),
      ),
    ).toBe("fields: 2");
  });

  it("after a refusal the rest of the body is read and dropped, so the connection serves the next request", async () => {
    const base = await start();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const { port } = new URL(base);
    const send = (method: string, urlPath: string, body?: Buffer) =>
      new Promise<number>((resolve, reject) => {
        const headers = body ? { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": String(body.length) } : {};
        const req = http.request({ host: "127.0.0.1", port, method, path: urlPath, agent, headers }, (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        });
        req.on("error", reject);
        req.end(body);
      });
    try {
      // Past the form's limit but within the server's: refused by the reader, after reading only the first chunk.
      expect(await send("POST", "/__test/form", Buffer.alloc(4 * 1024 * 1024, 0x61))).toBe(413);
      // The same (only) connection: it is free only once the refused body has been taken off it.
      expect(await send("GET", "/login")).toBe(200);
    } finally {
      agent.destroy();
    }
  });

  it("the pages carry the security headers", async () => {
    const base = await start();
    const res = await fetch(`${base}/set-password/%zz`);
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(res.headers.get("X-Frame-Options")).toBe("DENY");
    expect(res.headers.get("Content-Security-Policy")).toContain("default-src 'none'");
    expect(res.headers.get("Cache-Control")).toBe("no-store");
  });
});

describe("what remix-serve did", () => {
  it("static files: nosniff and the other headers; the build's assets immutable for a year, public/ for an hour", async () => {
    const base = await start();
    const asset = await fetch(`${base}/assets/entry-Ab12Cd.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
    const icon = await fetch(`${base}/favicon.svg`);
    expect(icon.headers.get("Cache-Control")).toBe("public, max-age=3600");
    for (const res of [asset, icon]) {
      expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
      expect(res.headers.get("X-Frame-Options")).toBe("DENY");
      expect(res.headers.get("Content-Security-Policy")).toContain("sandbox");
      expect(res.headers.get("X-Powered-By")).toBeNull();
    }
  });

  it("looks on disk only for public/'s own files, not for each page", async () => {
    fs.mkdirSync(path.join(root, "public/icons"), { recursive: true });
    fs.writeFileSync(path.join(root, "public/icons/training day.svg"), "<svg/>");
    const base = await start();
    const stat = vi.spyOn(fs, "stat");
    try {
      expect((await fetch(`${base}/login`)).status).toBe(200);
      expect(await (await fetch(`${base}/no-such-file.svg`)).text()).not.toContain("<svg");
      expect(stat).not.toHaveBeenCalled();
      const icon = await fetch(`${base}/favicon.svg`);
      expect(icon.status).toBe(200);
      expect(await icon.text()).toContain("<svg");
      const nested = await fetch(`${base}/icons/training%20day.svg`);
      expect(nested.status).toBe(200);
      expect(nested.headers.get("Cache-Control")).toBe("public, max-age=3600");
    } finally {
      stat.mockRestore();
    }
  });

  it("compresses pages and says nothing about Express", async () => {
    const base = await start();
    const res = await fetch(`${base}/login`, { headers: { "Accept-Encoding": "gzip" } });
    expect(res.headers.get("Content-Encoding")).toBe("gzip");
    expect(res.headers.get("X-Powered-By")).toBeNull();
  });
});

describe("TRUST_PROXY", () => {
  const ask = async (base: string) => {
    await (
      await fetch(`${base}/__test/context`, {
        headers: { "X-Forwarded-For": "203.0.113.7", "X-Forwarded-Host": "training.example.ac.uk", "X-Forwarded-Proto": "https" },
      })
    ).text();
    return { ...seen };
  };

  it("unset: the socket's address; X-Forwarded-* are ignored and not passed on", async () => {
    const got = await ask(await start());
    expect(got.clientAddress).toBe("127.0.0.1");
    expect(new URL(got.url!).origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(got.forwardedHost).toBeNull();
  });

  it("true: one proxy hop is believed, for the address, host and scheme", async () => {
    const got = await ask(await start({ trustProxy: "true" }));
    expect(got.clientAddress).toBe("203.0.113.7");
    const url = new URL(got.url!);
    expect([url.protocol, url.hostname]).toEqual(["https:", "training.example.ac.uk"]);
  });

  it("a list of proxies that does not include this peer: ignored", async () => {
    const got = await ask(await start({ trustProxy: "10.0.0.0/8" }));
    expect(got.clientAddress).toBe("127.0.0.1");
    expect(got.forwardedHost).toBeNull();
  });

  it("reads the setting as documented", () => {
    expect(trustProxySetting(undefined)).toBe(false);
    expect(trustProxySetting("false")).toBe(false);
    expect(trustProxySetting("true")).toBe(1);
    expect(trustProxySetting("2")).toBe(2);
    expect(trustProxySetting("loopback, 10.0.0.0/8")).toBe("loopback, 10.0.0.0/8");
  });
});
