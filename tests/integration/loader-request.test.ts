/**
 * Remix's server runtime is patched (patches/@remix-run+server-runtime+*.patch) so that a loader or
 * action is given the request itself when there is no `index`, `_routes` or `_data` parameter to
 * take out of its address, instead of a copy made for each of them. The loaders of one request then
 * share one `Request`, so what is kept per request (the validated session, app/auth/guards.server.ts)
 * is worked out once for the page, not once per loader. These tests hold the patched runtime to what
 * the original does wherever there is something to take out, and check that a form's body still
 * reaches its action.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";

interface Seen {
  route: string;
  request: Request;
  fields?: Record<string, string>;
}

/** A build of three nested routes whose loaders and actions note the request each was given. */
function buildNoting(seen: Seen[]): ServerBuild {
  const loader =
    (route: string) =>
    ({ request }: { request: Request }) => {
      seen.push({ route, request });
      return { route };
    };
  const action =
    (route: string) =>
    async ({ request }: { request: Request }) => {
      const form = await request.formData();
      seen.push({ route, request, fields: Object.fromEntries([...form].map(([k, v]) => [k, String(v)])) });
      return { saved: true };
    };
  const route = (id: string, parentId: string | undefined, extra: { path?: string; index?: boolean }, withAction = false) => ({
    id,
    parentId,
    ...extra,
    module: { default: () => null, loader: loader(id), ...(withAction ? { action: action(id) } : {}) },
  });
  const routes = {
    root: route("root", undefined, { path: "" }),
    sessions: route("sessions", "root", { path: "sessions" }, true),
    "sessions-index": route("sessions-index", "sessions", { index: true }, true),
  };
  const assetsRoute = (r: (typeof routes)[keyof typeof routes]) => ({
    id: r.id,
    parentId: r.parentId,
    path: r.path,
    index: r.index,
    module: `/build/${r.id}.js`,
    hasLoader: true,
    hasAction: "action" in r.module,
    hasClientAction: false,
    hasClientLoader: false,
    hasErrorBoundary: false,
  });
  return {
    mode: "production",
    entry: { module: { default: (_request: Request, status: number, headers: Headers) => new Response("the page", { status, headers }) } },
    routes,
    assets: {
      entry: { module: "/build/entry.js", imports: [] },
      routes: Object.fromEntries(Object.values(routes).map((r) => [r.id, assetsRoute(r)])),
      url: "/build/manifest.js",
      version: "1",
    },
    future: { v3_fetcherPersist: true, v3_relativeSplatPath: true, v3_throwAbortReason: true, v3_lazyRouteDiscovery: true, v3_singleFetch: true },
    publicPath: "/build/",
    assetsBuildDirectory: "public/build",
    isSpaMode: false,
  } as unknown as ServerBuild;
}

async function handle(url: string, init?: RequestInit) {
  const seen: Seen[] = [];
  const response = await createRequestHandler(buildNoting(seen), "production")(new Request(`http://localhost${url}`, init));
  return { seen, response };
}

function postForm(fields: Record<string, string>): RequestInit {
  return { method: "POST", body: new URLSearchParams(fields), headers: { "Content-Type": "application/x-www-form-urlencoded" } };
}

describe("the request a loader or action is given", () => {
  test("every loader of a page shares one request, the one that came in", async () => {
    const { seen, response } = await handle("/sessions?course=consent");
    expect(response.status).toBe(200);
    expect(seen.map((s) => s.route).sort()).toEqual(["root", "sessions", "sessions-index"]);
    const [first] = seen;
    for (const s of seen) {
      expect(s.request).toBe(first!.request);
      expect(s.request.url).toBe("http://localhost/sessions?course=consent");
    }
  });

  test("an index parameter is still taken out of the address the loaders see", async () => {
    const { seen } = await handle("/sessions?index&course=consent");
    expect(seen).toHaveLength(3);
    for (const s of seen) expect(s.request.url).toBe("http://localhost/sessions?course=consent");
  });

  test("a data request's routes parameter is still taken out", async () => {
    const { seen, response } = await handle("/sessions.data?_routes=root,sessions&course=consent");
    expect(response.status).toBe(200);
    expect(seen.map((s) => s.route).sort()).toEqual(["root", "sessions"]);
    for (const s of seen) expect(s.request.url).toBe("http://localhost/sessions?course=consent");
  });

  test("a form's body reaches its action, with or without an index parameter", async () => {
    const toParent = await handle("/sessions", postForm({ title: 'Active Bystander, "Sports" clubs\n' }));
    const parentAction = toParent.seen.find((s) => s.fields);
    expect(parentAction?.route).toBe("sessions");
    expect(parentAction?.fields).toEqual({ title: 'Active Bystander, "Sports" clubs\n' });
    expect(parentAction?.request.url).toBe("http://localhost/sessions");

    const toIndex = await handle("/sessions?index", postForm({ title: "Consent" }));
    const indexAction = toIndex.seen.find((s) => s.fields);
    expect(indexAction?.route).toBe("sessions-index");
    expect(indexAction?.fields).toEqual({ title: "Consent" });
    expect(indexAction?.request.url).toBe("http://localhost/sessions");
  });

  test("after a form's action, the page's loaders share a request of their own, without its body", async () => {
    const { seen } = await handle("/sessions", postForm({ title: "Consent" }));
    const loaders = seen.filter((s) => !s.fields);
    expect(loaders.map((s) => s.route).sort()).toEqual(["root", "sessions", "sessions-index"]);
    const action = seen.find((s) => s.fields)!;
    for (const s of loaders) {
      expect(s.request).toBe(loaders[0]!.request);
      expect(s.request).not.toBe(action.request);
      expect(s.request.method).toBe("GET");
    }
  });

  test("the patch is applied to both builds of the runtime", () => {
    const require = createRequire(import.meta.url);
    const runtime = path.dirname(require.resolve("@remix-run/server-runtime"));
    for (const file of ["data.js", "esm/data.js"]) {
      const text = fs.readFileSync(path.join(runtime, file), "utf8");
      for (const param of ["index", "_routes", "_data"])
        expect(text, `${file}: ${param}`).toContain(`if (!url.searchParams.has("${param}")) {\n    return request;`);
    }
  });
});
