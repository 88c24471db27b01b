import { parseWithZod } from "@conform-to/zod/v4";
import { notFound } from "#app/auth/guards.server.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { listCourses } from "#app/reference/reference.server.ts";
import { academicYearLabel, formatDay, londonToday } from "#app/utils/dates.ts";
import { parseId } from "#app/utils/forms.server.ts";
import { attempt, type PageFormOutcome } from "#app/roster/page-forms.server.ts";
import { leaderDetail } from "./leader-detail.server.ts";
import { recordExemption, recordExternalCompletion, withdrawCompletion, withdrawExemption } from "./records.server.ts";
import type { Db } from "#db/schema.ts";
import { getLeaderYear, type LeaderYearRow } from "./facts.server.ts";
import { decideMatch, isMatchDecision } from "./match-decision.server.ts";
import { ExemptionFormSchema, ExternalCompletionFormSchema, WithdrawFormSchema } from "./schemas.ts";

/** One leader's page for an officer: whose it is, which year it shows, and what its forms do. */

/** The leader whose page the address names, or a 404 for anyone not on file. */
export async function requireLeaderId(db: Db, param: string | undefined): Promise<number> {
  const id = parseId(param);
  const person = id ? await db.selectFrom("leader_people").select("id").where("id", "=", id).executeTakeFirst() : null;
  if (!person) throw notFound("We could not find that leader.");
  return person.id;
}

/**
 * The roster year the page shows: the one in the address, or the current one (`yearFromQuery`);
 * when no year is current, the last year the person held a role, so their record can still be read.
 * Null when there is none.
 */
export async function leaderPageYear(db: Db, personId: number, fromQuery: LeaderYearRow | null): Promise<LeaderYearRow | null> {
  if (fromQuery) return fromQuery;
  const latest = await db
    .selectFrom("leader_appointments")
    .select("start_year")
    .where("person_id", "=", personId)
    .orderBy("start_year", "desc")
    .executeTakeFirst();
  return latest ? getLeaderYear(db, latest.start_year) : null;
}

/** The leader's record for a year, and the courses its forms offer; null when the person is no longer on file. */
export async function leaderPage(db: Db, personId: number, startYear: number) {
  const [detail, courses] = await Promise.all([leaderDetail(db, personId, startYear), listCourses(db)]);
  if (!detail) return null;
  return { detail, today: londonToday(), courses: courses.map((c) => ({ value: String(c.id), label: c.name })) };
}

/**
 * What a form on a leader's page asks, done for that leader only: the person is always the page's,
 * never a field of the form, and each record named by id must be theirs (the domain functions
 * refuse another leader's). Null for a form this page does not have.
 */
export async function leaderPageAction(db: Db, actor: SessionUser, personId: number, formData: FormData): Promise<PageFormOutcome | null> {
  const intent = String(formData.get("intent") ?? "");
  if (intent === "external") {
    return attempt(
      intent,
      parseWithZod(formData, { schema: ExternalCompletionFormSchema }),
      ["courseId", "completedOn", "provider", "evidenceNote"],
      (v) => recordExternalCompletion(db, actor, { personId, ...v, evidenceNote: v.evidenceNote ?? undefined }),
      (v) => `Recorded: training done on ${formatDay(v.completedOn)} with ${v.provider}.`,
    );
  }
  if (intent === "exemption") {
    return attempt(
      intent,
      parseWithZod(formData, { schema: ExemptionFormSchema }),
      ["courseId", "reason", "grantedBy"],
      (v) => recordExemption(db, actor, { personId, ...v }),
      (v) => `Recorded the exemption for ${academicYearLabel(v.startYear)}.`,
    );
  }
  if (intent === "withdraw-completion" || intent === "withdraw-exemption") {
    const completion = intent === "withdraw-completion";
    return attempt(
      `${intent}-${Number(formData.get("id")) || 0}`,
      parseWithZod(formData, { schema: WithdrawFormSchema }),
      ["reason"],
      (v) => (completion ? withdrawCompletion : withdrawExemption)(db, actor, { personId, ...v }),
      () =>
        completion
          ? "Withdrawn. The record stays in the history but no longer counts."
          : "Withdrawn. The exemption stays in the history but no longer applies.",
    );
  }
  if (isMatchDecision(intent)) return { flash: await decideMatch(db, actor, intent, { personId, registrationId: formData.get("registrationId") }) };
  return null;
}
