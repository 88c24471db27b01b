/** What the coordinator filters by. Each is a set of actions: exact names, or "prefix.*". */
export const AUDIT_CATEGORIES = {
  "sign-in": {
    label: "Sign-ins and passwords",
    actions: [
      "auth.signed_in",
      "auth.sign_in_failed",
      "auth.signed_out",
      "auth.password_check_failed",
      "auth.second_factor_set_up",
      "auth.second_factor_failed",
      "auth.second_factor_confirmed",
      "auth.recovery_codes_replaced",
      "user.password_reset_requested",
      "user.password_reset",
      "user.password_changed",
      "user.invitation_accepted",
      "user.created_from_command",
      "sso.sign_in_refused",
      "sso.identity_linked",
      "sso.provider_email_changed",
      "sso.account_created",
    ],
  },
  refusals: { label: "Refused access", actions: ["auth.refused"] },
  people: { label: "People and roles", actions: ["user.*", "trainer.*", "sso.identity_unlinked"] },
  sessions: { label: "Sessions and requests", actions: ["session.*", "request.*", "registration.*", "register.*"] },
  compliance: { label: "Leader compliance", actions: ["leader.*", "leader_role.*", "leader_year.*"] },
  venues: { label: "Venue and staff-team staff lists", actions: ["staff_member.*", "staff_list.*", "staff_role.*", "settings.venue_threshold_updated"] },
  privacy: { label: "Privacy and retention", actions: ["privacy.*", "settings.retention_updated"] },
  setup: {
    label: "Courses, rooms, organisations, support, sign-in providers, settings",
    actions: ["course.*", "room.*", "organisation.*", "support_service.*", "settings.*", "sso.provider_added", "sso.provider_changed", "sso.provider_removed"],
  },
} as const satisfies Record<string, { label: string; actions: readonly string[] }>;

export type AuditCategory = keyof typeof AUDIT_CATEGORIES;
export const AUDIT_CATEGORY_KEYS = Object.keys(AUDIT_CATEGORIES) as [AuditCategory, ...AuditCategory[]];

/** The category an action is listed under: an exact name wins over a prefix, so password resets are sign-in events. */
export function categoryOf(action: string): AuditCategory | null {
  for (const key of AUDIT_CATEGORY_KEYS) if ((AUDIT_CATEGORIES[key].actions as readonly string[]).includes(action)) return key;
  for (const key of AUDIT_CATEGORY_KEYS) {
    if (AUDIT_CATEGORIES[key].actions.some((a) => a.endsWith(".*") && action.startsWith(a.slice(0, -1)))) return key;
  }
  return null;
}
