import type { Kysely } from "kysely";
import type { Database, Role } from "#db/schema.ts";
import { writeTransaction } from "#app/utils/transaction.server.ts";
import InvitationEmail from "#emails/invitation.tsx";
import { recordAudit } from "#app/audit/audit.server.ts";
import { issueEmailToken, TOKEN_LIFETIME_MS } from "#app/auth/email-tokens.server.ts";
import { ROLE_LABELS } from "#app/auth/permissions.ts";
import { providerNamesOf } from "#app/auth/sso/identity-admin.server.ts";
import { invalidateAllSessions, sortRoles, type SessionUser } from "#app/auth/session.server.ts";
import { providerRequiredFor } from "#app/auth/sso/providers.server.ts";
import { composeEmail, enqueueEmail } from "#app/email/outbox.server.ts";
import { getEnv } from "#app/utils/env.server.ts";
import { isUniqueViolation } from "#db/dialect.ts";
import { containsText } from "#app/utils/search.ts";
import { DAY, nowIso } from "#app/utils/time.ts";
import { plural } from "#app/utils/plural.ts";
import { weeklyLimitsOf } from "#app/trainers/weekly-limit.server.ts";
import type { WeeklyLimit } from "#app/trainers/weekly-limit.ts";

export class UserInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export interface PersonRow {
  id: number;
  name: string;
  email: string;
  is_active: 0 | 1;
  has_password: boolean;
  /** The providers they sign in through, by name: for someone with no password, their only way in. */
  signsInThrough: string[];
  roles: Role[];
  organisations: { id: number; name: string }[];
}

/** A row of the people list: a trainer's also says how many sessions a week they take, and whose limit that is. */
export interface PersonListRow extends PersonRow {
  weeklyLimit: WeeklyLimit | null;
}

export interface PersonDetail extends PersonRow {
  qualifications: { id: number; name: string }[];
}

/** People matching a name or email search and a role. */
function peopleQuery(db: Kysely<Database>, opts: { search?: string; role?: Role }) {
  let q = db.selectFrom("users");
  if (opts.search) {
    const text = opts.search;
    q = q.where((eb) => eb.or([containsText(eb.ref("name"), text), containsText(eb.ref("email"), text)]));
  }
  if (opts.role) {
    const role = opts.role;
    q = q.where((eb) => eb.exists(eb.selectFrom("user_roles").select("user_id").whereRef("user_roles.user_id", "=", "users.id").where("role", "=", role)));
  }
  return q;
}

/** How many people match, for paging. */
export async function countPeople(db: Kysely<Database>, opts: { search?: string; role?: Role } = {}): Promise<number> {
  const row = await peopleQuery(db, opts)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** People by name with their roles and organisations, in three queries; a page of them when given a limit. */
export async function listPeople(db: Kysely<Database>, opts: { search?: string; role?: Role; limit?: number; offset?: number } = {}): Promise<PersonListRow[]> {
  let q = peopleQuery(db, opts).select(["id", "name", "email", "is_active", "password_hash"]).orderBy("name").orderBy("id");
  if (opts.limit !== undefined) q = q.limit(opts.limit).offset(opts.offset ?? 0);
  const users = await q.execute();
  if (users.length === 0) return [];
  const ids = users.map((u) => u.id);
  const [roles, orgs, limits, providers] = await Promise.all([
    db.selectFrom("user_roles").select(["user_id", "role"]).where("user_id", "in", ids).execute(),
    db
      .selectFrom("organisation_members")
      .innerJoin("organisations", "organisations.id", "organisation_members.organisation_id")
      .select(["organisation_members.user_id", "organisations.id", "organisations.name"])
      .where("organisation_members.user_id", "in", ids)
      .orderBy("organisations.name")
      .execute(),
    weeklyLimitsOf(db, ids),
    providerNamesOf(db, ids),
  ]);
  const rolesByUser = new Map<number, Role[]>();
  for (const r of roles) {
    const list = rolesByUser.get(r.user_id);
    if (list) list.push(r.role);
    else rolesByUser.set(r.user_id, [r.role]);
  }
  const orgsByUser = new Map<number, { id: number; name: string }[]>();
  for (const o of orgs) {
    const list = orgsByUser.get(o.user_id);
    if (list) list.push({ id: o.id, name: o.name });
    else orgsByUser.set(o.user_id, [{ id: o.id, name: o.name }]);
  }
  return users.map((u) => ({
    id: u.id,
    name: u.name,
    email: u.email,
    is_active: u.is_active,
    has_password: u.password_hash !== null,
    signsInThrough: providers.get(u.id) ?? [],
    roles: sortRoles(rolesByUser.get(u.id) ?? []),
    organisations: orgsByUser.get(u.id) ?? [],
    weeklyLimit: limits.get(u.id) ?? null,
  }));
}

export async function getPerson(db: Kysely<Database>, id: number): Promise<PersonDetail | null> {
  const user = await db.selectFrom("users").select(["id", "name", "email", "is_active", "password_hash"]).where("id", "=", id).executeTakeFirst();
  if (!user) return null;
  const [roles, orgs, qualifications, providers] = await Promise.all([
    db.selectFrom("user_roles").select("role").where("user_id", "=", id).execute(),
    db
      .selectFrom("organisation_members")
      .innerJoin("organisations", "organisations.id", "organisation_members.organisation_id")
      .select(["organisations.id", "organisations.name"])
      .where("organisation_members.user_id", "=", id)
      .orderBy("organisations.name")
      .execute(),
    db
      .selectFrom("trainer_qualifications")
      .innerJoin("courses", "courses.id", "trainer_qualifications.course_id")
      .select(["courses.id", "courses.name"])
      .where("trainer_qualifications.user_id", "=", id)
      .orderBy("courses.name")
      .execute(),
    providerNamesOf(db, [id]),
  ]);
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    is_active: user.is_active,
    has_password: user.password_hash !== null,
    signsInThrough: providers.get(id) ?? [],
    roles: sortRoles(roles.map((r) => r.role)),
    organisations: orgs,
    qualifications,
  };
}

export interface InviteInput {
  name: string;
  email: string;
  roles: Role[];
  organisationIds: number[];
  /** Courses a trainer may deliver; ignored for people who are not trainers. */
  qualificationCourseIds?: number[];
}

/** Creates the account without a password and emails a link to choose one. */
export async function inviteUser(db: Kysely<Database>, actor: SessionUser, rawInput: InviteInput): Promise<number> {
  const input = { ...rawInput, email: rawInput.email.trim().toLowerCase() };
  const taken = () => new UserInputError("email", "Someone with this email address already has an account");
  const existing = await db.selectFrom("users").select("id").where("email", "=", input.email).executeTakeFirst();
  if (existing) throw taken();
  if (input.roles.includes("booker") && input.organisationIds.length === 0) {
    throw new UserInputError("organisationIds", "A booker books for an organisation: choose at least one");
  }
  const at = nowIso();
  return writeTransaction(db, async (trx) => {
    // Two coordinators (or one double click) inviting the same address: the unique index decides.
    const user = await trx
      .insertInto("users")
      .values({ email: input.email, name: input.name, password_hash: null, created_at: at, updated_at: at })
      .returning("id")
      .executeTakeFirstOrThrow()
      .catch((err: unknown) => {
        throw isUniqueViolation(err) ? taken() : err;
      });
    if (input.roles.length > 0) {
      await trx
        .insertInto("user_roles")
        .values(input.roles.map((role) => ({ user_id: user.id, role, granted_at: at })))
        .execute();
    }
    if (input.organisationIds.length > 0) {
      await trx
        .insertInto("organisation_members")
        .values(input.organisationIds.map((organisation_id) => ({ organisation_id, user_id: user.id, added_at: at })))
        .execute();
    }
    const qualifications = input.roles.includes("trainer") ? (input.qualificationCourseIds ?? []) : [];
    if (qualifications.length) {
      await trx
        .insertInto("trainer_qualifications")
        .values(qualifications.map((course_id) => ({ user_id: user.id, course_id, qualified_at: at })))
        .execute();
    }
    await enqueueEmail(
      trx,
      await composeInvitation(trx, actor, { email: input.email, name: input.name, roles: input.roles }, await issueEmailToken(trx, user.id, "invitation")),
    );
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: "user.invited",
      entityType: "user",
      entityId: user.id,
      summary: `${actor.name} invited ${input.email} as ${input.roles.map((r) => ROLE_LABELS[r]).join(", ") || "no role"}`,
      detail: { roles: input.roles, organisationIds: input.organisationIds },
    });
    return user.id;
  });
}

export interface PersonUpdate {
  name: string;
  roles: Role[];
  organisationIds: number[];
  isActive: boolean;
  /** Courses a trainer may deliver; left as they are when omitted. */
  qualificationCourseIds?: number[];
  /**
   * A trainer's limit on sessions per week: "default" follows the default in the settings (and any
   * later change to it), "own" keeps maxSessionsPerWeek; left as it is when omitted.
   */
  weeklyLimit?: "default" | "own";
  maxSessionsPerWeek?: number;
}

/** Changes a person's name, roles, organisations and whether they may sign in; every change is audited. */
export async function updatePerson(db: Kysely<Database>, actor: SessionUser, userId: number, input: PersonUpdate): Promise<void> {
  const before = await getPerson(db, userId);
  if (!before) throw new UserInputError("form", "That person no longer exists");
  if (actor.id === userId && !input.roles.includes("coordinator")) {
    throw new UserInputError("roles", "You cannot remove your own coordinator role; ask another coordinator");
  }
  if (actor.id === userId && !input.isActive) {
    throw new UserInputError("isActive", "You cannot deactivate your own account");
  }
  if (input.roles.includes("booker") && input.organisationIds.length === 0) {
    throw new UserInputError("organisationIds", "A booker books for an organisation: choose at least one");
  }
  if (input.weeklyLimit === "own" && input.maxSessionsPerWeek === undefined) {
    throw new UserInputError("maxSessionsPerWeek", "Enter their number of sessions a week");
  }
  const at = nowIso();
  const added = input.roles.filter((r) => !before.roles.includes(r));
  const removed = before.roles.filter((r) => !input.roles.includes(r));
  const beforeOrgs = before.organisations.map((o) => o.id);
  const orgsChanged = !sameIds(beforeOrgs, input.organisationIds);
  const beforeQuals = before.qualifications.map((q) => q.id);
  const afterQuals = input.qualificationCourseIds === undefined ? beforeQuals : input.roles.includes("trainer") ? input.qualificationCourseIds : [];
  const qualsChanged = !sameIds(beforeQuals, afterQuals);

  await writeTransaction(db, async (trx) => {
    await trx
      .updateTable("users")
      .set({ name: input.name, is_active: input.isActive ? 1 : 0, updated_at: at })
      .where("id", "=", userId)
      .execute();
    if (removed.length) await trx.deleteFrom("user_roles").where("user_id", "=", userId).where("role", "in", removed).execute();
    if (added.length)
      await trx
        .insertInto("user_roles")
        .values(added.map((role) => ({ user_id: userId, role, granted_at: at })))
        .execute();
    if (orgsChanged) {
      await trx.deleteFrom("organisation_members").where("user_id", "=", userId).execute();
      if (input.organisationIds.length) {
        await trx
          .insertInto("organisation_members")
          .values(input.organisationIds.map((organisation_id) => ({ organisation_id, user_id: userId, added_at: at })))
          .execute();
      }
    }
    if (qualsChanged) {
      await trx.deleteFrom("trainer_qualifications").where("user_id", "=", userId).execute();
      if (afterQuals.length) {
        await trx
          .insertInto("trainer_qualifications")
          .values(afterQuals.map((course_id) => ({ user_id: userId, course_id, qualified_at: at })))
          .execute();
      }
      await recordAudit(trx, {
        actorUserId: actor.id,
        action: "user.qualifications_changed",
        entityType: "user",
        entityId: userId,
        summary: `${actor.name} changed the courses ${before.name} may deliver`,
        detail: { before: beforeQuals, after: afterQuals },
      });
    }
    if (input.weeklyLimit !== undefined && input.roles.includes("trainer")) {
      const max = input.weeklyLimit === "own" ? input.maxSessionsPerWeek! : null;
      const current = await trx.selectFrom("trainer_profiles").select("max_sessions_per_week").where("user_id", "=", userId).executeTakeFirst();
      if ((current?.max_sessions_per_week ?? null) !== max) {
        await trx
          .insertInto("trainer_profiles")
          .values({ user_id: userId, max_sessions_per_week: max, feed_token_hash: null, feed_token_created_at: null })
          .onConflict((oc) => oc.column("user_id").doUpdateSet({ max_sessions_per_week: max }))
          .execute();
        await recordAudit(trx, {
          actorUserId: actor.id,
          action: "trainer.weekly_limit_changed",
          entityType: "user",
          entityId: userId,
          summary:
            max === null
              ? `${actor.name} set ${before.name} to follow the default weekly limit`
              : `${actor.name} set ${before.name}'s limit to ${plural(max, "session")} a week`,
        });
      }
    }
    if (added.length || removed.length) {
      await recordAudit(trx, {
        actorUserId: actor.id,
        action: "user.roles_changed",
        entityType: "user",
        entityId: userId,
        summary: `${actor.name} changed ${before.email}'s roles: ${[
          ...added.map((r) => `+${ROLE_LABELS[r]}`),
          ...removed.map((r) => `−${ROLE_LABELS[r]}`),
        ].join(", ")}`,
        detail: { before: before.roles, after: input.roles },
      });
    }
    if (orgsChanged) {
      await recordAudit(trx, {
        actorUserId: actor.id,
        action: "user.organisations_changed",
        entityType: "user",
        entityId: userId,
        summary: `${actor.name} changed ${before.email}'s organisations`,
        detail: { before: beforeOrgs, after: input.organisationIds },
      });
    }
    if (before.name !== input.name) {
      await recordAudit(trx, {
        actorUserId: actor.id,
        action: "user.renamed",
        entityType: "user",
        entityId: userId,
        summary: `${actor.name} renamed ${before.name} to ${input.name}`,
      });
    }
    if ((before.is_active === 1) !== input.isActive) {
      await recordAudit(trx, {
        actorUserId: actor.id,
        action: input.isActive ? "user.reactivated" : "user.deactivated",
        entityType: "user",
        entityId: userId,
        summary: `${actor.name} ${input.isActive ? "reactivated" : "deactivated"} ${before.email}`,
      });
    }
  });
  // Someone who lost a role or was deactivated must not keep using an old session.
  if (removed.length || !input.isActive) await invalidateAllSessions(db, userId);
}

function sameIds(a: number[], b: number[]) {
  return a.length === b.length && a.every((id) => b.includes(id));
}

/** Sends a fresh link to choose a password: an invitation for someone who never set one, a reset otherwise. */
export async function resendPasswordLink(db: Kysely<Database>, actor: SessionUser, userId: number): Promise<"invitation" | "password_reset"> {
  const person = await getPerson(db, userId);
  if (!person || person.is_active !== 1) throw new UserInputError("form", "That person cannot sign in, so no link was sent");
  if (person.has_password) {
    const { requestPasswordReset } = await import("#app/auth/sign-in.server.ts");
    await requestPasswordReset(db, person.email);
    await recordAudit(db, {
      actorUserId: actor.id,
      action: "user.reset_link_sent",
      entityType: "user",
      entityId: userId,
      summary: `${actor.name} sent ${person.email} a link to reset their password`,
    });
    return "password_reset";
  }
  await writeTransaction(db, async (trx) => {
    await enqueueEmail(trx, await composeInvitation(trx, actor, person, await issueEmailToken(trx, userId, "invitation")));
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: "user.invitation_resent",
      entityType: "user",
      entityId: userId,
      summary: `${actor.name} sent ${person.email} a new invitation`,
    });
  });
  return "invitation";
}

async function composeInvitation(db: Kysely<Database>, actor: SessionUser, person: { email: string; name: string; roles: Role[] }, token: string) {
  const required = await providerRequiredFor(db, person.email);
  return composeEmail({
    template: "invitation",
    to: { email: person.email, name: person.name },
    subject: `${actor.name} has invited you to NeverOK Training`,
    react: InvitationEmail({
      name: person.name,
      invitedBy: actor.name,
      roles: person.roles.map((r) => ROLE_LABELS[r].toLowerCase()),
      setPasswordUrl: `${getEnv().APP_URL}/set-password/${token}`,
      expiresInDays: TOKEN_LIFETIME_MS.invitation / DAY,
      signInThrough: required ? { name: required.name, url: `${getEnv().APP_URL}/auth/sso/${required.slug}` } : null,
    }),
  });
}
