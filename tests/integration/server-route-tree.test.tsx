/**
 * Remix and react-router are patched (patches/@remix-run+react+*.patch, patches/react-router-dom+*.patch)
 * so that the server's route tree is made once per build, and its data routes once per tree, instead
 * of on every document request. These tests hold the patched render to what the original does: each
 * request renders its own page and data, a route module replaced in the same build (a hot update)
 * is rendered as it now is, and another build gets a tree of its own.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { EntryContext } from "@remix-run/node";
import { Outlet, RemixServer, useLoaderData, useMatches } from "@remix-run/react";
import { createStaticHandler, type AgnosticDataRouteObject } from "@remix-run/router";
import { renderToString } from "react-dom/server";
import { createStaticRouter } from "react-router-dom/server";
import { entryContextOf, sessionsAndReportManifest } from "#tests/remix-manifest.ts";

type Page = (props: Record<string, never>) => React.ReactElement;
type RouteModules = EntryContext["routeModules"];

/** Shows each matched route's handle, which the server's route tree carries. */
function Root() {
  const labels = useMatches().map((m) => (m.handle as { label?: string } | undefined)?.label ?? "-");
  return (
    <main>
      <p>Trail: {labels.join(" / ")}</p>
      <Outlet />
    </main>
  );
}

function SessionPage() {
  const data = useLoaderData<{ title: string }>();
  return <h1>Session: {data.title}</h1>;
}

function ReportPage() {
  return <h1>Impact report</h1>;
}

/** The build's future flags: one object for the whole build, as Remix's server passes them. */
const future = { v3_fetcherPersist: true, v3_relativeSplatPath: true, v3_throwAbortReason: true, v3_lazyRouteDiscovery: true, v3_singleFetch: false };

/** A build: its manifest and route modules, as Remix's server gives them to RemixServer. */
function build(pages: { session: Page; report: Page }, reportLabel = "Reports") {
  const manifest = sessionsAndReportManifest();
  const modules = { root: { default: Root }, session: { default: pages.session }, report: { default: pages.report, handle: { label: reportLabel } } };
  return { manifest, modules: modules as unknown as RouteModules };
}

/** What one document request gives RemixServer: a fresh route-modules object each time, as Remix makes. */
async function render(b: ReturnType<typeof build>, url: string, titles: Record<string, string> = {}) {
  const routes: AgnosticDataRouteObject[] = [
    {
      id: "root",
      path: "",
      children: [
        { id: "session", path: "sessions/:id", loader: ({ params }) => ({ title: titles[params.id!] ?? `#${params.id}` }) },
        { id: "report", path: "reports/impact" },
      ],
    },
  ];
  const context = await createStaticHandler(routes).query(new Request(`http://localhost${url}`));
  if (context instanceof Response) throw new Error(`unexpected response ${context.status}`);
  const entryContext = entryContextOf({ manifest: b.manifest, routeModules: { ...b.modules }, staticHandlerContext: context, future });
  return renderToString(<RemixServer context={entryContext} url={`http://localhost${url}`} />);
}

describe("the server's route tree", () => {
  test("each request renders its own page and data from the one tree", async () => {
    const b = build({ session: SessionPage, report: ReportPage });
    expect(await render(b, "/sessions/7", { 7: "Active Bystander" })).toContain("<h1>Session: <!-- -->Active Bystander</h1>");
    expect(await render(b, "/reports/impact")).toContain("<h1>Impact report</h1>");
    const again = await render(b, "/sessions/8", { 8: "Consent" });
    expect(again).toContain("Consent");
    expect(again).not.toContain("Active Bystander");
    expect(again).not.toContain("Impact report");
  });

  test("a route module replaced in the same build is rendered as it now is", async () => {
    const b = build({ session: SessionPage, report: ReportPage });
    expect(await render(b, "/reports/impact")).toContain("Trail: <!-- -->- / Reports");
    (b.modules as Record<string, unknown>).report = { default: () => <h1>Impact report, updated</h1>, handle: { label: "Figures" } };
    const updated = await render(b, "/reports/impact");
    expect(updated).toContain("<h1>Impact report, updated</h1>");
    expect(updated).toContain("Trail: <!-- -->- / Figures");
  });

  test("another build gets a tree of its own", async () => {
    const first = build({ session: SessionPage, report: ReportPage });
    const second = build({ session: SessionPage, report: () => <h1>Another build&apos;s report</h1> }, "Annual");
    expect(await render(first, "/reports/impact")).toContain("Trail: <!-- -->- / Reports");
    const other = await render(second, "/reports/impact");
    expect(other).toContain("<h1>Another build&#x27;s report</h1>");
    expect(other).toContain("Trail: <!-- -->- / Annual");
    expect(await render(first, "/reports/impact")).toContain("Trail: <!-- -->- / Reports");
  });

  test("the data routes of a tree are made once, and another tree gets its own", async () => {
    const routes = [{ id: "root", path: "/", children: [{ id: "page", path: "page" }] }];
    const context = await createStaticHandler(routes).query(new Request("http://localhost/page"));
    if (context instanceof Response) throw new Error("unexpected response");
    const first = createStaticRouter(routes, context);
    expect(createStaticRouter(routes, context).routes).toBe(first.routes);
    expect(first.state.matches.map((m) => m.route.id)).toEqual(["root", "page"]);
    expect(first.state.matches[1]!.route).toBe(first.routes[0]!.children![0]);
    const other = [{ id: "root", path: "/", children: [{ id: "page", path: "page" }] }];
    expect(createStaticRouter(other, context).routes).not.toBe(first.routes);
  });

  test("the patches are applied to both builds of each package", () => {
    const require = createRequire(import.meta.url);
    const remix = path.dirname(require.resolve("@remix-run/react"));
    for (const file of ["server.js", "esm/server.js"]) {
      expect(fs.readFileSync(path.join(remix, file), "utf8"), file).toContain("function serverRoutesFor(");
    }
    const dom = path.dirname(require.resolve("react-router-dom/server"));
    for (const file of ["server.js", "server.mjs"]) {
      expect(fs.readFileSync(path.join(dom, file), "utf8"), file).toContain("const dataRoutesByRoutes = new WeakMap()");
    }
  });
});
