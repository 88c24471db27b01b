/**
 * Every `<Link>` and `<Form>` resolves its path against the route it sits in: a page with a hundred
 * links does so a few hundred times. patches/@remix-run+router+*.patch joins a path with no "." in
 * it in one step instead of segment by segment. These tests hold it to the published router's
 * answer, path for path, in both of the router's builds (the server's CommonJS and the browser's ES
 * module).
 */
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { resolvePath as ResolvePath } from "@remix-run/router";
import { describe, expect, test } from "vitest";

/** The published router's resolvePathname, as @remix-run/router 1.23.3 ships it. */
function publishedResolvePathname(relativePath: string, fromPathname: string): string {
  const segments = fromPathname.replace(/\/+$/, "").split("/");
  for (const segment of relativePath.split("/")) {
    if (segment === "..") {
      if (segments.length > 1) segments.pop();
    } else if (segment !== ".") {
      segments.push(segment);
    }
  }
  return segments.length > 1 ? segments.join("/") : "/";
}

/** The published resolvePath's pathname, for paths with no "//" (which it rewrites with a warning). */
function publishedPathname(to: string, from: string): string {
  if (!to) return from;
  return to.startsWith("/") ? publishedResolvePathname(to.substring(1), "/") : publishedResolvePathname(to, from);
}

const PARTS = ["", "requests", "42", ".", "..", "feed.ics", "..x", "x.", "é%20"];
function paths(length: number): string[] {
  if (length === 0) return [""];
  return paths(length - 1).flatMap((p) => PARTS.map((part) => (length === 1 ? part : `${p}/${part}`)));
}
const TOS = [...paths(1), ...paths(2), ...paths(3)].flatMap((p) => [p, `/${p}`]).filter((p) => !p.includes("//"));
const FROMS = ["/", "", "/coordinator", "/coordinator/", "/coordinator//", "/coordinator/requests", "/coordinator/requests/42/", "/a.b/c"];

const dist = path.dirname(createRequire(import.meta.url).resolve("@remix-run/router"));
const builds: [string, () => Promise<typeof ResolvePath>][] = [
  ["CommonJS build", async () => (createRequire(import.meta.url)(path.join(dist, "router.cjs.js")) as { resolvePath: typeof ResolvePath }).resolvePath],
  ["ES module build", async () => ((await import(pathToFileURL(path.join(dist, "router.js")).href)) as { resolvePath: typeof ResolvePath }).resolvePath],
];

describe.each(builds)("a link's path, %s", (_build, load) => {
  test("resolves as the published router does, from every kind of route", async () => {
    const resolvePath = await load();
    let compared = 0;
    for (const from of FROMS) {
      for (const to of TOS) {
        expect(resolvePath(to, from).pathname, `${JSON.stringify(to)} from ${JSON.stringify(from)}`).toBe(publishedPathname(to, from));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(10_000);
  });

  test("keeps a trailing slash, and goes no higher than the root", async () => {
    const resolvePath = await load();
    expect(resolvePath("requests/", "/coordinator/").pathname).toBe("/coordinator/requests/");
    expect(resolvePath("requests", "/coordinator///").pathname).toBe("/coordinator/requests");
    expect(resolvePath("../../../x", "/coordinator/requests").pathname).toBe("/x");
    expect(resolvePath("feed.ics", "/feeds").pathname).toBe("/feeds/feed.ics");
  });
});
