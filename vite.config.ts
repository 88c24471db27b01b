import { vitePlugin as remix } from "@remix-run/dev";
import tailwindcss from "@tailwindcss/vite";
import { build, defineConfig } from "vite";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  server: { port: 3000 },
  plugins: [
    tailwindcss(),
    remix({
      ignoredRouteFiles: ["**/*.test.{ts,tsx}", "**/*.css"],
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_singleFetch: true,
        v3_lazyRouteDiscovery: true,
      },
      // The production server (server/main.ts) is built beside the app, so it runs on plain Node with
      // no TypeScript loader in the process: see docs/decisions/011.
      buildEnd: async () => {
        await build({
          configFile: false,
          publicDir: false,
          logLevel: "warn",
          build: {
            ssr: "server/main.ts",
            outDir: "build/server",
            emptyOutDir: false,
            target: "node20",
            rollupOptions: { output: { entryFileNames: "main.js" } },
          },
        });
      },
    }),
  ],
  build: {
    // better-sqlite3 and argon2 are native modules: keep them external to the server bundle.
    target: "es2022",
  },
  ssr: {
    external: ["better-sqlite3", "@node-rs/argon2"],
  },
  optimizeDeps: {
    // The development server's scan of the routes' imports reaches the password module, which only
    // the server loads; argon2's browser entry names a WebAssembly package that is not installed.
    exclude: ["@node-rs/argon2"],
  },
});
