import type { LoaderFunctionArgs } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import * as feedbackCode from "#app/routes/feedback.s.$code.tsx";
import * as feedbackToken from "#app/routes/feedback.$token.tsx";
import * as leaderAccess from "#app/routes/leaders.access_.$token.tsx";
import * as registration from "#app/routes/registrations.$token.tsx";
import * as setPassword from "#app/routes/set-password.$token.tsx";
import { routeOutcome } from "#tests/route-outcome.ts";

/** Every page whose address carries a secret, with the parameter that holds it. */
const TOKEN_PAGES = [
  { path: "/feedback/s/", param: "code", route: feedbackCode },
  { path: "/feedback/", param: "token", route: feedbackToken },
  { path: "/leaders/access/", param: "token", route: leaderAccess },
  { path: "/registrations/", param: "token", route: registration },
  { path: "/set-password/", param: "token", route: setPassword },
];

describe("pages whose address carries a secret", () => {
  it.each(TOKEN_PAGES)("$path keeps it out of caches, Referer headers and search engines, even for a made-up link", async ({ path, param, route }) => {
    const madeUp = "made-up-link-that-names-nothing";
    const args = { request: new Request(`http://localhost${path}${madeUp}`), params: { [param]: madeUp }, context: {} } as LoaderFunctionArgs;
    const outcome = await routeOutcome(() => route.loader(args));
    expect(outcome.headers.get("Cache-Control")).toBe("no-store");
    expect(outcome.headers.get("Referrer-Policy")).toBe("no-referrer");
    expect(outcome.headers.get("X-Robots-Tag")).toBe("noindex");
    expect(route.headers({} as never)).toMatchObject({ "Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex" });
    expect(route.meta({} as never)).toEqual(
      expect.arrayContaining([
        { name: "referrer", content: "no-referrer" },
        { name: "robots", content: "noindex" },
      ]),
    );
  });
});
