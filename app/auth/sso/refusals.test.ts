import { describe, expect, it } from "vitest";
import { ssoRefusalMessage, ssoRefusalNextStep } from "./refusals.ts";
import type { SsoRefusal } from "./sso-sign-in.server.ts";

const ALL: SsoRefusal[] = [
  "unknown_provider",
  "expired",
  "cancelled",
  "provider_error",
  "unavailable",
  "rejected",
  "no_email",
  "email_unverified",
  "domain_not_allowed",
  "not_invited",
  "inactive",
  "linked_elsewhere",
];

describe("what a refused person can do next", () => {
  it("starts again when this one attempt went wrong, and signs out at the provider when the provider's answer about them would only come again", () => {
    const next = Object.fromEntries(ALL.map((r) => [r, ssoRefusalNextStep(r)]));
    expect(next).toEqual({
      unknown_provider: null,
      expired: "start_again",
      cancelled: "start_again",
      provider_error: "start_again",
      unavailable: "start_again",
      rejected: "start_again",
      // Another account at the provider would not release the address either: that is for the IT service desk.
      no_email: null,
      email_unverified: "switch_account",
      domain_not_allowed: "switch_account",
      not_invited: "switch_account",
      inactive: "switch_account",
      linked_elsewhere: "switch_account",
    });
  });

  it("every refusal has a title, a text and a 4xx or 5xx status", () => {
    for (const reason of ALL) {
      const message = ssoRefusalMessage(
        { reason, provider: { name: "Campus Account", emailDomains: ["campus.example.ac.uk"] }, email: "a@campus.example.ac.uk" },
        "the coordinator",
      );
      expect(message.title.length, reason).toBeGreaterThan(0);
      expect(message.text.length, reason).toBeGreaterThan(0);
      expect(message.status, reason).toBeGreaterThanOrEqual(400);
    }
  });
});
