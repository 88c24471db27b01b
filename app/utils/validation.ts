import { z } from "zod";
import { safeRedirect } from "./safe-redirect.ts";

/** Field schemas shared by every form, so an email or a password is checked the same way everywhere. */
export const EmailSchema = z
  .string({ error: "Enter an email address" })
  .trim()
  .min(1, { error: "Enter an email address" })
  .max(254, { error: "That email address is too long" })
  .pipe(z.email({ error: "Enter an email address like name@example.ac.uk" }))
  .transform((v) => v.toLowerCase());

export const PasswordSchema = z
  .string({ error: "Enter a password" })
  .min(10, { error: "Use at least 10 characters" })
  .max(200, { error: "Use at most 200 characters" });

export const NameSchema = z.string({ error: "Enter a name" }).trim().min(1, { error: "Enter a name" }).max(120, { error: "Use at most 120 characters" });

export const OptionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { error: `Use at most ${max} characters` })
    .optional()
    .transform((v) => (v ? v : null));

/** Text a form must have, with the message that says what to write. */
export const RequiredText = (max: number, message: string) =>
  z
    .string({ error: message })
    .trim()
    .min(1, { error: message })
    .max(max, { error: `Use at most ${max} characters` });

/** The id of something chosen on a form (a person, a course, a record); the message says what to choose. */
export const ChosenId = (message: string) => z.coerce.number({ error: message }).int({ error: message }).positive({ error: message });

/** A reason that goes into the email to the people it concerns (a decline, a cancellation, a move). */
export const EmailedReason = (message = "Give a reason; it goes into the email", max = 1000) =>
  z
    .string({ error: message })
    .trim()
    .min(3, { error: message })
    .max(max, { error: `Use at most ${max} characters` });

export const RedirectToSchema = z
  .string()
  .optional()
  .transform((v) => safeRedirect(v));

export { safeRedirect };
