import type { Kysely } from "kysely";
import type { Database, OrganisationKind, Role } from "#db/schema.ts";

/** The coordinator's overview: what exists and what needs attention, in a handful of queries. */
export async function getCoordinatorOverview(db: Kysely<Database>) {
  const [roleCounts, orgCounts, courseCount, roomCount, mail, pendingInvites] = await Promise.all([
    db
      .selectFrom("user_roles")
      .innerJoin("users", "users.id", "user_roles.user_id")
      .where("users.is_active", "=", 1)
      .select((eb) => ["user_roles.role", eb.fn.countAll<number>().as("n")])
      .groupBy("user_roles.role")
      .execute(),
    db
      .selectFrom("organisations")
      .where("is_archived", "=", 0)
      .select((eb) => ["kind", eb.fn.countAll<number>().as("n")])
      .groupBy("kind")
      .execute(),
    db
      .selectFrom("courses")
      .where("is_archived", "=", 0)
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow(),
    db
      .selectFrom("rooms")
      .where("is_archived", "=", 0)
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow(),
    db
      .selectFrom("email_messages")
      .select((eb) => ["status", eb.fn.countAll<number>().as("n")])
      .groupBy("status")
      .execute(),
    db
      .selectFrom("users")
      .where("password_hash", "is", null)
      .where("is_active", "=", 1)
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow(),
  ]);
  const byRole = Object.fromEntries(roleCounts.map((r) => [r.role, Number(r.n)])) as Partial<Record<Role, number>>;
  const byKind = Object.fromEntries(orgCounts.map((r) => [r.kind, Number(r.n)])) as Partial<Record<OrganisationKind, number>>;
  const mailByStatus = Object.fromEntries(mail.map((r) => [r.status, Number(r.n)])) as Record<string, number>;
  return {
    byRole,
    byKind,
    organisations: orgCounts.reduce((s, r) => s + Number(r.n), 0),
    courses: Number(courseCount.n),
    rooms: Number(roomCount.n),
    mail: {
      held: mailByStatus.held ?? 0,
      pending: (mailByStatus.pending ?? 0) + (mailByStatus.sending ?? 0),
      failed: mailByStatus.failed ?? 0,
      sent: mailByStatus.sent ?? 0,
    },
    pendingInvites: Number(pendingInvites.n),
  };
}

/** The organisations a booker books for, with their contacts and fellow members. */
export async function getBookerOrganisations(db: Kysely<Database>, userId: number) {
  const orgs = await db
    .selectFrom("organisation_members")
    .innerJoin("organisations", "organisations.id", "organisation_members.organisation_id")
    .select([
      "organisations.id",
      "organisations.name",
      "organisations.kind",
      "organisations.contact_name",
      "organisations.contact_email",
      "organisations.contact_phone",
    ])
    .where("organisation_members.user_id", "=", userId)
    .where("organisations.is_archived", "=", 0)
    .orderBy("organisations.name")
    .execute();
  if (orgs.length === 0) return [];
  const members = await db
    .selectFrom("organisation_members")
    .innerJoin("users", "users.id", "organisation_members.user_id")
    .select(["organisation_members.organisation_id", "users.name"])
    .where(
      "organisation_members.organisation_id",
      "in",
      orgs.map((o) => o.id),
    )
    .where("users.is_active", "=", 1)
    .orderBy("users.name")
    .execute();
  return orgs.map((o) => ({ ...o, members: members.filter((m) => m.organisation_id === o.id).map((m) => m.name) }));
}
