/**
 * Serves the production build: `npm start` runs this (with the heap settings), as do the browser
 * tests and the benchmark. Built by `npm run build` to build/server/main.js and run from the project root:
 * `node build/server/main.js [path/to/build/server/index.js]`.
 * Everything about a request is in createApp; this file only loads the build and listens, so it can
 * be run once per core under node:cluster unchanged.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { installGlobals, type ServerBuild } from "@remix-run/node";
import { getEnv } from "#app/utils/env.server.ts";
import { createApp } from "./app.ts";

process.env.NODE_ENV ??= "production";
const env = getEnv();
// Paths are from the working directory (the project root), as remix-serve had them.
const root = process.cwd();
const buildPath = path.resolve(process.argv[2] ?? path.join(root, "build/server/index.js"));
const build = (await import(pathToFileURL(buildPath).href)) as ServerBuild;
installGlobals({ nativeFetch: build.future.v3_singleFetch });

const app = createApp({ build, root, trustProxy: env.TRUST_PROXY, mode: env.NODE_ENV });
const host = process.env.HOST || undefined;
const onListening = () => console.log(`NeverOK Training is listening on http://${host ?? "localhost"}:${env.PORT}`);
const server = host ? app.listen(env.PORT, host, onListening) : app.listen(env.PORT, onListening);

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    // Finish the requests in flight, then stop; idle keep-alive connections would hold it open.
    server.close((err) => {
      if (err) console.error(err);
      process.exit(0);
    });
    server.closeIdleConnections();
  });
}
