import { Button } from "#app/components/button.tsx";
import { registerPath } from "./paths.ts";
import { syncMessage } from "./sync-queue.ts";
import type { RegisterSync } from "./use-register-sync.ts";

/**
 * The bar that stays at the top while the trainer scrolls: how many are in, whether every tap has
 * reached the server, Undo, and what went wrong if something did.
 */
export function RegisterStatusBar({
  sessionId,
  summary,
  sync,
  hydrated,
  lastChange,
  onUndo,
}: {
  sessionId: number;
  summary: string;
  sync: RegisterSync;
  hydrated: boolean;
  lastChange: string | null;
  onUndo: () => void;
}) {
  const pending = sync.state.items.length;
  return (
    <div className="sticky top-0 z-10 -mx-4 mb-4 border-b border-slate-200 bg-slate-50/95 px-4 py-3 backdrop-blur sm:mx-0 sm:rounded-lg sm:border sm:bg-white">
      <div className="flex items-center justify-between gap-3">
        <div className="min-w-0">
          <p className="text-lg font-bold text-slate-900">{summary}</p>
          <p
            role="status"
            aria-live="polite"
            className={`text-sm font-medium ${pending === 0 ? "text-green-800" : "text-amber-900"}`}
            data-testid="sync-status"
          >
            <span aria-hidden="true">{pending === 0 ? "✓ " : "● "}</span>
            {syncMessage(sync.state)}
          </p>
        </div>
        {hydrated ? (
          <Button
            type="button"
            variant="secondary"
            onClick={onUndo}
            disabled={!lastChange}
            aria-describedby={lastChange ? "last-change" : undefined}
            className="shrink-0 disabled:opacity-50"
          >
            <span aria-hidden="true">↶</span> Undo
          </Button>
        ) : null}
      </div>
      {lastChange ? (
        <p id="last-change" className="mt-1 truncate text-sm text-slate-700">
          Last change: {lastChange}
        </p>
      ) : null}
      {sync.signedOut ? (
        <p role="alert" className="mt-2 rounded-md border border-amber-300 bg-amber-50 p-2 text-sm text-amber-950">
          You have been signed out, so changes cannot be saved. They are kept on this phone:{" "}
          <a href={`/login?${new URLSearchParams({ redirectTo: registerPath(sessionId) })}`}>sign in again</a> and they will be sent.
        </p>
      ) : null}
      {sync.problem ? (
        <div role="alert" className="mt-2 flex items-start justify-between gap-2 rounded-md border border-red-300 bg-red-50 p-2 text-sm text-red-900">
          <p>{sync.problem}</p>
          <button type="button" onClick={sync.clearProblem} className="shrink-0 font-semibold underline">
            Dismiss
          </button>
        </div>
      ) : null}
    </div>
  );
}
