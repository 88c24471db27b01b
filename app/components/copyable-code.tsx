import { useId } from "react";
import { useClipboard } from "#app/utils/use-clipboard.ts";
import { useHydrated } from "#app/utils/use-hydrated.ts";

/**
 * An address to paste into another system, shown whole so it can be selected by hand, with a button
 * that copies it once the page's script has loaded. A refused copy selects the text instead.
 */
export function CopyableCode({ label, value }: { label: string; value: string }) {
  const id = useId();
  const hydrated = useHydrated();
  const { state, copy } = useClipboard(() => {
    const code = document.getElementById(id);
    if (code) window.getSelection()?.selectAllChildren(code);
  });
  return (
    <div className="flex flex-wrap items-center gap-2">
      <code id={id} className="rounded bg-slate-100 px-2 py-1 font-mono text-sm break-all text-slate-900">
        {value}
      </code>
      {hydrated ? (
        <>
          <button
            type="button"
            onClick={() => copy(value)}
            className="rounded-md bg-white px-3 py-1.5 text-sm font-semibold text-brand-800 ring-1 ring-brand-600 hover:bg-brand-100"
          >
            Copy<span className="sr-only"> the {label}</span>
          </button>
          <span role="status" className="text-sm text-slate-700">
            {state === "copied" ? "Copied." : state === "failed" ? "Could not copy: the address is selected, copy it by hand." : ""}
          </span>
        </>
      ) : null}
    </div>
  );
}
