import { useSyncExternalStore } from "react";

const nothingToWatch = () => () => {};

/**
 * False on the server and while the page hydrates, true from then on: for controls that work only
 * with JavaScript. Read as an external store, so the first render in the browser matches the server's.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    nothingToWatch,
    () => true,
    () => false,
  );
}
