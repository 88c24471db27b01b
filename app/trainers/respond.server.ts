import { parseWithZod } from "@conform-to/zod/v4";
import { data } from "@remix-run/node";
import type { SessionUser } from "#app/auth/session.server.ts";
import { getDb } from "#app/db.server.ts";
import { respondToAssignment } from "#app/scheduling/assignments.server.ts";
import { getSessionDetail } from "#app/scheduling/session-detail.server.ts";
import { formatRange } from "#app/utils/dates.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { redirectWithFlash } from "#app/utils/flash.server.ts";
import { parseId } from "#app/utils/forms.server.ts";
import { DeclineSchema } from "./schemas.ts";

/**
 * A trainer's Accept or Decline from any page that lists their sessions. A refused decline comes
 * back tagged with its session, so a page with many sessions shows the message on the right one.
 */
export async function handleAssignmentResponse(user: SessionUser, formData: FormData, backTo: string) {
  const db = getDb();
  if (formData.get("intent") === "accept") {
    const sessionId = parseId(String(formData.get("sessionId") ?? ""));
    const s = sessionId ? await getSessionDetail(db, sessionId) : null;
    try {
      if (!s) throw new RuleViolation("form", "That session no longer exists");
      await respondToAssignment(db, user, { sessionId: s.id, response: "accept" });
    } catch (err) {
      if (err instanceof RuleViolation) return redirectWithFlash(backTo, { kind: "error", message: err.message });
      throw err;
    }
    return redirectWithFlash(backTo, {
      kind: "success",
      message: `You accepted ${s.course.name}, ${formatRange(s.startsAt, s.endsAt)}. Thank you: it is in your calendar feed.`,
    });
  }

  const submission = parseWithZod(formData, { schema: DeclineSchema });
  const sessionId = submission.status === "success" ? submission.value.sessionId : parseId(String(formData.get("sessionId") ?? ""));
  if (submission.status !== "success") return data({ sessionId, result: submission.reply() }, { status: 400 });
  const s = await getSessionDetail(db, submission.value.sessionId);
  try {
    if (!s) throw new RuleViolation("form", "That session no longer exists");
    await respondToAssignment(db, user, { sessionId: s.id, response: "decline", reason: submission.value.reason });
  } catch (err) {
    if (!(err instanceof RuleViolation)) throw err;
    const result = err.field === "reason" ? submission.reply({ fieldErrors: { reason: [err.message] } }) : submission.reply({ formErrors: [err.message] });
    return data({ sessionId, result }, { status: 400 });
  }
  return redirectWithFlash(backTo, {
    kind: "success",
    message: `You declined ${s.course.name}, ${formatRange(s.startsAt, s.endsAt)}. The coordinator has been told and will find someone else.`,
  });
}
