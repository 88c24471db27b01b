import { createContext, useContext } from "react";

/** The per-request nonce for inline scripts, given by the server while it renders a document. */
export const NonceContext = createContext<string | undefined>(undefined);

export function useNonce(): string | undefined {
  return useContext(NonceContext);
}
