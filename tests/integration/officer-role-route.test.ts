import type { ActionFunctionArgs } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { createAuthSession, SESSION_COOKIE } from "#app/auth/session.server.ts";
import { getDb } from "#app/db.server.ts";
import * as roleRoute from "#app/routes/officer.roles.$roleId.tsx";
import { createLeaderRole, leaderCourses } from "#tests/compliance-fixtures.ts";
import { createUser, sameSiteRequest } from "#tests/factories.ts";
import { statusOf } from "#tests/route-outcome.ts";

type Action = (args: ActionFunctionArgs) => Promise<unknown>;

async function setUp() {
  const db = getDb();
  const officer = await createUser(db, { roles: ["officer"] });
  const cookie = `${SESSION_COOKIE}=${(await createAuthSession(db, officer.id, null)).token}`;
  const courses = await leaderCourses(db);
  const roleId = await createLeaderRole(db, [{ courseId: courses.bystander }]);
  const requirements = () => db.selectFrom("leader_role_requirements").select("course_id").where("role_id", "=", roleId).execute();
  const post = (body: URLSearchParams) =>
    (roleRoute.action as Action)({
      request: sameSiteRequest(`/officer/roles/${roleId}`, { method: "POST", cookie, body }),
      params: { roleId: String(roleId) },
      context: {},
    });
  return { requirements, post };
}

describe("a leader role's requirements", () => {
  it("an empty POST, or one with an unknown intent, is refused and leaves them as they were", async () => {
    const { requirements, post } = await setUp();
    expect(await requirements()).toHaveLength(1);
    expect(await statusOf(() => post(new URLSearchParams()))).toBe(400);
    expect(await statusOf(() => post(new URLSearchParams({ intent: "wipe" })))).toBe(400);
    expect(await requirements()).toHaveLength(1);
  });

  it("the requirements form, which says what it is, can still set them to nothing", async () => {
    const { requirements, post } = await setUp();
    expect(await statusOf(() => post(new URLSearchParams({ intent: "requirements" })))).toBe(302);
    expect(await requirements()).toHaveLength(0);
  });
});
