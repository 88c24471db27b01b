import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#app/db.server.ts";
import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import { raceAcross, separateConnections } from "#tests/connections.ts";
import { lookupEmailToken } from "#app/auth/email-tokens.server.ts";
import { createAuthSession, validateSessionToken, type SessionUser } from "#app/auth/session.server.ts";
import { setPasswordWithToken, signIn } from "#app/auth/sign-in.server.ts";
import { createCourse, createOrganisation, createUser } from "#tests/factories.ts";
import { getSettings } from "#app/settings/settings.server.ts";
import { weeklySessionLimit } from "#app/trainers/weekly-limit.server.ts";
import { countPeople, getPerson, inviteUser, listPeople, resendPasswordLink, updatePerson, UserInputError } from "./users.server.ts";
import { rowCount } from "#tests/row-counts.ts";

const db = () => getDb();
let n = 0;
const email = (label: string) => `${label}-${++n}-${Date.now()}@example.ac.uk`;

async function auditFor(userId: number, action?: string) {
  let q = db().selectFrom("audit_events").selectAll().where("entity_type", "=", "user").where("entity_id", "=", String(userId));
  if (action) q = q.where("action", "=", action);
  return q.orderBy("id").execute();
}

async function outboxFor(address: string) {
  return db().selectFrom("email_messages").selectAll().where("to_address", "=", address).orderBy("id").execute();
}

async function thrownBy(promise: Promise<unknown>): Promise<UserInputError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(UserInputError);
    return err as UserInputError;
  }
  throw new Error("expected a UserInputError");
}

const linkToken = (text: string) => /\/set-password\/([A-Za-z0-9_-]+)/.exec(text)?.[1];

let coordinator: SessionUser;
let orgA: number;
let orgB: number;
beforeAll(async () => {
  coordinator = await createUser(db(), { name: "Cora Coordinator", roles: ["coordinator"] });
  orgA = await createOrganisation(db(), { name: "Department of Physics" });
  orgB = await createOrganisation(db(), { name: "Rowing Club", kind: "sports_club" });
});

describe("inviteUser", () => {
  it("creates the person without a password, with roles and memberships, an invitation in the outbox and an audit event", async () => {
    const address = email("booker");
    const id = await inviteUser(db(), coordinator, { name: "Bea Booker", email: address, roles: ["booker", "trainer"], organisationIds: [orgA, orgB] });

    const person = await getPerson(db(), id);
    expect(person).toMatchObject({ id, name: "Bea Booker", email: address, is_active: 1, has_password: false, roles: ["trainer", "booker"] });
    expect(person!.organisations.map((o) => o.id).sort()).toEqual([orgA, orgB].sort());
    const user = await db().selectFrom("users").select("password_hash").where("id", "=", id).executeTakeFirstOrThrow();
    expect(user.password_hash).toBeNull();

    const messages = await outboxFor(address);
    expect(messages).toHaveLength(1);
    const m = messages[0]!;
    expect(m.template).toBe("invitation");
    expect(m.status).toBe("held");
    expect(m.subject).toContain("Cora Coordinator");
    expect(m.text).toMatch(/http:\/\/localhost:3000\/set-password\/[A-Za-z0-9_-]{40,}/);
    const token = linkToken(m.text)!;
    expect(await lookupEmailToken(db(), token)).toMatchObject({ status: "valid", userId: id, purpose: "invitation" });

    const audit = await auditFor(id, "user.invited");
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor_user_id).toBe(coordinator.id);
    expect(JSON.parse(audit[0]!.detail_json!)).toEqual({ roles: ["booker", "trainer"], organisationIds: [orgA, orgB] });
  });

  it("the invitation link lets the person choose a password and sign in", async () => {
    const address = email("trainer");
    const id = await inviteUser(db(), coordinator, { name: "Tom Trainer", email: address, roles: ["trainer"], organisationIds: [] });
    expect(await signIn(db(), { email: address, password: "anything at all", userAgent: null, client: "192.0.2.1" })).toMatchObject({
      ok: false,
      reason: "invalid",
    });
    const token = linkToken((await outboxFor(address))[0]!.text)!;
    const result = await setPasswordWithToken(db(), { token, password: "velvet thunder in the pantry", userAgent: null });
    expect(result.ok).toBe(true);
    expect((await auditFor(id, "user.invitation_accepted")).length).toBe(1);
    expect((await signIn(db(), { email: address, password: "velvet thunder in the pantry", userAgent: null, client: "192.0.2.1" })).ok).toBe(true);
    expect((await getPerson(db(), id))!.has_password).toBe(true);
  });

  it("records the courses a trainer may deliver, and ignores them for someone who is not a trainer", async () => {
    const course = await createCourse(db());
    const trainer = await inviteUser(db(), coordinator, {
      name: "Qualified Trainer",
      email: email("qt"),
      roles: ["trainer"],
      organisationIds: [],
      qualificationCourseIds: [course],
    });
    expect((await getPerson(db(), trainer))!.qualifications.map((q) => q.id)).toEqual([course]);
    const officer = await inviteUser(db(), coordinator, {
      name: "Olu Officer",
      email: email("officer"),
      roles: ["officer"],
      organisationIds: [],
      qualificationCourseIds: [course],
    });
    expect((await getPerson(db(), officer))!.qualifications).toEqual([]);
  });

  it("refuses an email that already has an account, on the email field, and writes nothing", async () => {
    const existing = await createUser(db());
    const before = await rowCount(db(), "email_messages");
    const err = await thrownBy(inviteUser(db(), coordinator, { name: "Again", email: existing.email, roles: ["trainer"], organisationIds: [] }));
    expect(err.field).toBe("email");
    expect(await rowCount(db(), "email_messages")).toBe(before);
  });

  it("refuses a booker without an organisation, on organisationIds, and creates no account", async () => {
    const address = email("orphan");
    const err = await thrownBy(inviteUser(db(), coordinator, { name: "No Org", email: address, roles: ["booker"], organisationIds: [] }));
    expect(err.field).toBe("organisationIds");
    expect(await db().selectFrom("users").select("id").where("email", "=", address).executeTakeFirst()).toBeUndefined();
    expect(await outboxFor(address)).toEqual([]);
  });

  it("creates nothing at all when part of the invitation fails (one transaction)", async () => {
    const address = email("rollback");
    await expect(inviteUser(db(), coordinator, { name: "Bad Org", email: address, roles: ["booker"], organisationIds: [999_999] })).rejects.toThrow();
    expect(await db().selectFrom("users").select("id").where("email", "=", address).executeTakeFirst()).toBeUndefined();
    expect(await outboxFor(address)).toEqual([]);
  });

  it("refuses the second of two simultaneous invitations for the same address, made in two app processes, with a UserInputError on email", async () => {
    const address = email("twice");
    const input = { name: "Double Click", email: address, roles: ["trainer" as const], organisationIds: [] };
    const invite = (conn: Kysely<Database>) => inviteUser(conn, coordinator, input);
    const results = await raceAcross(separateConnections(2), [invite, invite]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(UserInputError);
    expect((rejected.reason as UserInputError).field).toBe("email");
  });
});

describe("updatePerson", () => {
  async function person(roles: SessionUser["roles"] = ["trainer"], organisationIds: number[] = []) {
    return createUser(db(), { roles, organisationIds });
  }

  const unchanged = async (p: SessionUser) => {
    const current = (await getPerson(db(), p.id))!;
    return { name: current.name, roles: current.roles, organisationIds: current.organisations.map((o) => o.id), isActive: current.is_active === 1 };
  };

  it("changes roles with an audit of before and after, and ends the person's sessions when a role is taken away", async () => {
    const p = await person(["trainer", "booker"], [orgA]);
    const s1 = await createAuthSession(db(), p.id, "laptop");
    const s2 = await createAuthSession(db(), p.id, "phone");
    const bystander = await createAuthSession(db(), coordinator.id, null);

    await updatePerson(db(), coordinator, p.id, { ...(await unchanged(p)), roles: ["trainer", "officer"], organisationIds: [orgA] });

    expect((await getPerson(db(), p.id))!.roles).toEqual(["officer", "trainer"]);
    const audit = await auditFor(p.id, "user.roles_changed");
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor_user_id).toBe(coordinator.id);
    const detail = JSON.parse(audit[0]!.detail_json!) as { before: string[]; after: string[] };
    expect([...detail.before].sort()).toEqual(["booker", "trainer"]);
    expect([...detail.after].sort()).toEqual(["officer", "trainer"]);
    expect(audit[0]!.summary).toContain("+Union officer");
    expect(audit[0]!.summary).toContain("−Booker");

    expect(await validateSessionToken(db(), s1.token)).toBeNull();
    expect(await validateSessionToken(db(), s2.token)).toBeNull();
    expect(await validateSessionToken(db(), bystander.token)).not.toBeNull();
  });

  it("keeps sessions when a role is only added, and the next request sees the new role", async () => {
    const p = await person(["trainer"]);
    const s = await createAuthSession(db(), p.id, null);
    await updatePerson(db(), coordinator, p.id, { ...(await unchanged(p)), roles: ["trainer", "officer"] });
    expect((await validateSessionToken(db(), s.token))?.user.roles).toEqual(["officer", "trainer"]);
    expect(await auditFor(p.id, "user.roles_changed")).toHaveLength(1);
  });

  it("writes no role audit when the roles did not change", async () => {
    const p = await person(["trainer"]);
    await updatePerson(db(), coordinator, p.id, { ...(await unchanged(p)), name: "New Name" });
    expect(await auditFor(p.id, "user.roles_changed")).toHaveLength(0);
    expect(await auditFor(p.id, "user.renamed")).toHaveLength(1);
    expect((await getPerson(db(), p.id))!.name).toBe("New Name");
  });

  it("deactivating someone ends their sessions, stops sign-in, and is audited", async () => {
    const p = await person(["trainer"]);
    const s = await createAuthSession(db(), p.id, null);
    await updatePerson(db(), coordinator, p.id, { ...(await unchanged(p)), isActive: false });
    expect(await validateSessionToken(db(), s.token)).toBeNull();
    expect((await getPerson(db(), p.id))!.is_active).toBe(0);
    expect(await auditFor(p.id, "user.deactivated")).toHaveLength(1);
    expect(await signIn(db(), { email: p.email, password: "correct horse battery", userAgent: null, client: "192.0.2.2" })).toMatchObject({
      ok: false,
      reason: "invalid",
    });

    await updatePerson(db(), coordinator, p.id, { ...(await unchanged(p)), isActive: true });
    expect(await auditFor(p.id, "user.reactivated")).toHaveLength(1);
  });

  it("changes organisations with an audit", async () => {
    const p = await person(["booker"], [orgA]);
    await updatePerson(db(), coordinator, p.id, { ...(await unchanged(p)), organisationIds: [orgB] });
    expect((await getPerson(db(), p.id))!.organisations.map((o) => o.id)).toEqual([orgB]);
    const audit = await auditFor(p.id, "user.organisations_changed");
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.detail_json!)).toEqual({ before: [orgA], after: [orgB] });
  });

  it("changes a trainer's courses with an audit, and leaves them alone when not given", async () => {
    const c1 = await createCourse(db());
    const c2 = await createCourse(db());
    const p = await person(["trainer"]);
    await updatePerson(db(), coordinator, p.id, { ...(await unchanged(p)), qualificationCourseIds: [c1, c2] });
    expect((await getPerson(db(), p.id))!.qualifications.map((q) => q.id).sort()).toEqual([c1, c2].sort());
    expect(await auditFor(p.id, "user.qualifications_changed")).toHaveLength(1);
    await updatePerson(db(), coordinator, p.id, { ...(await unchanged(p)), name: "Renamed Trainer" });
    expect((await getPerson(db(), p.id))!.qualifications).toHaveLength(2);
    expect(await auditFor(p.id, "user.qualifications_changed")).toHaveLength(1);
  });

  it("sets a trainer's own weekly limit or the default, with an audit, and leaves it alone when not given", async () => {
    const trainer = await createUser(db(), { roles: ["trainer"] });
    const base = { name: trainer.name, roles: ["trainer" as const], organisationIds: [], isActive: true };
    const defaultLimit = (await getSettings(db())).defaultMaxSessionsPerWeek;
    // Until one is set, the trainer follows the default from the settings.
    expect(await weeklySessionLimit(db(), trainer.id)).toEqual({ sessions: defaultLimit, own: false, defaultLimit });
    await updatePerson(db(), coordinator, trainer.id, { ...base, weeklyLimit: "own", maxSessionsPerWeek: 2 });
    expect(await weeklySessionLimit(db(), trainer.id)).toMatchObject({ sessions: 2, own: true });
    const limit = () => db().selectFrom("trainer_profiles").select("max_sessions_per_week").where("user_id", "=", trainer.id).executeTakeFirst();
    expect((await limit())?.max_sessions_per_week).toBe(2);
    expect(await auditFor(trainer.id, "trainer.weekly_limit_changed")).toHaveLength(1);
    await updatePerson(db(), coordinator, trainer.id, base);
    expect((await limit())?.max_sessions_per_week).toBe(2);
    expect(await auditFor(trainer.id, "trainer.weekly_limit_changed")).toHaveLength(1);
    // Back to the default: nothing of their own is kept, so a later change to the default reaches them.
    await updatePerson(db(), coordinator, trainer.id, { ...base, weeklyLimit: "default", maxSessionsPerWeek: 2 });
    expect((await limit())?.max_sessions_per_week).toBeNull();
    const audits = await auditFor(trainer.id, "trainer.weekly_limit_changed");
    expect(audits.at(-1)!.summary).toMatch(/to follow the default weekly limit$/);
  });

  it("does not give a trainer a limit of their own when the page is saved with the default chosen", async () => {
    const trainer = await createUser(db(), { roles: ["trainer"] });
    const base = { name: trainer.name, roles: ["trainer" as const], organisationIds: [], isActive: true };
    const defaultLimit = (await getSettings(db())).defaultMaxSessionsPerWeek;
    await updatePerson(db(), coordinator, trainer.id, { ...base, weeklyLimit: "default", maxSessionsPerWeek: defaultLimit });
    expect(await weeklySessionLimit(db(), trainer.id)).toMatchObject({ own: false });
    expect(await auditFor(trainer.id, "trainer.weekly_limit_changed")).toHaveLength(0);
  });

  it("refuses a limit of their own without a number, beside the field", async () => {
    const trainer = await createUser(db(), { roles: ["trainer"] });
    const err = await thrownBy(
      updatePerson(db(), coordinator, trainer.id, { name: trainer.name, roles: ["trainer"], organisationIds: [], isActive: true, weeklyLimit: "own" }),
    );
    expect(err.field).toBe("maxSessionsPerWeek");
  });

  it("does not let a coordinator remove their own coordinator role", async () => {
    const self = await createUser(db(), { roles: ["coordinator", "trainer"] });
    const s = await createAuthSession(db(), self.id, null);
    const err = await thrownBy(updatePerson(db(), self, self.id, { name: self.name, roles: ["trainer"], organisationIds: [], isActive: true }));
    expect(err.field).toBe("roles");
    expect((await getPerson(db(), self.id))!.roles).toEqual(["coordinator", "trainer"]);
    expect(await validateSessionToken(db(), s.token)).not.toBeNull();
  });

  it("does not let a coordinator deactivate themselves", async () => {
    const self = await createUser(db(), { roles: ["coordinator"] });
    const err = await thrownBy(updatePerson(db(), self, self.id, { name: self.name, roles: ["coordinator"], organisationIds: [], isActive: false }));
    expect(err.field).toBe("isActive");
    expect((await getPerson(db(), self.id))!.is_active).toBe(1);
  });

  it("lets a coordinator remove another coordinator's role", async () => {
    const other = await createUser(db(), { roles: ["coordinator"] });
    await updatePerson(db(), coordinator, other.id, { name: other.name, roles: ["trainer"], organisationIds: [], isActive: true });
    expect((await getPerson(db(), other.id))!.roles).toEqual(["trainer"]);
  });

  it("refuses a booker without an organisation, and an unknown person", async () => {
    const p = await person(["trainer"]);
    const err = await thrownBy(updatePerson(db(), coordinator, p.id, { ...(await unchanged(p)), roles: ["booker"], organisationIds: [] }));
    expect(err.field).toBe("organisationIds");
    expect((await getPerson(db(), p.id))!.roles).toEqual(["trainer"]);
    const missing = await thrownBy(updatePerson(db(), coordinator, 999_999, { name: "X", roles: [], organisationIds: [], isActive: true }));
    expect(missing.field).toBe("form");
  });
});

describe("listPeople", () => {
  it("filters by search text and by role, with roles and organisations for each person", async () => {
    const marker = `Zebedee${Date.now()}`;
    const a = await createUser(db(), { name: `${marker} Alpha`, roles: ["booker"], organisationIds: [orgA] });
    const b = await createUser(db(), { name: `${marker} Beta`, roles: ["trainer"] });
    const found = await listPeople(db(), { search: marker.toLowerCase() });
    expect(found.map((p) => p.id)).toEqual([a.id, b.id]);
    expect(found[0]!.organisations).toEqual([{ id: orgA, name: "Department of Physics" }]);
    expect(found[0]!.roles).toEqual(["booker"]);
    const trainers = await listPeople(db(), { search: marker, role: "trainer" });
    expect(trainers.map((p) => p.id)).toEqual([b.id]);
  });

  it("gives a page at a time with the count of everyone who matches, and takes LIKE's wildcards as plain text", async () => {
    const marker = `Quill${Date.now()}`;
    const ids: number[] = [];
    for (const name of ["Ann", "Bea", "Cal", "Dee", "Eve"]) ids.push((await createUser(db(), { name: `${marker} ${name}`, roles: ["booker"] })).id);
    expect(await countPeople(db(), { search: marker })).toBe(5);
    expect((await listPeople(db(), { search: marker, limit: 2, offset: 0 })).map((p) => p.id)).toEqual(ids.slice(0, 2));
    expect((await listPeople(db(), { search: marker, limit: 2, offset: 4 })).map((p) => p.id)).toEqual(ids.slice(4));
    expect(await countPeople(db(), { search: `${marker}%` })).toBe(0);
  });
});

describe("resendPasswordLink", () => {
  it("sends a new invitation to someone who never set a password, and the old link stops working", async () => {
    const address = email("resend");
    const id = await inviteUser(db(), coordinator, { name: "Slow Starter", email: address, roles: ["trainer"], organisationIds: [] });
    const first = linkToken((await outboxFor(address))[0]!.text)!;
    expect(await resendPasswordLink(db(), coordinator, id)).toBe("invitation");
    const messages = await outboxFor(address);
    expect(messages).toHaveLength(2);
    expect(messages[1]!.template).toBe("invitation");
    const second = linkToken(messages[1]!.text)!;
    expect((await lookupEmailToken(db(), first)).status).not.toBe("valid");
    expect((await lookupEmailToken(db(), second)).status).toBe("valid");
    expect(await auditFor(id, "user.invitation_resent")).toHaveLength(1);
  });

  it("sends a password reset to someone who has a password, and refuses a deactivated person", async () => {
    const p = await createUser(db(), { roles: ["trainer"] });
    expect(await resendPasswordLink(db(), coordinator, p.id)).toBe("password_reset");
    const messages = await outboxFor(p.email);
    expect(messages.map((m) => m.template)).toEqual(["password-reset"]);
    expect(await auditFor(p.id, "user.reset_link_sent")).toHaveLength(1);

    await db().updateTable("users").set({ is_active: 0 }).where("id", "=", p.id).execute();
    expect((await thrownBy(resendPasswordLink(db(), coordinator, p.id))).field).toBe("form");
  });
});
