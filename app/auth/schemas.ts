import { z } from "zod";
import { EmailSchema, PasswordSchema, RedirectToSchema } from "#app/utils/validation.ts";

/** One schema per form, used by the page in the browser and by its action on the server. */

/** A password the person already has: only present, never judged (that was done when it was chosen). */
const KnownPassword = (message: string) => z.string({ error: message }).min(1, { error: message }).max(200);

/** A code from an authenticator app or a recovery code; the module says whether it is right. */
const Code = (message: string, tooLong?: string) =>
  z
    .string({ error: message })
    .trim()
    .min(1, { error: message })
    .max(64, tooLong ? { error: tooLong } : undefined);

export const SignInSchema = z.object({
  email: EmailSchema,
  password: KnownPassword("Enter your password"),
  redirectTo: RedirectToSchema,
});

export const PasswordResetRequestSchema = z.object({ email: EmailSchema });

/** A new password typed twice, from an emailed link (an invitation or a reset). */
export const SetPasswordSchema = z
  .object({ password: PasswordSchema, confirm: z.string({ error: "Type the password again" }) })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], error: "The two passwords are different" });

export const ChangePasswordSchema = z
  .object({
    currentPassword: KnownPassword("Enter your current password"),
    newPassword: PasswordSchema,
    confirmNewPassword: z.string({ error: "Type the new password again" }),
  })
  .refine((v) => v.newPassword === v.confirmNewPassword, { path: ["confirmNewPassword"], error: "The two new passwords are different" });

/**
 * The second factor: after the password at sign-in, and again before sensitive work (exporting or
 * erasing a person's data) when it was last given more than a few minutes ago.
 */
export const SecondFactorCodeSchema = z.object({
  code: Code("Enter the code", "That is too long to be a code"),
  redirectTo: RedirectToSchema,
});

/**
 * Turning the second factor on (or moving it to a new phone): the app's first code and the password;
 * signed in through a provider, the recent sign-in there stands for the password.
 */
export const ConfirmSecondFactorSchema = z.object({
  intent: z.literal("confirm"),
  code: Code("Enter the code your app shows"),
  currentPassword: KnownPassword("Enter your current password").optional(),
  redirectTo: RedirectToSchema,
});
