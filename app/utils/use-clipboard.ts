import { useState } from "react";

export type CopyState = "idle" | "copied" | "failed";

/**
 * Copies text to the clipboard from a click. Browsers refuse it outside a secure page or without
 * permission, so a refusal is a state the page shows (and `onFailure` can move focus to the text,
 * for copying by hand), never an error nobody sees.
 */
export function useClipboard(onFailure?: () => void): { state: CopyState; copy: (text: string) => void } {
  const [state, setState] = useState<CopyState>("idle");
  const failed = () => {
    setState("failed");
    onFailure?.();
  };
  const copy = (text: string) => {
    if (!navigator.clipboard) return failed();
    // Both outcomes are handled here; the click that started it has nothing to wait for.
    void navigator.clipboard.writeText(text).then(() => setState("copied"), failed);
  };
  return { state, copy };
}
