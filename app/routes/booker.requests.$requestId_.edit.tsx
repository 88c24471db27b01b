// "$requestId_" (trailing underscore): the edit page stands alone rather than inside the request page, which has no outlet.
import { parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import type { SessionUser } from "#app/auth/session.server.ts";
import { notFound, requireRole } from "#app/auth/guards.server.ts";
import { BookingRequestForm, ruleViolationReply } from "#app/bookings/request-form.tsx";
import { getRequestForEditing, requestFormOptions, RequestRuleViolations, updateBookingRequest } from "#app/bookings/requests.server.ts";
import { BookingRequestSchema } from "#app/bookings/schemas.ts";
import { Card, PageHeader } from "#app/components/layout.tsx";
import { getDb } from "#app/db.server.ts";
import { readAccessSet } from "#app/scheduling/room-access.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { redirectWithFlash } from "#app/utils/flash.server.ts";
import { invalid, parseId } from "#app/utils/forms.server.ts";
import { readFormData } from "#app/utils/request-body.server.ts";

export const meta: MetaFunction = () => [{ title: "Change your request · NeverOK Training" }];

/** Another organisation's request is "not found", never "forbidden": its existence is not ours to tell. */
async function loadForEditing(user: SessionUser, param: string | undefined) {
  const id = parseId(param);
  if (!id) throw notFound("We could not find that request.");
  try {
    return await getRequestForEditing(getDb(), user, id);
  } catch (err) {
    if (err instanceof RuleViolation && err.field === "not_found") throw notFound(err.message);
    throw err;
  }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "booker");
  const { request: row, times } = await loadForEditing(user, params.requestId);
  if (row.status !== "requested") {
    throw await redirectWithFlash(`/booker/requests/${row.id}`, {
      kind: "info",
      message:
        row.status === "scheduled"
          ? "This request is scheduled, so it can no longer be changed here. If something has changed, contact the training coordinator."
          : `This request is ${row.status}, so it cannot be changed. Send a new request instead.`,
    });
  }
  const [first, second, third] = times;
  return {
    requestId: row.id,
    options: await requestFormOptions(getDb(), user),
    values: {
      organisationId: String(row.organisation_id),
      courseId: String(row.course_id),
      groupSize: String(row.group_size),
      audience: row.audience,
      date1: first?.date,
      time1: first?.time,
      date2: second?.date,
      time2: second?.time,
      date3: third?.date,
      time3: third?.time,
      locationKind: row.location_kind,
      address: row.address ?? undefined,
      accessNeeds: readAccessSet(row.access_needs),
      accessibilityNeeds: row.accessibility_needs ?? undefined,
      notes: row.notes ?? undefined,
    },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "booker");
  const { request: row } = await loadForEditing(user, params.requestId);
  const submission = parseWithZod(await readFormData(request), { schema: BookingRequestSchema });
  if (submission.status !== "success") return invalid(submission);
  try {
    await updateBookingRequest(getDb(), user, row.id, submission.value);
  } catch (err) {
    if (err instanceof RequestRuleViolations) return data(submission.reply(ruleViolationReply(err.fieldErrors)), { status: 400 });
    throw err;
  }
  return redirectWithFlash(`/booker/requests/${row.id}`, { kind: "success", message: "Your changes are saved." });
}

export default function EditRequestPage() {
  const { requestId, options, values } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  return (
    <>
      <PageHeader title="Change your request" description="Change anything until the training coordinator schedules the session." />
      <Card className="max-w-4xl">
        <BookingRequestForm
          id={`booking-request-${requestId}`}
          lastResult={lastResult}
          options={options}
          defaultValue={values}
          submitLabel="Save changes"
          cancelTo={`/booker/requests/${requestId}`}
        />
      </Card>
    </>
  );
}
