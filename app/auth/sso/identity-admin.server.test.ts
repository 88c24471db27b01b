import { beforeAll, describe, expect, it } from "vitest";
import type { Role } from "#db/schema.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { getDb } from "#app/db.server.ts";
import { getPerson, listPeople } from "#app/users/users.server.ts";
import { createUser } from "#tests/factories.ts";
import { expectViolation } from "#tests/rule-violations.ts";
import { linkIdentity, providerInput, sessionExists as sessionExistsIn, sessionThrough as sessionThroughIn } from "#tests/sso-fixtures.ts";
import { listIdentitiesOf, unlinkIdentity } from "./identity-admin.server.ts";
import { createSignInProvider } from "./provider-admin.server.ts";

const db = () => getDb();

let coordinator: SessionUser;
let sussex: number;
let brighton: number;
beforeAll(async () => {
  coordinator = await createUser(db(), { roles: ["coordinator"] });
  sussex = await createSignInProvider(db(), coordinator, providerInput({ name: "University of Sussex", emailDomains: ["sussex.ac.uk"] }));
  brighton = await createSignInProvider(db(), coordinator, providerInput({ name: "University of Brighton", emailDomains: ["brighton.ac.uk"] }));
});

const link = (userId: number, providerId: number, email?: string) => linkIdentity(db(), userId, providerId, email);
const sessionThrough = (userId: number, providerId: number | null) => sessionThroughIn(db(), userId, providerId);
const sessionExists = (id: string) => sessionExistsIn(db(), id);
const identityExists = async (id: number) => Boolean(await db().selectFrom("user_identities").select("id").where("id", "=", id).executeTakeFirst());

describe("unlinking a person's sign-in through a provider", () => {
  it("removes the link, ends only the sessions begun through that provider, and is in the person's history", async () => {
    const person = await createUser(db(), { roles: ["booker"], password: null });
    const viaSussex = await link(person.id, sussex, "a.b@sussex.ac.uk");
    const viaBrighton = await link(person.id, brighton);
    const sussexSession = await sessionThrough(person.id, sussex);
    const brightonSession = await sessionThrough(person.id, brighton);
    const passwordSession = await sessionThrough(person.id, null);

    expect(await unlinkIdentity(db(), coordinator, person.id, viaSussex)).toEqual({ providerName: "University of Sussex" });
    expect(await identityExists(viaSussex)).toBe(false);
    expect(await identityExists(viaBrighton)).toBe(true);
    expect(await sessionExists(sussexSession)).toBe(false);
    expect(await sessionExists(brightonSession)).toBe(true);
    expect(await sessionExists(passwordSession)).toBe(true);
    const audit = await db()
      .selectFrom("audit_events")
      .select(["action", "actor_user_id", "summary", "detail_json"])
      .where("entity_type", "=", "user")
      .where("entity_id", "=", String(person.id))
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "sso.identity_unlinked", actor_user_id: coordinator.id });
    expect(audit[0]!.summary).toContain("University of Sussex (a.b@sussex.ac.uk)");
    expect(JSON.parse(audit[0]!.detail_json!)).toMatchObject({ sessionsEnded: 1 });
  });

  it("refuses an identity that belongs to someone else, whoever's page it is asked through, and keeps it", async () => {
    const owner = await createUser(db(), { roles: ["trainer"] });
    const stranger = await createUser(db(), { roles: ["trainer"] });
    const identity = await link(owner.id, sussex);
    const session = await sessionThrough(owner.id, sussex);
    await expectViolation(unlinkIdentity(db(), coordinator, stranger.id, identity), "form", /no longer linked to this person/);
    await expectViolation(unlinkIdentity(db(), coordinator, owner.id, identity + 10_000), "form", /no longer linked/);
    expect(await identityExists(identity)).toBe(true);
    expect(await sessionExists(session)).toBe(true);
  });

  for (const role of ["trainer", "booker", "officer"] as Role[]) {
    it(`is refused to ${role === "officer" ? "an" : "a"} ${role}, even for their own sign-in`, async () => {
      const actor = await createUser(db(), { roles: [role] });
      const identity = await link(actor.id, sussex);
      await expectViolation(unlinkIdentity(db(), actor, actor.id, identity), "forbidden", /coordinator/);
      expect(await identityExists(identity)).toBe(true);
    });
  }
});

describe("what the people pages say about sign-in providers", () => {
  it("lists a person's linked sign-ins, and names the providers in the list and on their page", async () => {
    const person = await createUser(db(), { name: `Ada Identity ${Date.now()}`, roles: ["booker"], password: null });
    await link(person.id, sussex, "ada@sussex.ac.uk");
    expect(await listIdentitiesOf(db(), person.id)).toEqual([
      expect.objectContaining({ providerId: sussex, providerName: "University of Sussex", email: "ada@sussex.ac.uk", linkedAt: expect.any(String) }),
    ]);
    expect((await getPerson(db(), person.id))?.signsInThrough).toEqual(["University of Sussex"]);
    const [row] = await listPeople(db(), { search: person.name });
    expect(row).toMatchObject({ has_password: false, signsInThrough: ["University of Sussex"] });
    const plain = await createUser(db(), { roles: ["booker"] });
    expect((await getPerson(db(), plain.id))?.signsInThrough).toEqual([]);
  });
});
