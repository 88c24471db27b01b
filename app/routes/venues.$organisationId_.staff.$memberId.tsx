import { data, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { notFound, requireRole } from "#app/auth/guards.server.ts";
import { Card, PageHeader } from "#app/components/layout.tsx";
import { getDb } from "#app/db.server.ts";
import { resultFor } from "#app/roster/record-forms.tsx";
import { formatDay } from "#app/utils/dates.ts";
import { redirectWithFlash } from "#app/utils/flash.server.ts";
import { parseId } from "#app/utils/forms.server.ts";
import { readFormData } from "#app/utils/request-body.server.ts";
import { staffMemberFor } from "#app/venues/access.server.ts";
import { EndForm, ExemptionForm, RecordedCard, TrainingCard, TrainingForm } from "#app/venues/member-view.tsx";
import { memberPage, memberPageAction } from "#app/venues/pages.server.ts";
import { StaffMemberForm, StaffStatusBadge } from "#app/venues/venue-view.tsx";

/** One person on a venue's staff list: their training course by course, their details, and what was recorded by hand. */

const PAGE_HEADERS = { "Cache-Control": "no-store" };
export const headers: HeadersFunction = () => PAGE_HEADERS;
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.member.name ?? "Staff member"} · NeverOK Training` }];

const VENUE_ROLES = ["coordinator", "booker"] as const;
const NOT_FOUND = "We could not find that person on a staff list you keep.";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireRole(request, VENUE_ROLES);
  const [organisationId, memberId] = [parseId(params.organisationId), parseId(params.memberId)];
  const page = organisationId && memberId ? await memberPage(getDb(), actor, organisationId, memberId) : null;
  if (!page) throw notFound(NOT_FOUND);
  return data(page, { headers: PAGE_HEADERS });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireRole(request, VENUE_ROLES);
  const [organisationId, memberId] = [parseId(params.organisationId), parseId(params.memberId)];
  if (!organisationId || !memberId || !(await staffMemberFor(getDb(), actor, organisationId, memberId))) throw notFound(NOT_FOUND);
  const outcome = await memberPageAction(getDb(), actor, organisationId, memberId, await readFormData(request));
  if (!outcome) throw data({ message: "We did not understand that request." }, { status: 400 });
  if ("refused" in outcome) return data(outcome.refused, { status: 400, headers: PAGE_HEADERS });
  return redirectWithFlash(`/venues/${organisationId}/staff/${memberId}`, outcome.flash);
}

export default function StaffMemberPage() {
  const page = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  const { venue, member, coverage } = page;
  return (
    <>
      <p className="mb-3 text-sm">
        <Link to={`/venues/${venue.id}`}>← {venue.name}</Link>
      </p>
      <PageHeader
        title={member.name}
        description={
          <>
            {member.roleName}
            {member.employer ? `, employed by ${member.employer}` : ""} · on the list since {formatDay(member.startedOn)}
            {coverage ? (
              <span className="ml-2 align-middle">
                <StaffStatusBadge status={coverage.status} />
              </span>
            ) : null}
          </>
        }
      />
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="min-w-0 space-y-6 lg:col-span-2">
          <TrainingCard data={page} />
          <RecordedCard data={page} refused={refused} />
          <Card title="Details">
            <StaffMemberForm
              id="update-staff"
              intent="update"
              roles={page.roles}
              lastResult={resultFor(refused, "update")}
              defaultValue={{
                name: member.name,
                email: member.email,
                staffNumber: member.staffNumber ?? "",
                employer: member.employer ?? "",
                roleId: String(member.roleId),
                startedOn: member.startedOn,
              }}
              submitLabel="Save details"
            />
          </Card>
        </div>
        <div className="min-w-0 space-y-6">
          <TrainingForm key={`training-${page.recorded.length}`} data={page} lastResult={resultFor(refused, "training")} />
          {page.canExempt ? <ExemptionForm key={`exemption-${page.exemptions.length}`} data={page} lastResult={resultFor(refused, "exemption")} /> : null}
          {member.endedOn ? null : <EndForm data={page} lastResult={resultFor(refused, "end")} />}
        </div>
      </div>
    </>
  );
}
