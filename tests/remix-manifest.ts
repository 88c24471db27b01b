import type { EntryContext } from "@remix-run/node";

const manifestRoute = (id: string, extra: { parentId?: string; path?: string; hasLoader?: boolean }) => ({
  id,
  module: `/build/${id}.js`,
  imports: [],
  hasAction: false,
  hasLoader: false,
  hasClientAction: false,
  hasClientLoader: false,
  hasErrorBoundary: false,
  ...extra,
});

/**
 * The manifest Remix's server would give RemixServer for a build of three routes: the root, a
 * session page with a loader (`sessions/:id`) and the impact report (`reports/impact`).
 */
export function sessionsAndReportManifest(): EntryContext["manifest"] {
  return {
    entry: { module: "/build/entry.js", imports: [] },
    url: "/build/manifest.js",
    version: "1",
    routes: {
      root: manifestRoute("root", { path: "" }),
      session: manifestRoute("session", { parentId: "root", path: "sessions/:id", hasLoader: true }),
      report: manifestRoute("report", { parentId: "root", path: "reports/impact" }),
    },
  } as unknown as EntryContext["manifest"];
}
