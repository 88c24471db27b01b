import { describe, expect, it } from "vitest";
import { createAuthSession, SESSION_COOKIE } from "#app/auth/session.server.ts";
import { getDb } from "#app/db.server.ts";
import * as importRoute from "#app/routes/venues.$organisationId_.import.tsx";
import * as venueRoute from "#app/routes/venues.$organisationId.tsx";
import { unique } from "#tests/compliance-fixtures.ts";
import { createCourse, createUser, formBody, sameSiteRequest } from "#tests/factories.ts";
import { routeOutcome } from "#tests/route-outcome.ts";
import { createStaffMember, createStaffRole, createVenue } from "#tests/staff-fixtures.ts";

/** A venue's pages called as the browser calls them, by the venue's own booker. */

const db = () => getDb();

async function setUp() {
  const venueId = await createVenue(db());
  const manager = await createUser(db(), { roles: ["booker"], organisationIds: [venueId] });
  const roleName = `Door supervisor ${unique()}`;
  const roleId = await createStaffRole(db(), [{ courseId: await createCourse(db()) }], roleName);
  const cookie = `${SESSION_COOKIE}=${(await createAuthSession(db(), manager.id, null)).token}`;
  return { venueId, roleId, roleName, cookie, params: { organisationId: String(venueId) } };
}

const names = async (venueId: number) =>
  (await db().selectFrom("staff_members").select("name").where("organisation_id", "=", venueId).orderBy("name").execute()).map((r) => r.name);

describe("a venue's page", () => {
  it("adds someone by hand, and puts a refusal beside the field with everything typed kept", async () => {
    const { venueId, roleId, cookie, params } = await setUp();
    const taken = await createStaffMember(db(), { organisationId: venueId, roleId, name: "Jo Known" });
    const typed = { intent: "add", name: "Sam Second", email: taken.email, staffNumber: "F-77", employer: "", roleId: String(roleId), startedOn: "2025-01-06" };
    const refused = await routeOutcome(() =>
      venueRoute.action({ request: sameSiteRequest("http://localhost:3000/x", { method: "POST", cookie, body: formBody(typed) }), params, context: {} }),
    );
    expect(refused.status).toBe(400);
    expect(refused.body.form).toBe("add");
    expect(refused.body.result.error).toEqual({ email: ["Jo Known is already on the staff list with this email"] });
    expect(refused.body.result.initialValue).toMatchObject({ name: "Sam Second", staffNumber: "F-77", startedOn: "2025-01-06" });

    const added = await routeOutcome(() =>
      venueRoute.action({
        request: sameSiteRequest("http://localhost:3000/x", {
          method: "POST",
          cookie,
          body: formBody({ ...typed, email: `sam.${unique()}@venue.example.com` }),
        }),
        params,
        context: {},
      }),
    );
    expect(added).toMatchObject({ status: 302, location: `/venues/${venueId}` });
    expect(await names(venueId)).toEqual(["Jo Known", "Sam Second"]);
  });

  it("imports a file only once it has been previewed, and the preview writes nothing", async () => {
    const { venueId, roleName, cookie, params } = await setUp();
    const csv = ["Name,Email,Role,Employer", `Rhi Price,rhi.${unique()}@shield.example,${roleName},Shield Security Ltd`].join("\r\n");
    const post = (fields: Record<string, string | Blob>) => {
      const form = new FormData();
      for (const [k, v] of Object.entries(fields)) {
        if (typeof v === "string") form.append(k, v);
        else form.append(k, v, "staff.csv");
      }
      const request = new Request("http://localhost:3000/x", { method: "POST", body: form, headers: { Cookie: cookie, "Sec-Fetch-Site": "same-origin" } });
      return routeOutcome(() => importRoute.action({ request, params, context: {} }));
    };
    const preview = await post({ intent: "preview", file: new Blob([csv], { type: "text/csv" }) });
    expect(preview.status).toBe(200);
    expect(preview.body.preview.counts).toMatchObject({ add: 1, error: 0 });
    expect(await names(venueId)).toEqual([]);
    const confirmed = await post({ intent: "confirm", csv, fileName: "staff.csv", fingerprint: preview.body.fingerprint });
    expect(confirmed).toMatchObject({ status: 302, location: `/venues/${venueId}` });
    expect(await names(venueId)).toEqual(["Rhi Price"]);
  });
});
