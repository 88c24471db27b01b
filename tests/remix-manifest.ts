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

interface RouteSpec {
  id: string;
  parentId?: string;
  path?: string;
  hasLoader?: boolean;
}

/** The manifest Remix's server would give RemixServer for a build of these routes. */
export function manifestOf(routes: RouteSpec[]): EntryContext["manifest"] {
  return {
    entry: { module: "/build/entry.js", imports: [] },
    url: "/build/manifest.js",
    version: "1",
    routes: Object.fromEntries(routes.map(({ id, ...extra }) => [id, manifestRoute(id, extra)])),
  } as unknown as EntryContext["manifest"];
}

/**
 * The manifest for a build of three routes: the root, a session page with a loader
 * (`sessions/:id`) and the impact report (`reports/impact`).
 */
export function sessionsAndReportManifest(): EntryContext["manifest"] {
  return manifestOf([
    { id: "root", path: "" },
    { id: "session", parentId: "root", path: "sessions/:id", hasLoader: true },
    { id: "report", parentId: "root", path: "reports/impact" },
  ]);
}

/** The app's future flags, as `vite.config.ts` sets them. */
export const FUTURE_FLAGS = {
  v3_fetcherPersist: true,
  v3_relativeSplatPath: true,
  v3_throwAbortReason: true,
  v3_lazyRouteDiscovery: true,
  v3_singleFetch: true,
};

/** What Remix's server hands RemixServer for a document request, from a build's parts and the request's static handler context. */
export function entryContextOf(parts: {
  manifest: EntryContext["manifest"];
  routeModules: unknown;
  staticHandlerContext: unknown;
  future?: Record<string, boolean>;
}): EntryContext {
  return {
    future: FUTURE_FLAGS,
    ...parts,
    serverHandoffString: "{}",
    isSpaMode: false,
    serializeError: (error: Error) => ({ message: error.message }),
  } as unknown as EntryContext;
}
