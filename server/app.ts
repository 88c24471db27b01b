import fs from "node:fs";
import path from "node:path";
import { createRequestHandler } from "@remix-run/express";
import type { AppLoadContext, ServerBuild } from "@remix-run/node";
import compression from "compression";
import express, { type NextFunction, type Request, type Response } from "express";
import morgan from "morgan";
import { pathRedactor } from "./access-log.ts";
import { frontDoor, sendRefusal } from "./front-door.ts";
import { baseSecurityHeaders, STATIC_CSP } from "./security-headers.ts";
import { takeTurns } from "./turns.ts";

/**
 * The production server: what remix-serve did (compression, no X-Powered-By, the build's assets
 * cached for a year as immutable, public/ for an hour, HOST and PORT), plus what it could not be
 * configured to do: security headers on static files, an access log that prints no secret, proxy
 * headers believed only when TRUST_PROXY says so, the client's address in Remix's load context, and
 * hostile requests refused with a 4xx page before Remix sees them. See docs/decisions/011.
 */

export type AppOptions = {
  build: ServerBuild;
  /** Where public/ and the build's client assets are found (the project root). */
  root: string;
  /** The TRUST_PROXY setting, as env.server.ts documents it. */
  trustProxy?: string;
  mode?: string;
  /** Where the access log goes (standard output when not given). */
  log?: { write(line: string): void };
  /** The largest request body any route takes. */
  maxBodyBytes?: number;
};

/**
 * TRUST_PROXY as Express's "trust proxy": unset or "false" trusts no one; "true" one hop (never
 * Express's own `true`, which would believe any client's X-Forwarded-For); a number that many hops;
 * anything else a list of addresses or subnets ("loopback, 10.0.0.0/8").
 */
export function trustProxySetting(value: string | undefined): boolean | number | string {
  const v = value?.trim();
  if (!v || v.toLowerCase() === "false") return false;
  if (v.toLowerCase() === "true") return 1;
  if (/^\d+$/.test(v)) return Number(v);
  return v;
}

/** The client's address as the socket (or a trusted proxy) gives it; IPv4 without its IPv6 wrapping. */
export function clientAddress(req: Request): string | undefined {
  const ip = req.ip;
  return ip?.startsWith("::ffff:") && ip.includes(".") ? ip.slice("::ffff:".length) : ip;
}

const FORWARDED_HEADERS = ["x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port", "forwarded"];

/**
 * After a refusal that left the body unread (a 413 before reading, a form stopped at its limit), the
 * rest of what the client sends is read and thrown away, never kept: closing the connection instead
 * would make most clients report a broken connection rather than show the answer. A client that
 * keeps sending past this is cut off.
 */
const DISCARD_LIMIT_BYTES = 64 * 1024 * 1024;

function discardUnreadBody(req: Request, res: Response) {
  res.once("finish", () => {
    if (req.complete || req.destroyed) return;
    let discarded = 0;
    req.removeAllListeners("data");
    req.on("data", (chunk: Buffer) => {
      discarded += chunk.length;
      if (discarded > DISCARD_LIMIT_BYTES) req.socket.destroy();
    });
    req.resume();
  });
}

export function createApp(options: AppOptions) {
  const { build, root } = options;
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", trustProxySetting(options.trustProxy));
  const trusted = app.get("trust proxy fn") as (address: string, hop: number) => boolean;

  const redact = pathRedactor(build.routes);
  app.use(
    morgan<Request, Response>(
      (tokens, req, res) =>
        [
          req.method,
          redact(req.originalUrl),
          tokens.status!(req, res) ?? "-",
          tokens.res!(req, res, "content-length") ?? "-",
          "-",
          // Until the last byte was handed to the network, not until the headers were: a page streams
          // its body after them, and that part is where a slow answer spends its time.
          tokens["total-time"]!(req, res) ?? "-",
          "ms",
        ].join(" "),
      {
        stream: options.log ?? process.stdout,
        // A static file served is not worth a line; one that is missing is.
        skip: (_req, res) => res.locals.staticFile === true && res.statusCode < 400,
      },
    ),
  );

  app.use((req, res, next) => {
    // Without a proxy in front (or from a peer that is not one) these headers are the client's own
    // words: neither Remix's origin check nor the app's may believe them.
    if (!trusted(req.socket.remoteAddress ?? "", 0)) for (const h of FORWARDED_HEADERS) delete req.headers[h];
    discardUnreadBody(req, res);
    next();
  });
  app.use(frontDoor({ maxBodyBytes: options.maxBodyBytes }));
  app.use(compression());

  const staticHeaders = (res: Response) => {
    res.locals.staticFile = true;
    for (const [name, value] of Object.entries(baseSecurityHeaders())) res.setHeader(name, value);
    res.setHeader("Content-Security-Policy", STATIC_CSP);
  };
  // The build's assets have a content hash in their names: a changed file is a new address.
  app.use(
    `${build.publicPath}assets`,
    express.static(path.resolve(root, build.assetsBuildDirectory, "assets"), {
      immutable: true,
      maxAge: "1y",
      index: false,
      redirect: false,
      setHeaders: staticHeaders,
    }),
  );
  // public/'s files are listed once, at start: express.static alone would ask the file system about
  // every request that reached it, each page's too, and find nothing.
  const publicDir = path.resolve(root, "public");
  const inPublic = publicFiles(publicDir);
  const servePublic = express.static(publicDir, { maxAge: "1h", index: false, redirect: false, setHeaders: staticHeaders });
  app.use((req, res, next) => (inPublic.has(decodedPath(req.path) ?? "") ? servePublic(req, res, next) : next()));

  const remix = createRequestHandler({
    build,
    mode: options.mode ?? process.env.NODE_ENV,
    getLoadContext: (req): AppLoadContext => ({ clientAddress: clientAddress(req) }),
  });
  app.use(takeTurns());
  // Express 4 drops the promise a handler returns: a rejection would go unseen, so it goes to the error page below.
  app.all("*", (req, res, next) => {
    remix(req, res, next).catch(next);
  });

  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    console.error(`${req.method} ${redact(req.originalUrl)}:`, err);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    sendRefusal(res, {
      status: 500,
      title: "Something went wrong",
      message: "We could not show this page. Please try again; if it keeps happening, tell the training coordinator.",
    });
  });
  return app;
}

/** The path of each file under `dir` from the site's root ("/favicon.svg"); none if there is no such folder. */
function publicFiles(dir: string): Set<string> {
  if (!fs.existsSync(dir)) return new Set();
  const files = new Set<string>();
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const segments = path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep);
    files.add(`/${segments.join("/")}`);
  }
  return files;
}

/** A request's path as a file's name is written; null for one that cannot be decoded (refused earlier, at the front door). */
function decodedPath(urlPath: string): string | null {
  try {
    return decodeURIComponent(urlPath);
  } catch {
    return null;
  }
}
