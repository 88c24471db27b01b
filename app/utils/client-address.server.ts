import type { AppLoadContext } from "@remix-run/node";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /**
     * The address the request came from, as the server saw it: the socket's peer, or the
     * `X-Forwarded-For` entry of a proxy only when `TRUST_PROXY` says one is in front.
     */
    clientAddress?: string;
  }
}

/** The client's address for throttles and the audit log; "unknown" where no server set it (tests calling a route directly). */
export function clientAddressOf(context: AppLoadContext | undefined): string {
  return context?.clientAddress || "unknown";
}
