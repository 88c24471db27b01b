import type { SessionUser } from "#app/auth/session.server.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import type { Flash } from "#app/utils/flash.server.ts";
import { confirmMatch, dismissMatch } from "./near-misses.server.ts";
import type { Db } from "#db/schema.ts";
import { MatchSchema } from "./schemas.ts";

export const MATCH_DECISIONS = ["confirm", "dismiss"] as const;
export type MatchDecision = (typeof MATCH_DECISIONS)[number];

export function isMatchDecision(intent: unknown): intent is MatchDecision {
  return MATCH_DECISIONS.includes(intent as MatchDecision);
}

/**
 * An officer's decision on a possible match, from the matches page or the leader's own page, and
 * what to tell them. Only a pair the app proposed is settled (`confirmMatch` and `dismissMatch`
 * check it); anything else is refused with nothing written.
 */
export async function decideMatch(db: Db, actor: SessionUser, decision: MatchDecision, input: { personId: unknown; registrationId: unknown }): Promise<Flash> {
  const match = MatchSchema.safeParse(input);
  if (!match.success) return { kind: "error", message: "We could not tell which attendance you meant. Please try again." };
  try {
    if (decision === "confirm") await confirmMatch(db, actor, match.data);
    else await dismissMatch(db, actor, match.data);
  } catch (err) {
    // A decision has nothing typed to keep: the refusal is a message at the top of the page.
    if (err instanceof RuleViolation) return { kind: "error", message: err.message };
    throw err;
  }
  const person = await db.selectFrom("leader_people").select("name").where("id", "=", match.data.personId).executeTakeFirst();
  const name = person?.name ?? "the leader";
  return decision === "confirm"
    ? { kind: "success", message: `Confirmed. The attendance now counts as ${name}'s training.` }
    : { kind: "success", message: `Noted: not ${name}. It will not be shown for them again.` };
}
