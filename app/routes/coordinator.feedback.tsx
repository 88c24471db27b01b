import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireRole } from "#app/auth/guards.server.ts";
import { PageHeader } from "#app/components/layout.tsx";
import { Pager } from "#app/components/pager.tsx";
import { PageParam } from "#app/utils/paging.ts";
import { getDb } from "#app/db.server.ts";
import { adjacentTerms, coordinatorFeedbackPage, termFromParam } from "#app/feedback/feedback.server.ts";
import { MIN_RESPONSES_SHOWN } from "#app/feedback/schemas.ts";
import { CourseTotals, SessionTable, TermNav } from "#app/feedback/results-view.tsx";

export const meta: MetaFunction = () => [{ title: "Feedback · NeverOK Training" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "coordinator");
  const params = new URL(request.url).searchParams;
  const term = termFromParam(params.get("term"));
  const { sessions, totals, page } = await coordinatorFeedbackPage(getDb(), term, PageParam.parse(params.get("page") ?? undefined));
  return { term: term.label, ...adjacentTerms(term), sessions, totals, page };
}

export default function CoordinatorFeedbackPage() {
  const { term, previous, next, sessions, totals, page } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title="Feedback"
        description={`What attendees said after every delivered session. Answers are anonymous; a session's own figures show once ${MIN_RESPONSES_SHOWN} people on its register have answered by their own emailed link (answers by the room's QR code never count towards that), and until then its answers count in the course totals.`}
      />
      <TermNav label={term} previous={previous} next={next} />
      <CourseTotals totals={totals} />
      <SessionTable sessions={sessions} empty={`No session in ${term} has been delivered yet.`} />
      {page.pages > 1 ? <Pager page={page} noun="sessions" /> : null}
    </>
  );
}
