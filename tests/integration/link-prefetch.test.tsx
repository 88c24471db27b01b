// @vitest-environment jsdom
/**
 * Remix's `<Link>` and `<NavLink>` resolved the page they would prefetch on every render, though only
 * a link that prefetches uses it, and none does on the server (prefetching starts in an effect).
 * patches/@remix-run+react+*.patch resolves it in a component of its own, rendered only while the link
 * prefetches. These tests hold both of Remix's builds (the server's CommonJS, the browser's ES module)
 * to what the published one renders: plain links from the server, and in the browser the same
 * prefetch links for the same pages.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type * as RemixReact from "@remix-run/react";
import { createStaticHandler, type AgnosticDataRouteObject } from "@remix-run/router";
import { render, waitFor } from "@testing-library/react";
import { renderToString } from "react-dom/server";
import { entryContextOf, sessionsAndReportManifest } from "#tests/remix-manifest.ts";

type Remix = typeof RemixReact;
const dist = path.dirname(createRequire(import.meta.url).resolve("@remix-run/react"));
const builds: [string, string, () => Promise<Remix>][] = [
  ["CommonJS build", "components.js", async () => createRequire(import.meta.url)("@remix-run/react") as Remix],
  ["ES module build", "esm/components.js", async () => (await import(pathToFileURL(path.join(dist, "esm/index.js")).href)) as Remix],
];

/** The impact report's page, with links of each kind, rendered as Remix renders a document request. */
async function reportPage({ Link, NavLink, Outlet, RemixServer }: Remix) {
  const manifest = sessionsAndReportManifest();
  const Report = () => (
    <nav>
      <Link to="../../sessions/7" prefetch="render">
        Seven
      </Link>
      <NavLink to="/sessions/8" prefetch="render">
        Eight
      </NavLink>
      <Link to="/sessions/9">Nine</Link>
      <Link to="https://example.org/x" prefetch="render">
        Elsewhere
      </Link>
    </nav>
  );
  const routeModules = { root: { default: () => <Outlet /> }, session: { default: () => null }, report: { default: Report } };
  const routes: AgnosticDataRouteObject[] = [
    {
      id: "root",
      path: "",
      children: [
        { id: "session", path: "sessions/:id", loader: () => null },
        { id: "report", path: "reports/impact" },
      ],
    },
  ];
  const staticHandlerContext = await createStaticHandler(routes).query(new Request("http://localhost/reports/impact"));
  const context = entryContextOf({ manifest, routeModules, staticHandlerContext });
  return <RemixServer context={context} url="http://localhost/reports/impact" />;
}

const LINKS =
  '<a data-discover="true" href="/sessions/7">Seven</a>' +
  '<a data-discover="true" class="" href="/sessions/8">Eight</a>' +
  '<a data-discover="true" href="/sessions/9">Nine</a>' +
  '<a href="https://example.org/x">Elsewhere</a>';

describe.each(builds)("Remix's links, %s", (_build, file, load) => {
  test("render from the server as plain links to the resolved pages, with no prefetch", async () => {
    expect(renderToString(await reportPage(await load()))).toContain(`<nav>${LINKS}</nav>`);
  });

  test("in the browser, prefetch the pages they resolve to, and only those that ask", async () => {
    const { container } = render(await reportPage(await load()));
    await waitFor(() => expect(container.querySelectorAll("link")).toHaveLength(4));
    expect(container.querySelector("nav")!.innerHTML).toBe(
      '<a data-discover="true" href="/sessions/7">Seven</a>' +
        '<link rel="prefetch" as="fetch" href="/sessions/7.data"><link rel="modulepreload" href="/build/session.js">' +
        '<a data-discover="true" class="" href="/sessions/8">Eight</a>' +
        '<link rel="prefetch" as="fetch" href="/sessions/8.data"><link rel="modulepreload" href="/build/session.js">' +
        '<a data-discover="true" href="/sessions/9">Nine</a>' +
        '<a href="https://example.org/x">Elsewhere</a>',
    );
  });

  test("the patch is applied", () => {
    const source = fs.readFileSync(path.join(dist, file), "utf8");
    expect(source).toContain("function PrefetchLinksFor(");
  });
});
