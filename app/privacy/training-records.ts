/**
 * What the export gives of a person's completed training and exemptions. Leaders and venue staff keep
 * these in tables of their own, with the same columns, so one reading serves both. Queries alias the
 * record table as "t" and the course as "c" for these column lists to fit.
 */

export const COMPLETION_COLUMNS = ["c.name as course", "t.completed_on", "t.provider", "t.evidence_note", "t.withdrawn_at", "t.withdraw_reason"] as const;

export const EXEMPTION_COLUMNS = ["c.name as course", "t.reason", "t.granted_by", "t.created_at", "t.withdrawn_at", "t.withdraw_reason"] as const;

/** What erasure leaves of an exemption: that it was given, not why or by whom. */
export const ERASED_EXEMPTION = { reason: "(erased)", granted_by: "(erased)", withdraw_reason: null };

interface Withdrawable {
  withdrawn_at: string | null;
  withdraw_reason: string | null;
}

export function completionExport<Provider extends string | null>(
  c: Withdrawable & { course: string; completed_on: string; provider: Provider; evidence_note: string | null },
) {
  return {
    course: c.course,
    completedOn: c.completed_on,
    provider: c.provider,
    evidenceNote: c.evidence_note,
    withdrawnAt: c.withdrawn_at,
    withdrawReason: c.withdraw_reason,
  };
}

/** An exemption with no course covers every course. */
export function exemptionExport(e: Withdrawable & { course: string | null; reason: string; granted_by: string; created_at: string }) {
  return {
    course: e.course ?? "Every course",
    reason: e.reason,
    grantedBy: e.granted_by,
    createdAt: e.created_at,
    withdrawnAt: e.withdrawn_at,
    withdrawReason: e.withdraw_reason,
  };
}

export type CompletionExport<Provider extends string | null = string | null> = ReturnType<typeof completionExport<Provider>>;
export type ExemptionExport = ReturnType<typeof exemptionExport>;
