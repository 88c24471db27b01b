import { describe, expect, it } from "vitest";
import { ROLES, type Role } from "#db/schema.ts";
import { hasPermission, PERMISSIONS } from "./permissions.ts";

const granted = (roles: Role[]) => PERMISSIONS.filter((p) => hasPermission(roles, p));

describe("hasPermission", () => {
  it("grants nothing to someone with no role", () => {
    expect(granted([])).toEqual([]);
  });

  it("grants each role exactly what it needs, and no more", () => {
    expect(Object.fromEntries(ROLES.map((role) => [role, granted([role])]))).toEqual({
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
    });
  });

  it("combines the grants of several roles", () => {
    expect(granted(["trainer", "booker"])).toEqual(["read:trainer-home", "read:booker-home"]);
    expect(granted(["officer", "trainer"])).toEqual(["read:trainer-home", "read:officer-home", "read:impact-report", "manage:leaders"]);
    expect(hasPermission(["booker", "coordinator"], "manage:users")).toBe(true);
  });
});
