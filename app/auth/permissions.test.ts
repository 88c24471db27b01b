import { describe, expect, it } from "vitest";
import { ROLES, type Role } from "#db/schema.ts";
import { hasPermission, ROLE_DESCRIPTIONS, ROLE_HOME, ROLE_LABELS, type Permission } from "./permissions.ts";

const ALL: Permission[] = [
  "manage:users",
  "manage:reference-data",
  "read:outbox",
  "read:audit",
  "read:trainer-home",
  "read:booker-home",
  "read:officer-home",
  "manage:leaders",
  "manage:privacy",
];

const granted = (roles: Role[]) => ALL.filter((p) => hasPermission(roles, p));

describe("hasPermission", () => {
  it("grants nothing to someone with no role", () => {
    expect(granted([])).toEqual([]);
  });

  it("lets a coordinator manage people, reference data, leader compliance and personal data, and read the outbox and audit log", () => {
    expect(granted(["coordinator"])).toEqual(["manage:users", "manage:reference-data", "read:outbox", "read:audit", "manage:leaders", "manage:privacy"]);
  });

  it("gives trainers and bookers only their own home, and officers theirs and leader compliance", () => {
    expect(granted(["trainer"])).toEqual(["read:trainer-home"]);
    expect(granted(["booker"])).toEqual(["read:booker-home"]);
    expect(granted(["officer"])).toEqual(["read:officer-home", "manage:leaders"]);
  });

  it("lets union officers and coordinators, and nobody else, manage leader compliance", () => {
    expect(hasPermission(["officer"], "manage:leaders")).toBe(true);
    expect(hasPermission(["coordinator"], "manage:leaders")).toBe(true);
    expect(hasPermission(["trainer"], "manage:leaders")).toBe(false);
    expect(hasPermission(["booker"], "manage:leaders")).toBe(false);
  });

  it("never lets a trainer, booker or officer manage people, reference data, or read the outbox or audit log", () => {
    for (const role of ["trainer", "booker", "officer"] as Role[]) {
      for (const p of ["manage:users", "manage:reference-data", "read:outbox", "read:audit", "manage:privacy"] as Permission[]) {
        expect(hasPermission([role], p), `${role} ${p}`).toBe(false);
      }
    }
  });

  it("combines the grants of several roles", () => {
    expect(granted(["trainer", "booker"])).toEqual(["read:trainer-home", "read:booker-home"]);
    expect(hasPermission(["booker", "coordinator"], "manage:users")).toBe(true);
  });
});

describe("role tables", () => {
  it("label, describe and route every role", () => {
    for (const role of ROLES) {
      expect(ROLE_LABELS[role]).toBeTruthy();
      expect(ROLE_DESCRIPTIONS[role]).toBeTruthy();
      expect(ROLE_HOME[role]).toMatch(/^\/[a-z]+(\/[a-z-]+)?$/);
    }
    expect(ROLE_LABELS.officer).toBe("Union officer");
    expect(ROLE_HOME.officer).toBe("/officer/leaders");
  });
});
