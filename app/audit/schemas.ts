import { z } from "zod";
import { DateQuery } from "#app/utils/date-fields.ts";
import { AUDIT_CATEGORY_KEYS } from "./categories.ts";

const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((s) => s || undefined)
    .optional()
    .catch(undefined);

/**
 * The audit log's filters, as they come from the address. Anything that does not make sense (an
 * unknown kind, a date that is not a real day) means no limit rather than an error page.
 */
export const AuditLogQuerySchema = z.object({
  category: z.enum(AUDIT_CATEGORY_KEYS).optional().catch(undefined),
  actor: text(254),
  subject: text(200),
  from: DateQuery,
  to: DateQuery,
  /** Keyset paging: entries older than this one. */
  before: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional().catch(undefined),
});
export type AuditLogQuery = z.infer<typeof AuditLogQuerySchema>;
