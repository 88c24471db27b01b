// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { appPathOf } from "./link-list.tsx";

function setUp(html: string) {
  document.body.innerHTML = `<main><div id="list">${html}</div><a id="outside" href="/elsewhere">Outside</a></main>`;
  return document.getElementById("list")!;
}

function clickOn(target: Element, init: MouseEventInit = {}) {
  const event = new MouseEvent("click", { bubbles: true, cancelable: true, button: 0, ...init });
  Object.defineProperty(event, "target", { value: target });
  return event;
}

describe("links in a link list", () => {
  it("go within the app from the link or anything inside it, keeping the query and fragment", () => {
    const list = setUp(`<a href="/coordinator/sessions/7?tab=trainers#who"><span class="time">09:30</span> Consent</a>`);
    const anchor = list.querySelector("a")!;
    expect(appPathOf(clickOn(anchor), list)).toBe("/coordinator/sessions/7?tab=trainers#who");
    expect(appPathOf(clickOn(anchor.querySelector("span")!), list)).toBe("/coordinator/sessions/7?tab=trainers#who");
  });

  it("leave to the browser a click with a modifier key or another button, so a link opens in a new tab as usual", () => {
    const list = setUp(`<a href="/coordinator/sessions/7">Consent</a>`);
    const anchor = list.querySelector("a")!;
    for (const init of [{ metaKey: true }, { ctrlKey: true }, { shiftKey: true }, { altKey: true }, { button: 1 }])
      expect(appPathOf(clickOn(anchor, init), list)).toBeNull();
  });

  it("leave to the browser links to other sites, new windows and downloads, and clicks already handled", () => {
    const list = setUp(
      `<a id="away" href="https://example.org/help">Help</a><a id="tab" href="/a" target="_blank">A</a><a id="file" href="/a.csv" download>CSV</a><a id="plain" href="/b">B</a><span id="text">text</span>`,
    );
    for (const id of ["away", "tab", "file", "text"]) expect(appPathOf(clickOn(document.getElementById(id)!), list), id).toBeNull();
    const handled = clickOn(document.getElementById("plain")!);
    handled.preventDefault();
    expect(appPathOf(handled, list)).toBeNull();
  });

  it("answer only for links inside the list", () => {
    const list = setUp(`<a href="/a">A</a>`);
    expect(appPathOf(clickOn(document.getElementById("outside")!), list)).toBeNull();
  });
});
