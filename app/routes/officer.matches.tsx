import { data, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useNavigation } from "@remix-run/react";
import { requirePermission } from "#app/auth/guards.server.ts";
import { ButtonLink } from "#app/components/button.tsx";
import { EmptyState, PageHeader } from "#app/components/layout.tsx";
import { Pager } from "#app/components/pager.tsx";
import { pageWindow } from "#app/utils/paging.ts";
import { RosterYearLinks } from "#app/compliance/leader-ui.tsx";
import { decideMatch, isMatchDecision } from "#app/compliance/match-decision.server.ts";
import { MATCHES_PAGE_SIZE, possibleMatchesPage } from "#app/compliance/matches-page.server.ts";
import { yearFromQuery } from "#app/compliance/page-year.server.ts";
import { PossibleMatchCard } from "#app/compliance/possible-match-card.tsx";
import { listLeaderYears } from "#app/compliance/roles.server.ts";
import { academicYearLabel } from "#app/utils/dates.ts";
import { getDb } from "#app/db.server.ts";
import { redirectWithFlash } from "#app/utils/flash.server.ts";
import { readFormData } from "#app/utils/request-body.server.ts";
import { plural } from "#app/utils/plural.ts";

/** Attendance under a leader's name but not their email or student ID, for an officer to say whether it was them. */

const PAGE_HEADERS = { "Cache-Control": "no-store" };
export const headers: HeadersFunction = () => PAGE_HEADERS;
export const meta: MetaFunction = () => [{ title: "Possible matches · NeverOK Training" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "manage:leaders");
  const db = getDb();
  const year = await yearFromQuery(db, request);
  const years = (await listLeaderYears(db)).map((y) => y.startYear);
  if (!year) {
    const nothing = { misses: [], page: pageWindow(0, 1, MATCHES_PAGE_SIZE), rolesByPerson: {} as Record<number, string[]> };
    return data({ year: null, years, ...nothing }, { headers: PAGE_HEADERS });
  }
  const matches = await possibleMatchesPage(db, year.startYear, new URL(request.url).searchParams.get("page"));
  return data({ year: { ...year, label: academicYearLabel(year.startYear) }, years, ...matches }, { headers: PAGE_HEADERS });
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requirePermission(request, "manage:leaders");
  const here = `/officer/matches${new URL(request.url).search}`;
  const formData = await readFormData(request);
  const intent = formData.get("intent");
  if (!isMatchDecision(intent)) return redirectWithFlash(here, { kind: "error", message: "We could not tell which match you meant. Please try again." });
  const decided = await decideMatch(getDb(), actor, intent, { personId: formData.get("personId"), registrationId: formData.get("registrationId") });
  return redirectWithFlash(here, decided);
}

export default function MatchesPage() {
  const { year, years, misses, page, rolesByPerson } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const pendingKey = navigation.state === "submitting" ? `${navigation.formData?.get("personId")}:${navigation.formData?.get("registrationId")}` : null;
  return (
    <>
      <PageHeader
        title="Possible matches"
        description={
          <>
            Attendance counts by itself when the register has the leader's email address or student ID. When only the name is the same, it is listed here for
            you to decide{year ? ` (${year.label})` : ""}.
          </>
        }
        actions={
          <>
            {year ? <RosterYearLinks years={years} current={year.startYear} /> : null}
            <ButtonLink to={year ? `/officer/leaders?year=${year.startYear}` : "/officer/leaders"} variant="secondary">
              Back to leaders
            </ButtonLink>
          </>
        }
      />
      {!year ? (
        <EmptyState>
          No roster year is set up yet.{" "}
          <Link to="/officer/roles" className="underline">
            Set one up
          </Link>{" "}
          and import the roster first.
        </EmptyState>
      ) : page.total === 0 ? (
        <EmptyState>Nothing to check in {year.label}: nobody has attended under a leader&apos;s name without their email address or student ID.</EmptyState>
      ) : (
        <>
          <p className="mb-4 text-slate-700">
            {plural(page.total, "attendance")} to check, most recent first. Confirm and it counts as the leader's training; say not them and it is not shown
            again for that leader.
          </p>
          <ul className="space-y-4">
            {misses.map(({ why, ...m }) => (
              <li key={`${m.personId}:${m.registrationId}`}>
                <PossibleMatchCard
                  match={m}
                  why={why}
                  roles={rolesByPerson[m.personId] ?? []}
                  startYear={year.startYear}
                  pending={pendingKey === `${m.personId}:${m.registrationId}`}
                />
              </li>
            ))}
          </ul>
          <Pager page={page} noun="attendances" className="no-print" hrefFor={(p) => `?year=${year.startYear}${p > 1 ? `&page=${p}` : ""}`} />
        </>
      )}
    </>
  );
}
