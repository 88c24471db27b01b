import { data, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { notFound, requirePermission } from "#app/auth/guards.server.ts";
import {
  AttendanceCard,
  LeaderHeader,
  NearMissesCard,
  OtherYearsCard,
  RemindersCard,
  RequirementsCard,
  RolesCard,
} from "#app/compliance/leader-detail-view.tsx";
import { leaderPage, leaderPageAction, leaderPageYear, requireLeaderId } from "#app/compliance/leader-page.server.ts";
import { ExemptionsCard, RecordedCard, RecordForms } from "#app/compliance/leader-records.tsx";
import { yearFromQuery } from "#app/compliance/page-year.server.ts";
import { getDb } from "#app/db.server.ts";
import { redirectWithFlash } from "#app/utils/flash.server.ts";
import { readFormData } from "#app/utils/request-body.server.ts";

/** One leader's training for a roster year: what their roles require, what met it, and what officers recorded by hand. */

const PAGE_HEADERS = { "Cache-Control": "no-store" };
export const headers: HeadersFunction = () => PAGE_HEADERS;
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.detail.person.name ?? "Leader"} · NeverOK Training` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "manage:leaders");
  const db = getDb();
  const personId = await requireLeaderId(db, params.personId);
  const year = await leaderPageYear(db, personId, await yearFromQuery(db, request));
  if (!year) throw notFound("No roster year is set up yet.");
  const page = await leaderPage(db, personId, year.startYear);
  if (!page) throw notFound("We could not find that leader.");
  return data(page, { headers: PAGE_HEADERS });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requirePermission(request, "manage:leaders");
  const db = getDb();
  const personId = await requireLeaderId(db, params.personId);
  const outcome = await leaderPageAction(db, actor, personId, await readFormData(request));
  if (!outcome) throw data({ message: "We did not understand that request." }, { status: 400 });
  // A refusal goes back to the form it came from, beside the field it is about, with everything typed kept.
  if ("refused" in outcome) return data(outcome.refused, { status: 400, headers: PAGE_HEADERS });
  return redirectWithFlash(`/officer/leaders/${personId}${new URL(request.url).search}`, outcome.flash);
}

export default function LeaderPage() {
  const { detail, today, courses } = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  return (
    <>
      <LeaderHeader detail={detail} />
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="min-w-0 space-y-6 lg:col-span-2">
          <RequirementsCard detail={detail} />
          <RolesCard detail={detail} />
          <NearMissesCard detail={detail} />
          <AttendanceCard detail={detail} />
          <RecordedCard detail={detail} refused={refused} />
          <ExemptionsCard detail={detail} refused={refused} />
        </div>
        <div className="min-w-0 space-y-6">
          <RecordForms detail={detail} courses={courses} today={today} refused={refused} />
          <RemindersCard detail={detail} />
          <OtherYearsCard detail={detail} />
        </div>
      </div>
    </>
  );
}
