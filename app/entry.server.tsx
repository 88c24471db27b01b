import { Writable } from "node:stream";
import type { EntryContext, HandleDataRequestFunction } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";
import { getDb } from "./db.server.ts";
import { startJobTimer } from "./jobs/runner.server.ts";
import { getEnv } from "./utils/env.server.ts";
import { NonceContext } from "./utils/nonce.tsx";
import { applySecurityHeaders, createNonce } from "./utils/security-headers.server.ts";

// Check the settings once at start: a typo stops the app here with a clear message.
getEnv();
startJobTimer(getDb);

/** For the server (server/main.ts), which stops the job timer and gives up its lease when it stops. */
export { stopJobTimer } from "./jobs/runner.server.ts";

const ABORT_DELAY = 5_000;
export const streamTimeout = ABORT_DELAY;

/**
 * Pages are rendered whole, then sent as one body. No page streams (no loader defers its data), and
 * sending each piece React writes on through the response streams cost more than rendering it, in
 * proportion to the page's size. React hands a page on as text in pieces of at least 16 KB
 * (patches/react-dom+18.3.1.patch); the Writable turns each into bytes.
 */
export default function handleRequest(request: Request, responseStatusCode: number, responseHeaders: Headers, remixContext: EntryContext) {
  const nonce = createNonce();
  return new Promise<Response>((resolve, reject) => {
    const timer = setTimeout(() => abort(), ABORT_DELAY);
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceContext.Provider>,
      {
        onShellReady() {
          shellRendered = true;
        },
        onAllReady() {
          const chunks: Buffer[] = [];
          const page = new Writable({
            // React stops rendering when its destination closes (a visitor gone). This one only
            // gathers a finished page, and its close after finishing had React end it a second time.
            emitClose: false,
            write(chunk: Buffer, _encoding, done) {
              chunks.push(chunk);
              done();
            },
            final(done) {
              clearTimeout(timer);
              responseHeaders.set("Content-Type", "text/html; charset=utf-8");
              applySecurityHeaders(responseHeaders, request, { kind: "document", nonce });
              resolve(new Response(Buffer.concat(chunks), { headers: responseHeaders, status: responseStatusCode }));
              done();
            },
          });
          page.on("error", reject);
          pipe(page);
        },
        onShellError(error: unknown) {
          clearTimeout(timer);
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          // An error in the shell rejects, and Remix reports it; later ones are only seen here.
          if (shellRendered) console.error(error);
        },
      },
    );
  });
}

/** Data for client-side navigations and form posts carries the same headers as the pages. */
export const handleDataRequest: HandleDataRequestFunction = (response, { request }) => {
  applySecurityHeaders(response.headers, request, { kind: "data" });
  return response;
};
