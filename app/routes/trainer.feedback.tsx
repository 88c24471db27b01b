import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireRole } from "#app/auth/guards.server.ts";
import { PageHeader } from "#app/components/layout.tsx";
import { getDb } from "#app/db.server.ts";
import { adjacentTerms, termFromParam, trainerFeedback } from "#app/feedback/feedback.server.ts";
import { MIN_RESPONSES_SHOWN } from "#app/feedback/schemas.ts";
import { CourseTotals, SessionList, TermNav } from "#app/feedback/results-view.tsx";

export const meta: MetaFunction = () => [{ title: "Feedback on your sessions · NeverOK Training" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "trainer");
  const term = termFromParam(new URL(request.url).searchParams.get("term"));
  const { sessions, totals } = await trainerFeedback(getDb(), user.id, term);
  return { term: term.label, ...adjacentTerms(term), sessions, totals };
}

export default function TrainerFeedbackPage() {
  const { term, previous, next, sessions, totals } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title="Feedback on your sessions"
        description={`What people said after the sessions you delivered. Answers are anonymous; a session's own figures show once ${MIN_RESPONSES_SHOWN} people on its register have answered by their own emailed link (answers by the room's QR code never count towards that), and until then its answers count in the course totals.`}
      />
      <TermNav label={term} previous={previous} next={next} />
      <CourseTotals totals={totals} />
      <SessionList sessions={sessions} empty={`None of your sessions in ${term} has been delivered yet.`} />
    </>
  );
}
