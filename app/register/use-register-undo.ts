import { useState } from "react";
import { personKey, randomKey, type PersonKey, type RegisterRow } from "./sync-queue.ts";
import type { RegisterSync } from "./use-register-sync.ts";

type UndoEntry = { kind: "mark"; person: PersonKey; name: string; before: boolean; after: boolean } | { kind: "walk-in"; clientKey: string; name: string };

/** How many taps Undo can take back: enough for a mis-tap or two at a busy door. */
const UNDO_DEPTH = 20;

/** The taps at the door, each one undoable: marking a person, adding a walk-in. */
export function useRegisterUndo(sync: RegisterSync) {
  const [undo, setUndo] = useState<UndoEntry[]>([]);
  const [lastAdded, setLastAdded] = useState<string | null>(null);
  const remember = (entry: UndoEntry) => setUndo((u) => [...u.slice(-(UNDO_DEPTH - 1)), entry]);

  function toggle(row: RegisterRow) {
    sync.add({ kind: "mark", person: row.key, present: !row.present });
    remember({ kind: "mark", person: row.key, name: row.name, before: row.present, after: !row.present });
  }

  function addWalkIn(name: string, email: string | null) {
    const clientKey = randomKey();
    sync.add({ kind: "walk-in", clientKey, name, email });
    remember({ kind: "walk-in", clientKey, name });
    setLastAdded(name);
  }

  function undoLast() {
    const last = undo.at(-1);
    if (!last) return;
    setUndo((u) => u.slice(0, -1));
    if (last.kind === "mark") {
      sync.add({ kind: "mark", person: last.person, present: last.before });
      return;
    }
    const answer = sync.walkInAnswers[last.clientKey];
    // A walk-in who turned out to be registered already is simply un-marked, never deleted.
    if (answer?.outcome === "matched") sync.add({ kind: "mark", person: personKey.registration(answer.registrationId), present: false });
    else sync.add({ kind: "remove-walk-in", clientKey: last.clientKey });
    setLastAdded(null);
  }

  const last = undo.at(-1);
  const lastChange = last ? (last.kind === "walk-in" ? `Added ${last.name}` : `${last.name}: ${last.after ? "present" : "not yet"}`) : null;
  return { toggle, addWalkIn, undoLast, lastChange, lastAdded };
}
