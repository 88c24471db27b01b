import { z } from "zod";
import { DateField, isRealDate } from "#app/utils/date-fields.ts";

/** A period the university is closed, kept in the settings: "Christmas closure", 24 December to 1 January. */
export type ClosurePeriod = {
  id: string;
  name: string;
  /** The first and last closed days, both included. */
  first: string;
  last: string;
};

const name = z
  .string({ error: "Name the closure, for example Christmas closure" })
  .trim()
  .min(1, { error: "Name the closure, for example Christmas closure" })
  .max(80, { error: "Use at most 80 characters" });

/** The coordinator adds a closure period on the settings page. */
export const AddClosureSchema = z
  .object({
    intent: z.literal("add-closure"),
    name,
    first: DateField("Enter the first closed day"),
    last: DateField("Enter the last closed day"),
  })
  .refine((v) => v.last >= v.first, { path: ["last"], error: "The last day must be on or after the first day" });
export type ClosurePeriodInput = Pick<z.infer<typeof AddClosureSchema>, "name" | "first" | "last">;

export const RemoveClosureSchema = z.object({ intent: z.literal("remove-closure"), closureId: z.string().trim().min(1).max(100) });

/** What the settings row holds; anything else in it is ignored rather than trusted. */
export const ClosurePeriodListSchema = z.array(
  z.object({ id: z.string(), name: z.string(), first: z.string().refine(isRealDate), last: z.string().refine(isRealDate) }),
);
