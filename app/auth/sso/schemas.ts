import { z } from "zod";
import { NameSchema } from "#app/utils/validation.ts";

/** The short name in the provider's addresses: lower-case letters and digits, words joined by single hyphens. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const SLUG_MAX = 60;

/** A short name made from the button's name: "Université de Genève" gives "universite-de-geneve". */
export function slugFromName(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, SLUG_MAX)
    .replace(/^-+|-+$/g, "");
  return slug || "provider";
}

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** A plain-http issuer on this machine: the local test provider. Anything else must use https. */
export function isLoopbackIssuer(issuerUrl: string): boolean {
  try {
    const url = new URL(issuerUrl);
    return url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname);
  } catch {
    return false;
  }
}

/** Why an issuer address cannot be used, in words for the field; null when it can. */
export function issuerProblem(value: string): string | null {
  if (/\s/.test(value)) return "Enter the issuer address without spaces";
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "Enter the full issuer address, starting with https://";
  }
  if (url.protocol !== "https:" && !isLoopbackIssuer(value)) return "Enter the full issuer address, starting with https://";
  if (url.username || url.password) return "Leave out any user name or password: the issuer address is public";
  if (url.search || url.hash || value.includes("?") || value.includes("#")) return "Leave out anything after ? or #: the issuer address has none";
  if (!url.hostname.includes(".") && !LOOPBACK_HOSTS.has(url.hostname)) return "Enter the full issuer address, with the provider's whole host name";
  return null;
}

const DOMAIN_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Whether `domain` (lower-case) is a domain name email is sent to: two or more labels, the last not all digits. */
export function isDomainName(domain: string): boolean {
  if (domain.length > 253) return false;
  const labels = domain.split(".");
  return labels.length >= 2 && labels.every((l) => DOMAIN_LABEL.test(l)) && !/^\d+$/.test(labels.at(-1)!);
}

/** The domains as typed (spaces, commas or new lines between them, an @ in front allowed), lower-case, each once. */
export function domainsFromText(text: string): string[] {
  const seen = new Set<string>();
  for (const part of text.toLowerCase().split(/[\s,;]+/)) {
    const domain = part.replace(/^@/, "").replace(/\.$/, "");
    if (domain) seen.add(domain);
  }
  return [...seen];
}

const checked = z.boolean().optional().default(false);

/**
 * A sign-in provider as the coordinator describes it. The client secret is write-only: blank keeps
 * the one already saved; `publicClient` says the provider gave none (sign-in then relies on PKCE alone).
 */
export const SignInProviderSchema = z
  .object({
    name: NameSchema,
    slug: z
      .string()
      .trim()
      .max(SLUG_MAX, { error: `Use at most ${SLUG_MAX} characters` })
      .optional()
      .transform((v) => (v ? v.toLowerCase() : null))
      .refine((v) => v === null || SLUG_PATTERN.test(v), { error: "Use lower-case letters, digits and single hyphens only, like university-of-sussex" }),
    issuerUrl: z
      .string({ error: "Enter the issuer address the provider gives" })
      .trim()
      .min(1, { error: "Enter the issuer address the provider gives" })
      .max(500, { error: "Use at most 500 characters" })
      .superRefine((v, ctx) => {
        const problem = issuerProblem(v);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      }),
    clientId: z
      .string({ error: "Enter the client id the provider gave you" })
      .trim()
      .min(1, { error: "Enter the client id the provider gave you" })
      .max(500, { error: "Use at most 500 characters" }),
    clientSecret: z
      .string()
      .max(2000, { error: "Use at most 2000 characters" })
      .optional()
      .transform((v) => (v?.trim() ? v.trim() : null)),
    publicClient: checked,
    emailDomains: z
      .string({ error: "Enter at least one email domain, like sussex.ac.uk" })
      .max(2000, { error: "Use at most 2000 characters" })
      .transform(domainsFromText)
      .superRefine((domains, ctx) => {
        if (domains.length === 0) ctx.addIssue({ code: "custom", message: "Enter at least one email domain, like sussex.ac.uk" });
        const bad = domains.filter((d) => !isDomainName(d));
        if (bad.length)
          ctx.addIssue({ code: "custom", message: `Not a domain name: ${bad.slice(0, 3).join(", ")}. Write only the part after the @, like sussex.ac.uk` });
        if (domains.length > 20) ctx.addIssue({ code: "custom", message: "List at most 20 domains" });
      }),
    ssoRequired: checked,
    bookersMayJoin: checked,
    trustsProviderSecondFactor: checked,
    isEnabled: checked,
  })
  .refine((p) => !(p.publicClient && p.clientSecret), {
    path: ["clientSecret"],
    error: "A public client has no secret: clear this box, or untick “Public client”",
    when: (payload) => typeof payload.value === "object" && payload.value !== null,
  });

export type SignInProviderInput = z.infer<typeof SignInProviderSchema>;

/** Removing a provider is confirmed on the form, having read how many accounts it takes with it. */
const CONFIRM_REMOVAL = "Tick the box to confirm the removal";
export const RemoveProviderSchema = z.object({
  confirm: z.boolean({ error: CONFIRM_REMOVAL }).refine((v) => v, { error: CONFIRM_REMOVAL }),
});
