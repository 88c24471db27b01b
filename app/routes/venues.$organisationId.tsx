import { data, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { notFound, requireRole } from "#app/auth/guards.server.ts";
import { ButtonLink } from "#app/components/button.tsx";
import { PageHeader } from "#app/components/layout.tsx";
import { getDb } from "#app/db.server.ts";
import { resultFor } from "#app/roster/record-forms.tsx";
import { londonToday } from "#app/utils/dates.ts";
import { redirectWithFlash } from "#app/utils/flash.server.ts";
import { parseId } from "#app/utils/forms.server.ts";
import { readFormData } from "#app/utils/request-body.server.ts";
import { venueFor } from "#app/venues/access.server.ts";
import { venuePage } from "#app/venues/coverage.server.ts";
import { roleChoices, venuePageAction } from "#app/venues/pages.server.ts";
import { CoverageSummary, LeaversCard, Panel, RolesCard, SendNextCard, StaffMemberForm, StaffTable } from "#app/venues/venue-view.tsx";

/** A partner venue's or staff team's staff list and how much of it is trained: for the coordinator and the venue's own booker. */

const PAGE_HEADERS = { "Cache-Control": "no-store" };
export const headers: HeadersFunction = () => PAGE_HEADERS;
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.page.venue.name ?? "Staff list"} · NeverOK Training` }];

const VENUE_ROLES = ["coordinator", "booker"] as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireRole(request, VENUE_ROLES);
  const db = getDb();
  const organisationId = parseId(params.organisationId);
  const page = organisationId ? await venuePage(db, actor, organisationId) : null;
  if (!page) throw notFound("We could not find that venue or staff team.");
  return data({ page, roles: await roleChoices(db), today: londonToday(), isCoordinator: page.canExempt }, { headers: PAGE_HEADERS });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireRole(request, VENUE_ROLES);
  const organisationId = parseId(params.organisationId);
  if (!organisationId || !(await venueFor(getDb(), actor, organisationId))) throw notFound("We could not find that venue or staff team.");
  const outcome = await venuePageAction(getDb(), actor, organisationId, await readFormData(request));
  if (!outcome) throw data({ message: "We did not understand that request." }, { status: 400 });
  if ("refused" in outcome) return data(outcome.refused, { status: 400, headers: PAGE_HEADERS });
  return redirectWithFlash(`/venues/${organisationId}`, outcome.flash);
}

export default function VenuePage() {
  const { page, roles, today, isCoordinator } = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  const { venue, summary, members, sendNext, nextSessions, leavers } = page;
  const memberHref = (id: number) => `/venues/${venue.id}/staff/${id}`;
  return (
    <>
      {isCoordinator ? (
        <p className="mb-3 text-sm">
          <Link to="/coordinator/venues">← Venues and staff teams</Link>
        </p>
      ) : null}
      <PageHeader
        title={venue.name}
        description={`${venue.kind === "partner_venue" ? "Partner venue" : "Staff team"}: who is on the staff list and whether their #NeverOK training is up to date.`}
        actions={
          <>
            <ButtonLink to={`/venues/${venue.id}/import`} variant="secondary">
              Import the staff list
            </ButtonLink>
            <ButtonLink to="#add">Add someone</ButtonLink>
          </>
        }
      />
      <div className="space-y-6">
        <CoverageSummary summary={summary} />
        <div className="grid gap-6 lg:grid-cols-3">
          <div className="min-w-0 space-y-6 lg:col-span-2">
            <section aria-labelledby="staff-heading" className="space-y-3">
              <h2 id="staff-heading" className="text-lg font-semibold text-slate-900">
                Staff on the list ({members.length})
              </h2>
              <StaffTable members={members} memberHref={memberHref} />
            </section>
            <Panel id="add" title="Add someone by hand">
              <StaffMemberForm
                key={`add-${members.length}`}
                id="add-staff"
                intent="add"
                roles={roles}
                lastResult={resultFor(refused, "add")}
                defaultValue={{ startedOn: today }}
                submitLabel="Add to the staff list"
              />
            </Panel>
            <LeaversCard leavers={leavers} refused={refused} />
          </div>
          <div className="min-w-0 space-y-6">
            <SendNextCard members={sendNext} sessions={nextSessions} memberHref={memberHref} canRequest={!isCoordinator} />
            <RolesCard roles={page.roles} />
          </div>
        </div>
      </div>
    </>
  );
}
