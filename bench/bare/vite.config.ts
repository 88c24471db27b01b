import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";

// The benchmark's reference: a bare Remix app on the same Remix, React and Vite as the app, with the
// same future flags, served by remix-serve. Built into bench/bare/build by `npm run bench`.
export default defineConfig({
  plugins: [
    remix({
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_singleFetch: true,
        v3_lazyRouteDiscovery: true,
      },
    }),
  ],
});
