import { parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "#app/auth/guards.server.ts";
import { BookingRequestForm, ruleViolationReply } from "#app/bookings/request-form.tsx";
import { createBookingRequest, requestFormOptions, RequestRuleViolations } from "#app/bookings/requests.server.ts";
import { BookingRequestSchema } from "#app/bookings/schemas.ts";
import { Card, EmptyState, PageHeader } from "#app/components/layout.tsx";
import { getDb } from "#app/db.server.ts";
import { redirectWithFlash } from "#app/utils/flash.server.ts";
import { invalid } from "#app/utils/forms.server.ts";
import { readFormData } from "#app/utils/request-body.server.ts";
import { plural } from "#app/utils/plural.ts";

export const meta: MetaFunction = () => [{ title: "Request a session · NeverOK Training" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "booker");
  return { options: await requestFormOptions(getDb(), user) };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "booker");
  const submission = parseWithZod(await readFormData(request), { schema: BookingRequestSchema });
  if (submission.status !== "success") return invalid(submission);
  let requestId: number;
  try {
    requestId = await createBookingRequest(getDb(), user, submission.value);
  } catch (err) {
    if (err instanceof RequestRuleViolations) return data(submission.reply(ruleViolationReply(err.fieldErrors)), { status: 400 });
    throw err;
  }
  return redirectWithFlash(`/booker/requests/${requestId}`, { kind: "success", message: "Request sent. We have emailed you a copy." });
}

export default function NewRequestPage() {
  const { options } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const onlyOrganisation = options.organisations.length === 1 ? options.organisations[0] : undefined;
  return (
    <>
      <PageHeader
        title="Request a session"
        description="Tell us about your group and the times that suit you. The training coordinator confirms a time and a place by email."
      />
      {options.organisations.length === 0 ? (
        <EmptyState>
          You are not a member of any organisation yet, so there is nothing to book for. Ask the training coordinator to add you to yours.
        </EmptyState>
      ) : (
        <div className="grid gap-6 lg:grid-cols-3">
          <Card className="lg:col-span-2">
            <BookingRequestForm
              id="booking-request-new"
              lastResult={lastResult}
              options={options}
              defaultValue={{ organisationId: onlyOrganisation ? String(onlyOrganisation.id) : undefined, locationKind: "campus" }}
              submitLabel="Send request"
              cancelTo="/booker"
            />
          </Card>
          <Card title="What happens next" className="self-start">
            <ol className="list-decimal space-y-3 pl-5 text-sm text-slate-800">
              <li>You get a copy of your request by email, and the training coordinator is told.</li>
              <li>The coordinator chooses one of your times, books a room if you need one and finds the trainers.</li>
              <li>You get a confirmation with a calendar invite. Your request shows as scheduled in My bookings.</li>
              <li>
                Until it is scheduled you can change anything. You can cancel here up to {plural(options.cancellationCutoffHours, "hour")} before the session
                starts.
              </li>
            </ol>
          </Card>
        </div>
      )}
    </>
  );
}
