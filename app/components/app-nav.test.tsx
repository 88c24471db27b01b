// @vitest-environment jsdom
import { RemixServer } from "@remix-run/react";
import { createStaticHandler, type AgnosticDataRouteObject } from "@remix-run/router";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { Role } from "#db/schema.ts";
import { entryContextOf, manifestOf } from "#tests/remix-manifest.ts";
import { AppNav, isUnder } from "./app-nav.tsx";

/** The nav as the server renders it on the page at `url`, for someone with these roles. */
async function navAt(url: string, roles: Role[]) {
  const routes: AgnosticDataRouteObject[] = [{ id: "root", path: "", children: [{ id: "page", path: "*" }] }];
  const context = entryContextOf({
    manifest: manifestOf([
      { id: "root", path: "" },
      { id: "page", parentId: "root", path: "*" },
    ]),
    routeModules: { root: { default: () => <AppNav user={{ name: "Sam Okafor", roles }} /> }, page: { default: () => null } },
    staticHandlerContext: await createStaticHandler(routes).query(new Request(`http://localhost${url}`)),
  });
  const html = renderToString(<RemixServer context={context} url={`http://localhost${url}`} />);
  return new DOMParser().parseFromString(html, "text/html");
}

/** The text of each link marked as the current page, in the order they appear. */
function current(doc: Document) {
  return [...doc.querySelectorAll('a[aria-current="page"]')].map((a) => a.textContent);
}

describe("the main navigation", () => {
  it("marks the section a page is in, in the bar and in the phone's menu alike", async () => {
    const doc = await navAt("/coordinator/requests/12", ["coordinator"]);
    expect(current(doc)).toEqual(["Queue"]);
    const queue = doc.querySelector('a[href="/coordinator/requests"]')!;
    expect(queue.className).toContain("bg-white/15");
    expect(doc.querySelector('a[href="/coordinator/calendar"]')!.className).not.toContain("bg-white/15");
  });

  it("marks an end item only on its own page", async () => {
    expect(current(await navAt("/coordinator", ["coordinator"]))).toEqual(["Overview"]);
    expect(current(await navAt("/coordinator/", ["coordinator"]))).toEqual(["Overview"]);
    expect(current(await navAt("/trainer/sessions/4/register", ["trainer"]))).toEqual([]);
    expect(current(await navAt("/trainer/feedback", ["trainer"]))).toEqual(["Feedback"]);
  });

  it("marks a page under More in the menu, and says so on the More button", async () => {
    const doc = await navAt("/coordinator/people/9", ["coordinator"]);
    // Once in the bar's list (shown on phones) and once in the More menu (shown on wide screens).
    expect(current(doc)).toEqual(["People", "People"]);
    expect(doc.querySelector("summary")!.textContent).toContain("now on People");
    expect((await navAt("/coordinator/requests", ["coordinator"])).querySelector("summary")!.textContent).not.toContain("now on");
  });

  it("marks the account links on the account's pages", async () => {
    const doc = await navAt("/account/second-factor", ["booker"]);
    expect(current(doc)).toEqual(["Sam Okafor", "Your account (Sam Okafor)"]);
  });

  it("marks each role's own section for someone with two roles", async () => {
    const doc = await navAt("/reports/impact", ["coordinator", "officer"]);
    expect(current(doc)).toEqual(["Impact report", "Impact report"]);
  });
});

describe("isUnder", () => {
  it("holds a page to its section by whole path segments", () => {
    expect(isUnder("/coordinator/requests", "/coordinator/requests")).toBe(true);
    expect(isUnder("/coordinator/requests/7/edit", "/coordinator/requests")).toBe(true);
    expect(isUnder("/coordinator/requests/", "/coordinator/requests")).toBe(true);
    expect(isUnder("/coordinator/requestsx", "/coordinator/requests")).toBe(false);
    expect(isUnder("/coordinator", "/coordinator/requests")).toBe(false);
  });

  it("holds an end item to its own page", () => {
    expect(isUnder("/booker", "/booker", true)).toBe(true);
    expect(isUnder("/booker/", "/booker", true)).toBe(true);
    expect(isUnder("/booker/requests/new", "/booker", true)).toBe(false);
    expect(isUnder("/booker/requests/new", "/booker")).toBe(true);
  });
});
