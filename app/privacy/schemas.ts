import { z } from "zod";
import { EmailSchema } from "#app/utils/validation.ts";

/** The address typed into the search box (a GET query). */
export const PersonSearchSchema = z.object({ email: EmailSchema });

/** Erasing needs the address typed a second time, by hand. */
export const EraseSchema = z
  .object({
    email: EmailSchema,
    confirmEmail: z.string({ error: "Type the email address again to confirm" }).trim().min(1, { error: "Type the email address again to confirm" }),
  })
  .refine((v) => v.confirmEmail.toLowerCase() === v.email, { path: ["confirmEmail"], error: "This is not the same address. Type it exactly as shown above" });
