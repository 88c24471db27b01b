import type { Submission } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect } from "@remix-run/node";
import type { SessionUser } from "#app/auth/session.server.ts";
import { getDb } from "#app/db.server.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { redirectWithFlash } from "#app/utils/flash.server.ts";
import { parseId } from "#app/utils/forms.server.ts";
import { registerPath } from "./paths.ts";
import { addWalkIn, closeRegister, markAttendance, removeWalkIn, setHeadCount, type RegisterPersonRef } from "./register.server.ts";
import { HeadCountSchema, WalkInSchema, type RegisterFormReply } from "./schemas.ts";
import { REFUSAL_HEADER, RESULT_HEADER, SYNC_HEADER } from "./sync-protocol.ts";
import { plural } from "#app/utils/plural.ts";

/** Sent by the page's own script, which wants a status code and a header back, not a page. */
export const isSyncRequest = (request: Request) => request.headers.get(SYNC_HEADER) === "1";

type FormName = RegisterFormReply["form"];

/** Data with a status and headers, a redirect, or a redirect still setting its flash message. */
type Reply = ReturnType<typeof data> | Response | Promise<Response>;

/** The same outcomes, answered to the page's script or to a plain form. */
interface Answers {
  /** Saved. The script gets `result`; a plain form goes back to the register (or `to`), with `flash` if given. */
  saved(plain: { to?: string; flash?: string }, result?: object): Reply;
  /** The input did not pass the form's schema: the script gets `message`, a plain form its errors beside the fields. */
  invalid(form: FormName, submission: Submission<unknown>, message: string): Reply;
  /** A rule refused the input: the script gets the reason, a plain form the message beside `error.field`. */
  broken(form: FormName, submission: Submission<unknown>, error: { field: string; message: string }): Reply;
  /** A rule refused the change (the register is closed, say): the script shows the reason, a plain form flashes it. */
  refused(message: string, status: number): Reply;
  notUnderstood(): Reply;
}

const refusal = (message: string, status: number) => data({ message }, { status, headers: { [REFUSAL_HEADER]: encodeURIComponent(message) } });

const scriptAnswers: Answers = {
  saved: (_plain, result = {}) => data(null, { status: 204, headers: { [RESULT_HEADER]: JSON.stringify(result) } }),
  invalid: (_form, _submission, message) => refusal(message, 400),
  broken: (_form, _submission, error) => refusal(error.message, 409),
  refused: refusal,
  notUnderstood: () => refusal("That request was not understood.", 400),
};

function formReply(form: FormName, submission: Submission<unknown>, error?: { field: string; message: string }) {
  const result = !error
    ? submission.reply()
    : error.field === "form"
      ? submission.reply({ formErrors: [error.message] })
      : submission.reply({ fieldErrors: { [error.field]: [error.message] } });
  return data({ form, result } satisfies RegisterFormReply, { status: 400 });
}

const formAnswers = (back: string): Answers => ({
  saved: ({ to = back, flash }) => (flash ? redirectWithFlash(to, { kind: "success", message: flash }) : redirect(to)),
  invalid: (form, submission) => formReply(form, submission),
  broken: (form, submission, error) => formReply(form, submission, error),
  refused: (message) => redirectWithFlash(back, { kind: "error", message }),
  notUnderstood: () => {
    throw data({ message: "We did not understand what you asked for." }, { status: 400 });
  },
});

/** Who a mark is for: a walk-in by the key the phone made for them, anyone else by registration id. */
function personOf(formData: FormData): RegisterPersonRef | null {
  const clientKey = String(formData.get("clientKey") ?? "");
  if (clientKey) return { clientKey };
  const registrationId = parseId(String(formData.get("registrationId") ?? ""));
  return registrationId ? { registrationId } : null;
}

/**
 * What the register page asks for: mark a person, add or take back a walk-in, record a head count,
 * close the register. The session is the one the page is for; the caller has checked the person may
 * take its register, and every domain function checks again.
 */
export async function handleRegisterIntent(user: SessionUser, sessionId: number, formData: FormData, sync: boolean) {
  const db = getDb();
  const back = registerPath(sessionId);
  const answer = sync ? scriptAnswers : formAnswers(back);
  try {
    switch (formData.get("intent")) {
      case "mark": {
        const person = personOf(formData);
        if (!person) return answer.refused("That person is not on this session's register.", 404);
        const { registrationId } = await markAttendance(db, user, { sessionId, ...person, present: formData.get("present") === "1" });
        const q = String(formData.get("q") ?? "").trim();
        return answer.saved({ to: `${back}${q ? `?${new URLSearchParams({ q })}` : ""}#person-${registrationId}` });
      }
      case "walk-in": {
        const submission = parseWithZod(formData, { schema: WalkInSchema });
        if (submission.status !== "success") return answer.invalid("walk-in", submission, "Give the walk-in's name (and, if you add one, a valid email).");
        const { name } = submission.value;
        try {
          const result = await addWalkIn(db, user, { sessionId, ...submission.value });
          const flash = result.outcome === "matched" ? `${name}: already registered with that email, now marked present.` : `Added ${name}, marked present.`;
          return answer.saved({ flash }, result);
        } catch (err) {
          if (err instanceof RuleViolation)
            return answer.broken("walk-in", submission, { field: err.field === "name" ? "name" : "form", message: err.message });
          throw err;
        }
      }
      case "remove-walk-in":
        await removeWalkIn(db, user, { sessionId, clientKey: String(formData.get("clientKey") ?? "") });
        return answer.saved({});
      case "head-count": {
        const submission = parseWithZod(formData, { schema: HeadCountSchema });
        if (submission.status !== "success") return answer.invalid("head-count", submission, "Enter the head count as a whole number.");
        try {
          await setHeadCount(db, user, { sessionId, count: submission.value.count });
        } catch (err) {
          if (err instanceof RuleViolation) return answer.broken("head-count", submission, { field: "count", message: err.message });
          throw err;
        }
        return answer.saved({ flash: `Head count saved: ${submission.value.count}.` });
      }
      case "close": {
        const r = await closeRegister(db, user, sessionId);
        const requests = `${plural(r.feedbackRequests, "feedback request")} sent`;
        return answer.saved({ flash: `Register closed: ${r.present} present, ${r.absent} absent. ${requests}.` });
      }
    }
  } catch (err) {
    if (err instanceof RuleViolation) return answer.refused(err.message, err.field === "not_found" ? 404 : 409);
    throw err;
  }
  return answer.notUnderstood();
}
