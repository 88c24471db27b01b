import type { Db, OrganisationKind } from "#db/schema.ts";
import { hasPermission } from "#app/auth/permissions.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { RuleViolation } from "#app/utils/errors.ts";

/**
 * Who may see and keep a staff list: the coordinator, any venue's or staff team's; a booker, only
 * their own organisation's (a booker whose organisation is that venue is its manager here).
 */

export const STAFF_LIST_KINDS: readonly OrganisationKind[] = ["partner_venue", "staff_team"];

export interface Venue {
  id: number;
  name: string;
  kind: "partner_venue" | "staff_team";
  isArchived: boolean;
}

/** The coordinator sees every venue; nobody else keeps a list but their own. */
export const seesEveryVenue = (actor: SessionUser) => hasPermission(actor.roles, "manage:venues");

/** The venue or staff team if this person may see and keep its staff list, else null (whether or not it exists). */
export async function venueFor(db: Db, actor: SessionUser, organisationId: number): Promise<Venue | null> {
  const every = seesEveryVenue(actor);
  if (!every && !actor.roles.includes("booker")) return null;
  const row = await db
    .selectFrom("organisations as o")
    .select(["o.id", "o.name", "o.kind", "o.is_archived"])
    .where("o.id", "=", organisationId)
    .where("o.kind", "in", STAFF_LIST_KINDS)
    .$if(!every, (q) =>
      q.where(({ exists, selectFrom }) =>
        exists(selectFrom("organisation_members as m").select("m.user_id").whereRef("m.organisation_id", "=", "o.id").where("m.user_id", "=", actor.id)),
      ),
    )
    .executeTakeFirst();
  return row ? { id: row.id, name: row.name, kind: row.kind as Venue["kind"], isArchived: row.is_archived === 1 } : null;
}

/** As `venueFor`, for a change: refused, saying no more than that it was not found. */
export async function requireVenue(db: Db, actor: SessionUser, organisationId: number): Promise<Venue> {
  const venue = await venueFor(db, actor, organisationId);
  if (!venue) throw new RuleViolation("organisationId", "We could not find that venue or staff team.");
  return venue;
}

/** The venues and staff teams whose lists this booker keeps. */
export async function ownVenues(db: Db, actor: SessionUser): Promise<Venue[]> {
  if (!actor.roles.includes("booker")) return [];
  const rows = await db
    .selectFrom("organisations as o")
    .innerJoin("organisation_members as m", "m.organisation_id", "o.id")
    .select(["o.id", "o.name", "o.kind", "o.is_archived"])
    .where("m.user_id", "=", actor.id)
    .where("o.kind", "in", STAFF_LIST_KINDS)
    .where("o.is_archived", "=", 0)
    .orderBy("o.name")
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, kind: r.kind as Venue["kind"], isArchived: false }));
}

/** Only the coordinator sets the campaign's staff roles, the threshold and exemptions. */
export function requireCoordinator(actor: SessionUser, what: string) {
  if (!seesEveryVenue(actor)) throw new RuleViolation("form", `Only the training coordinator can ${what}.`);
}

/** The member of this venue's list, if this person may see the venue and the member is on its list (or has left it). */
export async function staffMemberFor(db: Db, actor: SessionUser, organisationId: number, memberId: number) {
  const venue = await venueFor(db, actor, organisationId);
  if (!venue) return null;
  const member = await db.selectFrom("staff_members").select("id").where("id", "=", memberId).where("organisation_id", "=", venue.id).executeTakeFirst();
  return member ? { venue, memberId: member.id } : null;
}
