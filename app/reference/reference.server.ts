import { writeTransaction } from "#app/utils/transaction.server.ts";
import type { Kysely } from "kysely";
import type { Database, NewCourse, NewOrganisation, NewRoom } from "#db/schema.ts";
import { recordAudit } from "#app/audit/audit.server.ts";
import { hasPermission } from "#app/auth/permissions.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { isUniqueViolation } from "#db/dialect.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { nowIso } from "#app/utils/time.ts";
import { storeAccessSet } from "#app/scheduling/room-access.ts";
import { ensureInstitution } from "./institutions.server.ts";
import type { CourseInput, OrganisationInput, RoomInput } from "./schemas.ts";

/** Courses, rooms and organisations: what the coordinator keeps so others can book and be scheduled. */
export type ReferenceKind = "course" | "room" | "organisation";

const TABLES = { course: "courses", room: "rooms", organisation: "organisations" } as const;

type Stamps = "id" | "is_archived" | "created_at" | "updated_at";
type Columns = { course: Omit<NewCourse, Stamps>; room: Omit<NewRoom, Stamps>; organisation: Omit<NewOrganisation, Stamps> };

function assertMayManage(actor: SessionUser) {
  if (!hasPermission(actor.roles, "manage:reference-data"))
    throw new RuleViolation("forbidden", "Only the training coordinator can change courses, rooms and organisations.");
}

/**
 * Adds a record, or changes the one with `id`, and audits it in the same transaction. A name already
 * taken is refused beside the name field: the unique index decides, so two coordinators saving the
 * same name at once cannot both succeed.
 */
async function saveRecord<K extends ReferenceKind>(
  db: Kysely<Database>,
  actor: SessionUser,
  kind: K,
  id: number | null,
  /** The columns, or how to work them out inside the save's own transaction. */
  columns: Columns[K] | ((trx: Kysely<Database>) => Promise<Columns[K]>),
  words: { what: string; taken: string },
): Promise<number> {
  assertMayManage(actor);
  const table: (typeof TABLES)[ReferenceKind] = TABLES[kind];
  const at = nowIso();
  try {
    return await writeTransaction(db, async (trx) => {
      const values = typeof columns === "function" ? await columns(trx) : columns;
      const saved = id
        ? await trx
            .updateTable(table)
            .set({ ...values, updated_at: at })
            .where("id", "=", id)
            .returning("id")
            .executeTakeFirst()
        : await trx
            .insertInto(table)
            .values({ ...values, created_at: at, updated_at: at })
            .returning("id")
            .executeTakeFirst();
      if (!saved) throw new RuleViolation("form", `That ${kind} no longer exists.`);
      await recordAudit(trx, {
        actorUserId: actor.id,
        action: `${kind}.${id ? "updated" : "created"}`,
        entityType: kind,
        entityId: saved.id,
        summary: `${actor.name} ${id ? "updated" : "added"} ${words.what}`,
        detail: values,
      });
      return saved.id;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new RuleViolation("name", words.taken);
    throw err;
  }
}

// ---- Courses ----------------------------------------------------------------------------------

export function listCourses(db: Kysely<Database>, opts: { includeArchived?: boolean } = {}) {
  let q = db.selectFrom("courses").selectAll().orderBy("name");
  if (!opts.includeArchived) q = q.where("is_archived", "=", 0);
  return q.execute();
}

export function getCourse(db: Kysely<Database>, id: number) {
  return db.selectFrom("courses").selectAll().where("id", "=", id).executeTakeFirst();
}

function courseColumns(input: CourseInput) {
  return {
    name: input.name,
    description: input.description,
    duration_minutes: input.durationMinutes,
    default_group_size: input.defaultGroupSize,
    max_group_size: input.maxGroupSize,
    trainers_needed: input.trainersNeeded,
    colour: input.colour.toLowerCase(),
  };
}

export function saveCourse(db: Kysely<Database>, actor: SessionUser, id: number | null, input: CourseInput): Promise<number> {
  return saveRecord(db, actor, "course", id, courseColumns(input), { what: `the course ${input.name}`, taken: "There is already a course with this name" });
}

// ---- Rooms ------------------------------------------------------------------------------------

export function listRooms(db: Kysely<Database>, opts: { includeArchived?: boolean } = {}) {
  let q = db.selectFrom("rooms").selectAll().orderBy("building").orderBy("name");
  if (!opts.includeArchived) q = q.where("is_archived", "=", 0);
  return q.execute();
}

export function getRoom(db: Kysely<Database>, id: number) {
  return db.selectFrom("rooms").selectAll().where("id", "=", id).executeTakeFirst();
}

export function saveRoom(db: Kysely<Database>, actor: SessionUser, id: number | null, input: RoomInput): Promise<number> {
  const columns = {
    name: input.name,
    building: input.building,
    capacity: input.capacity,
    access_features: storeAccessSet(input.accessFeatures),
    accessibility_notes: input.accessibilityNotes,
  };
  return saveRecord(db, actor, "room", id, columns, {
    what: `the room ${input.name}, ${input.building}`,
    taken: "This building already has a room with this name",
  });
}

// ---- Organisations ----------------------------------------------------------------------------

export async function listOrganisations(db: Kysely<Database>, opts: { includeArchived?: boolean } = {}) {
  let q = db
    .selectFrom("organisations")
    .leftJoin("organisation_members", "organisation_members.organisation_id", "organisations.id")
    .select((eb) => [
      "organisations.id",
      "organisations.name",
      "organisations.kind",
      "organisations.contact_name",
      "organisations.contact_email",
      "organisations.is_archived",
      eb.fn.count<number>("organisation_members.user_id").as("member_count"),
    ])
    .groupBy("organisations.id")
    .orderBy("organisations.name");
  if (!opts.includeArchived) q = q.where("organisations.is_archived", "=", 0);
  return q.execute();
}

export function getOrganisation(db: Kysely<Database>, id: number) {
  return db.selectFrom("organisations").selectAll().where("id", "=", id).executeTakeFirst();
}

export function listOrganisationMembers(db: Kysely<Database>, organisationId: number) {
  return db
    .selectFrom("organisation_members")
    .innerJoin("users", "users.id", "organisation_members.user_id")
    .select(["users.id", "users.name", "users.email", "users.is_active", "organisation_members.added_at"])
    .where("organisation_members.organisation_id", "=", organisationId)
    .orderBy("users.name")
    .execute();
}

export function saveOrganisation(db: Kysely<Database>, actor: SessionUser, id: number | null, input: OrganisationInput): Promise<number> {
  const columns = async (trx: Kysely<Database>) => ({
    name: input.name,
    kind: input.kind,
    contact_name: input.contactName,
    contact_email: input.contactEmail,
    contact_phone: input.contactPhone,
    institution_id: input.institution ? await ensureInstitution(trx, input.institution) : null,
    notes: input.notes,
  });
  return saveRecord(db, actor, "organisation", id, columns, {
    what: `the organisation ${input.name}`,
    taken: "There is already an organisation with this name",
  });
}

/** Archive hides a record from new bookings but keeps its history; restore brings it back. Both are audited. */
export async function setArchived(db: Kysely<Database>, actor: SessionUser, entity: ReferenceKind, id: number, archived: boolean) {
  assertMayManage(actor);
  const table = TABLES[entity];
  await writeTransaction(db, async (trx) => {
    const row = await trx
      .updateTable(table)
      .set({ is_archived: archived ? 1 : 0, updated_at: nowIso() })
      .where("id", "=", id)
      .returning("name")
      .executeTakeFirst();
    if (!row) return;
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: `${entity}.${archived ? "archived" : "restored"}`,
      entityType: entity,
      entityId: id,
      summary: `${actor.name} ${archived ? "archived" : "restored"} ${row.name}`,
    });
  });
}
