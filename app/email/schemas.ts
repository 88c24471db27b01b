import { z } from "zod";
import type { EmailStatus } from "#db/schema.ts";

const EMAIL_STATUSES = ["held", "pending", "sending", "sent", "failed"] as const satisfies readonly EmailStatus[];

/** The outbox's filters, as they come from the address; a value that makes no sense is ignored. */
export const OutboxQuerySchema = z.object({
  status: z.enum(EMAIL_STATUSES).optional().catch(undefined),
  to: z.string().trim().max(254).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).optional().catch(undefined),
});
export type OutboxQuery = z.infer<typeof OutboxQuerySchema>;
