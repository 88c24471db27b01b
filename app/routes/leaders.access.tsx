import { parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { assertSameOrigin } from "#app/auth/csrf.server.ts";
import { LeaderLinkForm } from "#app/compliance/leader-link-form.tsx";
import { LeaderLinkRequestSchema } from "#app/compliance/schemas.ts";
import { requestLeaderLink } from "#app/compliance/self-service.server.ts";
import { getDb } from "#app/db.server.ts";
import { PublicMasthead } from "#app/signup/public-page.tsx";
import { readFormData, SHORT_FORM_MAX_BYTES } from "#app/utils/request-body.server.ts";
import { answerAfter } from "#app/utils/steady-answer.server.ts";

export const meta: MetaFunction = () => [
  { title: "Check your leader training · NeverOK Training" },
  {
    name: "description",
    content: "Student leaders: get a link by email to see the training your role needs, what you have done and the sessions to book.",
  },
];

// Public: no sign-in. The answer is the same whatever the address, so it cannot be used to find out who is on a roster.
export async function action({ request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const submission = parseWithZod(await readFormData(request, { maxBytes: SHORT_FORM_MAX_BYTES }), {
    schema: LeaderLinkRequestSchema,
  });
  if (submission.status !== "success") return data({ result: submission.reply(), message: null }, { status: 400 });
  // An email is written only for an address on a roster: the answer takes as long for any address.
  const { message } = await answerAfter(() => requestLeaderLink(getDb(), submission.value.email));
  return { result: submission.reply({ resetForm: true }), message };
}

export default function LeaderAccessPage() {
  const actionData = useActionData<typeof action>();
  const answer = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (actionData?.message) answer.current?.focus();
  }, [actionData]);
  return (
    <>
      <PublicMasthead />
      <div className="mx-auto max-w-xl">
        <h1 className="text-2xl font-bold tracking-tight text-slate-900 sm:text-3xl">Check your leader training</h1>
        {actionData?.message ? (
          <div
            ref={answer}
            tabIndex={-1}
            role="status"
            className="mt-6 space-y-3 rounded-lg border border-green-300 bg-green-50 p-5 text-green-950 outline-none"
          >
            <h2 className="text-lg font-semibold">Check your email</h2>
            <p>{actionData.message}</p>
            <p className="text-sm">
              Nothing yet? The link goes to the address the Students&apos; Union has for you as a leader, which may be your university email.{" "}
              <Link to="/leaders/access" className="font-semibold text-green-950 underline">
                Try another address
              </Link>
              .
            </p>
          </div>
        ) : (
          <>
            <p className="mt-3 text-slate-800">
              If you are a student leader this year (a Freshers&apos; Week captain, hall rep, club or society committee member, course rep, network lead or
              buddy), we can email you a link to a page that shows what training your role needs, what you have done, and the sessions you can book. No account
              needed.
            </p>
            <div className="mt-6 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200 sm:p-6">
              <LeaderLinkForm lastResult={actionData?.result} />
            </div>
            <p className="mt-6 text-sm text-slate-700">
              Looking for a session to sign up to?{" "}
              <Link to="/sessions/open" className="underline">
                See all open sessions
              </Link>
              .
            </p>
          </>
        )}
      </div>
    </>
  );
}
