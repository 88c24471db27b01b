import type { Role } from "#db/schema.ts";

export const PERMISSIONS = [
  "manage:users",
  "manage:reference-data",
  "read:outbox",
  "read:audit",
  "read:trainer-home",
  "read:booker-home",
  "read:officer-home",
  "read:impact-report",
  "manage:leaders",
  "manage:privacy",
  "manage:venues",
] as const;

/** `action:entity[:own|any]`, checked in one place. */
export type Permission = (typeof PERMISSIONS)[number];

const GRANTS: Record<Role, readonly Permission[]> = {
  coordinator: [
    "manage:users",
    "manage:reference-data",
    "read:outbox",
    "read:audit",
    "read:impact-report",
    "manage:leaders",
    "manage:privacy",
    "manage:venues",
  ],
  trainer: ["read:trainer-home"],
  booker: ["read:booker-home"],
  officer: ["read:officer-home", "read:impact-report", "manage:leaders"],
};

export function hasPermission(roles: readonly Role[], permission: Permission): boolean {
  return roles.some((r) => GRANTS[r].includes(permission));
}

export const ROLE_LABELS: Record<Role, string> = {
  coordinator: "Coordinator",
  trainer: "Trainer",
  booker: "Booker",
  officer: "Union officer",
};

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  coordinator: "Schedules sessions, manages courses, rooms, organisations and people",
  trainer: "Delivers sessions, keeps availability, takes registers",
  booker: "Requests sessions for their organisation",
  officer: "Checks student-leader induction training",
};

/** Where each role lands after signing in, in order of preference. */
export const ROLE_HOME: Record<Role, string> = {
  coordinator: "/coordinator",
  trainer: "/trainer",
  booker: "/booker",
  officer: "/officer/leaders",
};
