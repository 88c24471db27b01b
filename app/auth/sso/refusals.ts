import type { SsoRefusal } from "./sso-sign-in.server.ts";

interface Refused {
  reason: SsoRefusal;
  provider: { name: string; emailDomains: string[] } | null;
  email: string | null;
}

/**
 * What a person can do next at the provider. Where the refusal is about who the provider says they
 * are, starting again only brings the same answer (the provider remembers them): they sign out there,
 * to sign in with another account. Where it is about this one attempt, they start again.
 */
export function ssoRefusalNextStep(reason: SsoRefusal): "start_again" | "switch_account" | null {
  switch (reason) {
    case "expired":
    case "cancelled":
    case "provider_error":
    case "unavailable":
    case "rejected":
      return "start_again";
    case "email_unverified":
    case "domain_not_allowed":
    case "not_invited":
    case "inactive":
    case "linked_elsewhere":
      return "switch_account";
    case "unknown_provider":
    case "no_email":
      return null;
  }
}

/** What a person is told when a provider's sign-in does not let them in: what happened and what they can do. */
export function ssoRefusalMessage(refused: Refused, coordinator: string): { title: string; text: string; status: number } {
  const name = refused.provider?.name ?? "The identity provider";
  const address = refused.email ?? "that address";
  const domains = refused.provider?.emailDomains.map((d) => `@${d}`).join(" or ") ?? "";
  switch (refused.reason) {
    case "unknown_provider":
      return {
        title: "That way of signing in is not set up",
        text: "Sign in with your email address and password instead, or ask the coordinator.",
        status: 404,
      };
    case "expired":
      return {
        title: "Start signing in again",
        text: "That sign-in was started in another browser, has been used already, or took more than ten minutes, so it cannot go on. Nothing has changed: start again.",
        status: 400,
      };
    case "cancelled":
      return { title: "You cancelled signing in", text: `You cancelled at ${name}, so you are not signed in. Start again when you are ready.`, status: 400 };
    case "provider_error":
      return {
        title: `${name} could not sign you in`,
        text: `${name} answered with an error. Try again; if it keeps happening, your IT service desk can see why on their side.`,
        status: 502,
      };
    case "unavailable":
      return {
        title: `${name} cannot be reached`,
        text: `${name} could not be reached just now, so you are not signed in. Try again in a few minutes; if you have a password here, you can sign in with it.`,
        status: 503,
      };
    case "rejected":
      return {
        title: "That sign-in did not pass our checks",
        text: `The answer from ${name} did not pass our security checks, so you are not signed in. Start again; if it happens again, tell ${coordinator}.`,
        status: 400,
      };
    case "no_email":
      return {
        title: `${name} did not give your email address`,
        text: `We find your account by your email address, and ${name} did not send it. Ask your IT service desk to release the email claim to NeverOK Training.`,
        status: 403,
      };
    case "email_unverified":
      return {
        title: "Your email address is not confirmed",
        text: `${name} has not confirmed that ${address} is yours, so it cannot sign you in to that account. Confirm the address with ${name}, or sign in with your password.`,
        status: 403,
      };
    case "domain_not_allowed":
      return {
        title: "That address is not one this provider signs in",
        text: `${name} signs in addresses ending ${domains} only, and you signed in as ${address}. Sign in with the account your invitation was sent to.`,
        status: 403,
      };
    case "not_invited":
      return {
        title: "No account for that address",
        text: `There is no NeverOK Training account for ${address}. Accounts are by invitation: ask ${coordinator} to invite you.`,
        status: 403,
      };
    case "inactive":
      return {
        title: "This account is switched off",
        text: `The account for ${address} has been switched off. If you think that is wrong, ask ${coordinator}.`,
        status: 403,
      };
    case "linked_elsewhere":
      return {
        title: "Your account is tied to another sign-in",
        text: `Your NeverOK Training account already signs in through a different ${name} account. Sign in with that one, or ask ${coordinator} to unlink it.`,
        status: 409,
      };
  }
}
