import type { SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { assertSameOrigin } from "#app/auth/csrf.server.ts";
import { getDb } from "#app/db.server.ts";
import { FeedbackForm, FeedbackFrame, FeedbackMessage, ThankYou } from "#app/feedback/feedback-form.tsx";
import { deviceHasAnswered, sessionForQrCode, submitWithQr, type FeedbackSessionInfo } from "#app/feedback/feedback.server.ts";
import { FeedbackSchema, QR_REFUSALS } from "#app/feedback/schemas.ts";
import { getEnv, isProduction } from "#app/utils/env.server.ts";
import { invalid, replyWithError } from "#app/utils/forms.server.ts";
import { TOKEN_PAGE_HEADERS, tokenPageHeaders, tokenPageMeta } from "#app/utils/token-page.ts";
import { randomToken } from "#app/utils/tokens.server.ts";
import { readFormData } from "#app/utils/request-body.server.ts";
import { SUPPORT_IN_PAGE } from "#app/components/support-signpost.tsx";

export const headers = tokenPageHeaders;
export const handle = SUPPORT_IN_PAGE;

export const meta: MetaFunction = () => tokenPageMeta("Feedback · NeverOK Training");

/** A long random id for this browser, so the anonymous form can take one answer per device; only its hash is stored. */
const DEVICE_COOKIE = "neverok_feedback_device";

function readDeviceId(request: Request): string | null {
  for (const part of (request.headers.get("Cookie") ?? "").split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === DEVICE_COOKIE) return rest.join("=") || null;
  }
  return null;
}

function deviceCookie(id: string): string {
  const secure = isProduction() && getEnv().APP_URL.startsWith("https://");
  return `${DEVICE_COOKIE}=${id}; Path=/feedback; HttpOnly; SameSite=Lax; Max-Age=${365 * 24 * 3600}${secure ? "; Secure" : ""}`;
}

const view = (s: FeedbackSessionInfo) => ({ title: s.title, course: { name: s.course.name }, startsAt: s.startsAt, endsAt: s.endsAt });

// Public: the code on the room's screen is the permission. Reading the page changes nothing but the device cookie.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const found = await sessionForQrCode(db, params.code ?? "");
  if (found.status === "unknown") return data({ status: "unknown" as const, session: null }, { headers: TOKEN_PAGE_HEADERS });
  if (found.status !== "open") return data({ status: found.status, session: view(found.session) }, { headers: TOKEN_PAGE_HEADERS });
  const headers = new Headers(TOKEN_PAGE_HEADERS);
  let deviceId = readDeviceId(request);
  if (!deviceId) {
    deviceId = randomToken(32);
    headers.append("Set-Cookie", deviceCookie(deviceId));
  }
  const answered = await deviceHasAnswered(db, found.sessionId, deviceId);
  return data({ status: answered ? ("answered" as const) : ("open" as const), session: view(found.session) }, { headers });
}

export async function action({ request, params }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const submission = parseWithZod(await readFormData(request), { schema: FeedbackSchema });
  if (submission.status !== "success") return invalid(submission);
  const result = await submitWithQr(getDb(), params.code ?? "", readDeviceId(request), submission.value);
  if (result.status === "saved") return data({ done: true as const, wantsSupport: submission.value.wantsSupport === true });
  // A pause or a cookie fixes these: keep the person's answers on the form.
  if (result.reason === "busy") return replyWithError(submission, "form", result.message, 429);
  if (result.reason === "no_device") return replyWithError(submission, "form", result.message, 400);
  return data({ refused: result.reason }, { status: 409 });
}

const STATES = {
  unknown: {
    title: "This code doesn't work",
    body: "We could not find a feedback form for this code. Try scanning it again, or type the address shown under the code on the screen.",
  },
  not_yet: { title: "Feedback opens soon", body: "This form opens when the trainer closes the session's register. Try again at the end of the session." },
  closed: { title: "This feedback form has closed", body: QR_REFUSALS.closed },
  answered: { title: "You have already given feedback", body: QR_REFUSALS.already },
  already: { title: "You have already given feedback", body: QR_REFUSALS.already },
  full: { title: "This feedback form has closed", body: QR_REFUSALS.full },
} as const;

export default function QrFeedbackPage() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  if (actionData && "done" in actionData) {
    return (
      <FeedbackFrame title="Thank you" session={loaderData.session} support={actionData.wantsSupport ? "none" : "after"}>
        <ThankYou wantsSupport={actionData.wantsSupport} />
      </FeedbackFrame>
    );
  }
  const state = actionData && "refused" in actionData ? actionData.refused : loaderData.status;
  if (state !== "open" || !loaderData.session) {
    const s = STATES[state === "open" ? "unknown" : state];
    return (
      <FeedbackFrame title={s.title} session={loaderData.session}>
        <FeedbackMessage>
          <p>{s.body}</p>
        </FeedbackMessage>
      </FeedbackFrame>
    );
  }
  return (
    <FeedbackFrame title="How was the session?" session={loaderData.session} support="before">
      <FeedbackForm lastResult={actionData as SubmissionResult<string[]> | undefined} topic={loaderData.session.course.name} />
    </FeedbackFrame>
  );
}
