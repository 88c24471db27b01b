/**
 * How the register page's script and the server talk. A change sent by the script carries the sync
 * header; the answer is a status code and a header, never a page of HTML, so a phone on a weak
 * signal downloads next to nothing.
 */
export const SYNC_HEADER = "X-Register-Sync";
/** On a 204: what the server made of the change (for a walk-in, their registration id), as JSON. */
export const RESULT_HEADER = "X-Register-Result";
/** On a refusal: why, URI-encoded, in words the trainer reads. */
export const REFUSAL_HEADER = "X-Register-Refusal";

/** What adding a walk-in did: a new person, or someone already registered with that email, now marked present. */
export interface WalkInAnswer {
  registrationId: number;
  outcome: "added" | "matched";
}

export type SyncAnswer =
  | { kind: "saved"; walkIn: WalkInAnswer | null }
  /** The session expired: the change stays on the phone until they sign in again. */
  | { kind: "signed-out" }
  /** Refused for good (the register was closed, say): the change is dropped and the reason shown. */
  | { kind: "refused"; message: string }
  /** No signal, a server error: try again later. */
  | { kind: "failed" };

/** Reads the server's answer to one change. */
export function readSyncAnswer(res: Response): SyncAnswer {
  if (res.status === 204) {
    const result = res.headers.get(RESULT_HEADER);
    const parsed = result ? (JSON.parse(result) as Partial<WalkInAnswer> | null) : null;
    return { kind: "saved", walkIn: parsed && typeof parsed.registrationId === "number" ? (parsed as WalkInAnswer) : null };
  }
  // A redirect (not followed) is the sign-in page.
  if (res.type === "opaqueredirect" || res.status === 401) return { kind: "signed-out" };
  const refusal = res.headers.get(REFUSAL_HEADER);
  if (refusal !== null) return { kind: "refused", message: decodeURIComponent(refusal) };
  return { kind: "failed" };
}
