import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { registerTally, sessionResults } from "#app/feedback/feedback.server.ts";
import { MIN_RESPONSES_SHOWN } from "#app/feedback/schemas.ts";
import { formatFigure, isSuppressed, mean, people, share, SUPPRESSED } from "#app/reports/figures.ts";
import { getRequestForBooker } from "./requests.server.ts";

export interface DeliveredFigure {
  label: string;
  value: string;
  hint?: string;
}

/** What a booker sees of their session once it has taken place. */
export interface DeliveredSummary {
  attendance: {
    /** The group size the booking was made for. */
    expected: number;
    /** People the register has as present (names ticked, walk-ins added). */
    present: number;
    /** People counted at the door, where the trainer counted instead of taking names; null if not taken. */
    headCount: number | null;
  };
  /**
   * The session's feedback under the small-number rule: held back (only how many have answered) until
   * the feedback results would show it, and then each figure hidden as the impact report hides it.
   */
  feedback: { shown: false; responses: number; fromRegister: number; needed: number } | { shown: true; figures: DeliveredFigure[] };
}

/**
 * Attendance and feedback for a delivered booking, for a booker of its organisation; null while the
 * session has not been delivered. Anyone else is told the booking does not exist.
 */
export async function deliveredSummary(db: Kysely<Database>, booker: SessionUser, requestId: number): Promise<DeliveredSummary | null> {
  const booking = await getRequestForBooker(db, booker, requestId);
  if (!booking.session || booking.session.status !== "delivered") return null;
  const sessionId = booking.session.id;
  const [register, results] = await Promise.all([registerTally(db, sessionId), sessionResults(db, sessionId)]);
  return {
    attendance: { expected: booking.groupSize, ...register },
    feedback: results.suppressed
      ? { shown: false, responses: results.responses, fromRegister: results.fromRegister, needed: MIN_RESPONSES_SHOWN }
      : { shown: true, figures: feedbackFigures(results) },
  };
}

type Figures = Extract<Awaited<ReturnType<typeof sessionResults>>, { suppressed: false }>;

/**
 * The feedback results' means and shares as the impact report's figures, so that a part resting on
 * too few people (the confidence questions are optional) is hidden the same way there and here.
 */
function feedbackFigures(r: Figures): DeliveredFigure[] {
  const { paired, beforeMean, afterMean, roseShare } = r.confidence;
  const before = mean((beforeMean ?? 0) * paired, paired);
  const confidence: DeliveredFigure = !paired
    ? { label: "Confidence, before → now", value: "–", hint: "No one answered both questions" }
    : isSuppressed(before)
      ? { label: "Confidence, before → now", value: SUPPRESSED, hint: "answered both questions: too few to show" }
      : {
          label: "Confidence, before → now",
          value: `${formatFigure(before)} → ${formatFigure(mean((afterMean ?? 0) * paired, paired))}`,
          hint: `rose for ${formatFigure(share(Math.round((roseShare ?? 0) * paired), paired))} of ${formatFigure(people(paired))} who answered both`,
        };
  return [
    { label: "Answers", value: formatFigure(people(r.responses)) },
    { label: "Overall rating", value: `${formatFigure(mean(r.ratingMean * r.responses, r.responses))} / 5` },
    {
      label: "Would recommend",
      value: formatFigure(share(Math.round(r.recommendShare * r.responses), r.responses)),
      hint: "said yes to recommending it to a friend",
    },
    confidence,
  ];
}
