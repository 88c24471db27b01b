import { z } from "zod";
import { NameSchema, OptionalText } from "#app/utils/validation.ts";

/** Only an address a browser opens as a page: http or https, with a real host name and no password in it. */
function isWebAddress(value: string): boolean {
  if (/\s/.test(value)) return false;
  try {
    const url = new URL(value);
    return (url.protocol === "https:" || url.protocol === "http:") && url.hostname.includes(".") && !url.username && !url.password;
  } catch {
    return false;
  }
}

const digitCount = (value: string) => value.replace(/\D/g, "").length;

const WebAddressSchema = z
  .string()
  .trim()
  .max(500, { error: "Use at most 500 characters" })
  .optional()
  .transform((v) => v || null)
  .refine((v) => v === null || isWebAddress(v), { error: "Enter the full web address, starting with https://" });

const PhoneSchema = z
  .string()
  .trim()
  .max(40, { error: "Use at most 40 characters" })
  .regex(/^[0-9+() -]*$/, { error: "Use digits, spaces and + ( ) - only" })
  .optional()
  .transform((v) => v || null)
  .refine((v) => v === null || (digitCount(v) >= 3 && digitCount(v) <= 15), { error: "Enter a phone number of 3 to 15 digits, like 999 or 020 7946 0000" });

/**
 * One service in the support directory. It must be reachable: a web address, a phone number or
 * both. The phone number is kept as typed, so it reads as the service writes it.
 */
export const SupportServiceSchema = z
  .object({
    name: NameSchema,
    purpose: z
      .string({ error: "Say what the service is for" })
      .trim()
      .min(1, { error: "Say what the service is for" })
      .max(500, { error: "Use at most 500 characters" }),
    url: WebAddressSchema,
    phone: PhoneSchema,
    hours: OptionalText(120),
    urgent: z.boolean().optional().default(false),
  })
  .refine((s) => s.url !== null || s.phone !== null, {
    path: ["url"],
    error: "Give a web address, a phone number or both, so people can reach the service",
    when: (payload) => typeof payload.value === "object" && payload.value !== null,
  });

export type SupportServiceInput = z.infer<typeof SupportServiceSchema>;
