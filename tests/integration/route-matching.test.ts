/**
 * The route matcher is patched (patches/@remix-run+router+*.patch): route patterns compile once, the
 * ranked branches are kept by the route tree's shape (and, for a tree matched again, with the tree
 * itself while its shape stays the same), and a pathname is tried only against the
 * branches its first segment allows. These tests hold the patched matcher to the behaviour of the
 * original: the routes it returns are those of the tree it was given, trees of another shape are
 * ranked afresh, a tree changed in place (routes discovered on the client) is matched as it now is,
 * and the first segment never keeps a pathname from the route that would have matched it.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { AgnosticRouteObject } from "@remix-run/router";
import { matchPath, matchRoutes } from "@remix-run/router";

/** A route as the matcher reads it: the router's own type says the same, in a union hard to build by hand. */
type Route = { id: string; path?: string; index?: boolean; caseSensitive?: boolean; children?: Route[] };

const match = (routes: Route[], pathname: string) => matchRoutes(routes as AgnosticRouteObject[], pathname);

function tree(tag: string): Route[] {
  return [
    {
      id: `root-${tag}`,
      path: "",
      children: [
        { id: `index-${tag}`, index: true },
        { id: `sessions-new-${tag}`, path: "sessions/new" },
        { id: `session-${tag}`, path: "sessions/:sessionId" },
        { id: `lang-${tag}`, path: ":lang?/about" },
        { id: `case-${tag}`, path: "Report", caseSensitive: true },
        { id: `layout-${tag}`, children: [{ id: `settings-${tag}`, path: "settings" }] },
        { id: `splat-${tag}`, path: "*" },
      ],
    },
  ];
}

const ids = (routes: Route[], pathname: string) => match(routes, pathname)?.map((m) => m.route.id) ?? null;

describe("route matching", () => {
  test("returns the route objects of the tree it is given, not of an earlier tree of the same shape", () => {
    const first = tree("a");
    const second = tree("b");
    expect(ids(first, "/sessions/12")).toEqual(["root-a", "session-a"]);
    expect(ids(second, "/sessions/12")).toEqual(["root-b", "session-b"]);
    const layout = second[0]!.children![5]!;
    const [root, inLayout, settings] = match(second, "/settings")!.map((m) => m.route);
    expect(root).toBe(second[0]);
    expect(inLayout).toBe(layout);
    expect(settings).toBe(layout.children![0]);
  });

  test("ranks static segments, optional segments, index routes, case and splats as before", () => {
    const routes = tree("c");
    expect(ids(routes, "/sessions/new")).toEqual(["root-c", "sessions-new-c"]);
    expect(match(routes, "/sessions/7")?.at(-1)?.params).toEqual({ sessionId: "7" });
    expect(ids(routes, "/")).toEqual(["root-c", "index-c"]);
    expect(ids(routes, "/about")).toEqual(["root-c", "lang-c"]);
    expect(ids(routes, "/cy/about")).toEqual(["root-c", "lang-c"]);
    expect(ids(routes, "/Report")).toEqual(["root-c", "case-c"]);
    expect(ids(routes, "/report")).toEqual(["root-c", "splat-c"]);
    expect(ids(routes, "/no/such/page")).toEqual(["root-c", "splat-c"]);
  });

  test("tries only the branches a pathname's first segment allows, and finds the same route as trying them all", () => {
    const routes = tree("k");
    // Case and a trailing slash do not change the first segment; a parameter or splat branch is tried for any.
    expect(ids(routes, "/SESSIONS/New/")).toEqual(["root-k", "sessions-new-k"]);
    expect(ids(routes, "/Sessions/31")).toEqual(["root-k", "session-k"]);
    expect(ids(routes, "/SETTINGS")).toEqual(["root-k", "layout-k", "settings-k"]);
    expect(ids(routes, "/sessions")).toEqual(["root-k", "splat-k"]);
    expect(ids(routes, "/sessions%2Fnew")).toEqual(["root-k", "splat-k"]);
    expect(ids(routes, "/sessions%2fnew/x")).toEqual(["root-k", "splat-k"]);
    expect(ids(routes, "/se%73sions/new")).toEqual(["root-k", "sessions-new-k"]);
    // An empty first segment, or one beyond ASCII that folds to ASCII ("ſ" is a long s), matches no static branch.
    expect(ids(routes, "//sessions/new")).toEqual(["root-k", "splat-k"]);
    expect(ids(routes, "/ſessions/new")).toEqual(["root-k", "splat-k"]);
    expect(ids(routes, "/\u212Aelvin/about")).toEqual(["root-k", "lang-k"]);
    expect(match(routes, "/:x/about")?.at(-1)?.params).toEqual({ lang: ":x" });
  });

  test("a tree of another shape is ranked afresh", () => {
    const routes = tree("d");
    routes[0]!.children = routes[0]!.children!.filter((r) => !r.id.startsWith("sessions-new"));
    expect(ids(routes, "/sessions/new")).toEqual(["root-d", "session-d"]);
    expect(ids(tree("e"), "/sessions/new")).toEqual(["root-e", "sessions-new-e"]);
    // The same nesting with another path, and with another case rule, is another shape.
    const renamed = tree("g");
    renamed[0]!.children![1]!.path = "sessions/add";
    expect(ids(renamed, "/sessions/add")).toEqual(["root-g", "sessions-new-g"]);
    const anyCase = tree("h");
    anyCase[0]!.children![4]!.caseSensitive = false;
    expect(ids(anyCase, "/report")).toEqual(["root-h", "case-h"]);
  });

  test("a tree changed in place is matched as it now is", () => {
    const routes = tree("f");
    const root = routes[0]!;
    root.children = root.children!.filter((r) => !r.id.startsWith("splat"));
    expect(ids(routes, "/reports/impact")).toBeNull();
    root.children.push({ id: "reports-f", path: "reports/impact" });
    expect(ids(routes, "/reports/impact")).toEqual(["root-f", "reports-f"]);
    root.children.find((r) => r.id === "layout-f")!.children!.push({ id: "help-f", path: "help" });
    expect(ids(routes, "/help")).toEqual(["root-f", "layout-f", "help-f"]);
  });

  test("a tree matched again is matched as it now is, whatever was changed in it since", () => {
    const routes = tree("k");
    const children = routes[0]!.children!;
    expect(ids(routes, "/sessions/new")).toEqual(["root-k", "sessions-new-k"]);
    children[1]!.path = "sessions/add";
    expect(ids(routes, "/sessions/new")).toEqual(["root-k", "session-k"]);
    expect(ids(routes, "/sessions/add")).toEqual(["root-k", "sessions-new-k"]);
    expect(ids(routes, "/report")).toEqual(["root-k", "splat-k"]);
    children[4]!.caseSensitive = false;
    expect(ids(routes, "/report")).toEqual(["root-k", "case-k"]);
    children[0]!.index = false;
    children[0]!.path = "welcome";
    expect(ids(routes, "/")).toEqual(["root-k"]);
    expect(ids(routes, "/welcome")).toEqual(["root-k", "index-k"]);
    const replacement = { id: "settings-replaced-k", path: "settings" };
    children[5]!.children![0] = replacement;
    expect(match(routes, "/settings")?.[2]?.route).toBe(replacement);
    children[5]!.children!.pop();
    expect(ids(routes, "/settings")).toEqual(["root-k", "splat-k"]);
  });

  test("a pattern gives the same answer with each of its flags, however often it is asked", () => {
    for (let i = 0; i < 3; i++) {
      expect(matchPath({ path: "/Report", caseSensitive: true, end: true }, "/report")).toBeNull();
      expect(matchPath({ path: "/Report", caseSensitive: false, end: true }, "/report")).not.toBeNull();
      expect(matchPath({ path: "/Report", caseSensitive: false, end: false }, "/report/2025")?.pathnameBase).toBe("/report");
      expect(matchPath({ path: "/Report", caseSensitive: false, end: true }, "/report/2025")).toBeNull();
    }
  });

  test("the patch is applied to both of the router's builds", () => {
    const require = createRequire(import.meta.url);
    const dist = path.dirname(require.resolve("@remix-run/router"));
    for (const file of ["router.cjs.js", "router.js"]) {
      const source = fs.readFileSync(path.join(dist, file), "utf8");
      expect(source, file).toContain("function rankedBranchesFor(routes)");
      expect(source, file).toContain("function compilePathUncached(");
      expect(source, file).toContain("function groupByFirstSegment(branches)");
      expect(source, file).toContain("const rankedBranchesByTree = new WeakMap()");
    }
  });
});
