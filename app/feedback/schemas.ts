import { z } from "zod";
import type { Recommend } from "#db/schema.ts";
import { OptionalText } from "#app/utils/validation.ts";

const isObject = (payload: { value: unknown }) => typeof payload.value === "object" && payload.value !== null;

const scale = (error: string) => z.number({ error }).int({ error }).min(1, { error }).max(5, { error });

/**
 * The small-number rule: a session's feedback is shown on its own only once this many people who
 * were there (on the register, present, each answering once through their own emailed link) have
 * answered; fewer, and someone could be picked out. Answers by the room's QR code are shown with
 * them but never count towards it (see `resultsForSessions` in feedback.server.ts).
 */
export const MIN_RESPONSES_SHOWN = 5;

export const RATING_LABELS = ["Poor", "Fair", "Good", "Very good", "Excellent"] as const;
export const CONFIDENCE_LABELS = ["Not at all confident", "A little confident", "Fairly confident", "Quite confident", "Very confident"] as const;
export const RECOMMEND_LABELS: Record<Recommend, string> = { yes: "Yes", no: "No", not_sure: "Not sure" };

/**
 * The feedback form, the same for the emailed link and the room's QR code. Confidence before and
 * after are asked together so each person's pair can be compared; half a pair is no use, so giving
 * one asks for the other too. `wantsSupport` only changes what the page shows: it is never stored.
 */
export const FeedbackSchema = z
  .object({
    rating: scale("Choose a rating from 1 to 5"),
    recommend: z.enum(["yes", "no", "not_sure"], { error: "Choose yes, no or not sure" }),
    confidenceBefore: scale("Choose from 1 to 5").optional(),
    confidenceAfter: scale("Choose from 1 to 5").optional(),
    doDifferently: OptionalText(2000),
    comments: OptionalText(2000),
    wantsSupport: z.boolean().optional(),
  })
  // `when`: check the pair even while other answers are missing, so every error shows at once.
  .refine((v) => v.confidenceBefore === undefined || v.confidenceAfter !== undefined, {
    path: ["confidenceAfter"],
    error: "Also choose how confident you feel now",
    when: isObject,
  })
  .refine((v) => v.confidenceAfter === undefined || v.confidenceBefore !== undefined, {
    path: ["confidenceBefore"],
    error: "Also choose how confident you felt before",
    when: isObject,
  });

export type FeedbackInput = z.infer<typeof FeedbackSchema>;

export type QrRefusal = "already" | "busy" | "full" | "closed" | "no_device";

/** Why the room's QR form did not take an answer, as the person reads it. */
export const QR_REFUSALS: Record<QrRefusal, string> = {
  already: "You have already given feedback on this session from this phone or computer. Thank you: each device can answer once.",
  busy: "A lot of people are sending their answers at the same moment. Wait ten seconds and press “Send feedback” again: your answers are still here.",
  full: "This form has had as many answers as there were people at the session, so it is now closed. If you were there and have not answered yet, use the link we emailed you, or tell the trainer.",
  closed: "This feedback form is not taking answers now. It opens when the trainer closes the register and stays open for 30 days after the session.",
  no_device:
    "Your browser did not keep the small cookie this form uses to allow one answer per device. Allow cookies for this site, reload the page and try again.",
};
