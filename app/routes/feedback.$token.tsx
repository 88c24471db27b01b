import type { SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { assertSameOrigin } from "#app/auth/csrf.server.ts";
import { getDb } from "#app/db.server.ts";
import { FeedbackForm, FeedbackFrame, FeedbackMessage, ThankYou } from "#app/feedback/feedback-form.tsx";
import { lookupFeedbackToken, submitWithToken } from "#app/feedback/feedback.server.ts";
import { FeedbackSchema } from "#app/feedback/schemas.ts";
import { invalid } from "#app/utils/forms.server.ts";
import { readFormData } from "#app/utils/request-body.server.ts";
import { TOKEN_PAGE_HEADERS, tokenPageHeaders, tokenPageMeta } from "#app/utils/token-page.ts";
import { SUPPORT_IN_PAGE } from "#app/components/support-signpost.tsx";

export const headers = tokenPageHeaders;
export const handle = SUPPORT_IN_PAGE;

export const meta: MetaFunction = () => tokenPageMeta("Feedback · NeverOK Training");

// Public: the link is the permission. Opening it only looks the token up, because mail scanners open links before people do.
export async function loader({ params }: LoaderFunctionArgs) {
  const found = await lookupFeedbackToken(getDb(), params.token ?? "");
  if (found.status !== "valid") return data({ status: found.status, session: null }, { headers: TOKEN_PAGE_HEADERS });
  const s = found.session;
  return data(
    { status: "valid" as const, session: { title: s.title, course: { name: s.course.name }, startsAt: s.startsAt, endsAt: s.endsAt } },
    { headers: TOKEN_PAGE_HEADERS },
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const submission = parseWithZod(await readFormData(request), { schema: FeedbackSchema });
  if (submission.status !== "success") return invalid(submission);
  const saved = await submitWithToken(getDb(), params.token ?? "", submission.value);
  if (saved.status !== "saved") return data({ refused: saved.status }, { status: 410, headers: TOKEN_PAGE_HEADERS });
  // Answered in this response, not by a redirect, so the support choice never lands in an address or a cookie.
  return data({ done: true as const, wantsSupport: submission.value.wantsSupport === true }, { headers: TOKEN_PAGE_HEADERS });
}

const PROBLEMS = {
  used: {
    title: "This link has been used",
    body: "Feedback has already been given with this link. Thank you! Each link works once, so that every person's answer counts once.",
  },
  expired: {
    title: "This link has expired",
    body: "Feedback links work for 30 days after the session, and this one has run out. Thank you for wanting to tell us how it went.",
  },
  unknown: {
    title: "This link doesn't work",
    body: "Check that you opened the whole link from the email: some email apps break long links across two lines. If it still does not work, the link may have been mistyped.",
  },
} as const;

export default function FeedbackLinkPage() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  if (actionData && "done" in actionData) {
    return (
      <FeedbackFrame title="Thank you" support={actionData.wantsSupport ? "none" : "after"}>
        <ThankYou wantsSupport={actionData.wantsSupport} />
      </FeedbackFrame>
    );
  }
  const problem = actionData && "refused" in actionData ? actionData.refused : loaderData.status !== "valid" ? loaderData.status : null;
  if (problem || !loaderData.session) {
    const p = PROBLEMS[problem ?? "unknown"];
    return (
      <FeedbackFrame title={p.title}>
        <FeedbackMessage>
          <p>{p.body}</p>
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
