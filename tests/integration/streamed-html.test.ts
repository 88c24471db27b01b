import { createRequire } from "node:module";
import path from "node:path";
import { PassThrough, Writable } from "node:stream";
import { buffer } from "node:stream/consumers";
import { createElement, type ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, test } from "vitest";

/**
 * Pages are streamed by React's renderToPipeableStream. React 18.3.1 encodes each piece of markup into
 * a 2,048-byte view and sends each full view on. It sent the whole view when a character of two or
 * more bytes did not fit at its end, so the unwritten bytes went out as NUL characters: a page with
 * "·", "–" or "é" near a view's end carried a NUL, in text, in an attribute or in the data the browser
 * hydrates from. patches/react-dom+18.3.1.patch replaces the views: a flush gathers its markup in one
 * string and hands it on in pieces of at least 16 KB, which Node encodes once.
 */

const require = createRequire(import.meta.url);
const cjs = path.join(path.dirname(require.resolve("react-dom/package.json")), "cjs");
type Fizz = { renderToPipeableStream: (el: ReactElement, options: { onAllReady(): void; onError(e: unknown): void }) => { pipe(w: Writable): void } };

/** Renders `element` whole, as the app's entry does, then pipes it into `sink`. */
function pipeWhenReady(fizz: Fizz, element: ReactElement, sink: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const stream = fizz.renderToPipeableStream(element, {
      onAllReady() {
        stream.pipe(sink);
        resolve();
      },
      onError: reject,
    });
  });
}

async function streamed(fizz: Fizz, element: ReactElement): Promise<Buffer> {
  const sink = new PassThrough();
  await pipeWhenReady(fizz, element, sink);
  return buffer(sink);
}

/** Many small chunks, so a 2 KB view would fill up one chunk at a time; `shift` moves where each view ends. */
function page(shift: number): ReactElement {
  const items = Array.from({ length: 900 }, (_, i) => createElement("i", { key: i, title: "Zoë · 2026–27" }, "é"));
  return createElement("div", null, createElement("b", null, "x".repeat(shift)), items);
}

describe.each(["react-dom-server.node.production.min.js", "react-dom-server.node.development.js"])("%s", (file) => {
  const fizz = require(path.join(cjs, file)) as Fizz;

  test("a character of two or more bytes is sent whole, with no NUL before it", async () => {
    for (let shift = 1; shift <= 6; shift++) {
      const html = await streamed(fizz, page(shift));
      expect(html.includes(0), `shift ${shift}`).toBe(false);
      expect(html.toString("utf8"), `shift ${shift}`).toBe(renderToStaticMarkup(page(shift)));
    }
  });

  test("a page is handed on in a few large pieces, not one per 2 KB of markup", async () => {
    const pieces: number[] = [];
    const sink = new Writable({
      decodeStrings: false,
      write(chunk: string | Buffer, _encoding, done) {
        pieces.push(chunk.length);
        done();
      },
    });
    const finished = new Promise((resolve) => sink.on("finish", resolve));
    await pipeWhenReady(fizz, page(1), sink);
    await finished;
    const markup = renderToStaticMarkup(page(1)).length;
    expect(pieces.reduce((a, b) => a + b, 0)).toBe(markup);
    expect(pieces.length).toBeLessThanOrEqual(Math.ceil(markup / 16384) + 1);
    expect(pieces.slice(0, -1).every((length) => length > 16384)).toBe(true);
  });
});
