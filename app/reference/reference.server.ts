import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import { recordAudit } from "#app/audit/audit.server.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { nowIso } from "#app/utils/time.ts";
import { isUniqueViolation } from "#app/utils/db-errors.ts";
import type { CourseInput, OrganisationInput, RoomInput } from "./schemas.ts";

/** A unique name already taken: reported beside the name field. */
export class DuplicateNameError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
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

export async function saveCourse(db: Kysely<Database>, actor: SessionUser, id: number | null, input: CourseInput): Promise<number> {
  const at = nowIso();
  try {
    return await db.transaction().execute(async (trx) => {
      const savedId = id
        ? (
            await trx
              .updateTable("courses")
              .set({ ...courseColumns(input), updated_at: at })
              .where("id", "=", id)
              .returning("id")
              .executeTakeFirstOrThrow()
          ).id
        : (
            await trx
              .insertInto("courses")
              .values({ ...courseColumns(input), created_at: at, updated_at: at })
              .returning("id")
              .executeTakeFirstOrThrow()
          ).id;
      await recordAudit(trx, {
        actorUserId: actor.id,
        action: id ? "course.updated" : "course.created",
        entityType: "course",
        entityId: savedId,
        summary: `${actor.name} ${id ? "updated" : "added"} the course ${input.name}`,
        detail: courseColumns(input),
      });
      return savedId;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new DuplicateNameError("name", "There is already a course with this name");
    throw err;
  }
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

export async function saveRoom(db: Kysely<Database>, actor: SessionUser, id: number | null, input: RoomInput): Promise<number> {
  const at = nowIso();
  const columns = { name: input.name, building: input.building, capacity: input.capacity, accessibility_notes: input.accessibilityNotes };
  try {
    return await db.transaction().execute(async (trx) => {
      const savedId = id
        ? (
            await trx
              .updateTable("rooms")
              .set({ ...columns, updated_at: at })
              .where("id", "=", id)
              .returning("id")
              .executeTakeFirstOrThrow()
          ).id
        : (
            await trx
              .insertInto("rooms")
              .values({ ...columns, created_at: at, updated_at: at })
              .returning("id")
              .executeTakeFirstOrThrow()
          ).id;
      await recordAudit(trx, {
        actorUserId: actor.id,
        action: id ? "room.updated" : "room.created",
        entityType: "room",
        entityId: savedId,
        summary: `${actor.name} ${id ? "updated" : "added"} the room ${input.name}, ${input.building}`,
        detail: columns,
      });
      return savedId;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new DuplicateNameError("name", "This building already has a room with this name");
    throw err;
  }
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

export async function saveOrganisation(db: Kysely<Database>, actor: SessionUser, id: number | null, input: OrganisationInput): Promise<number> {
  const at = nowIso();
  const columns = {
    name: input.name,
    kind: input.kind,
    contact_name: input.contactName,
    contact_email: input.contactEmail,
    contact_phone: input.contactPhone,
    notes: input.notes,
  };
  try {
    return await db.transaction().execute(async (trx) => {
      const savedId = id
        ? (
            await trx
              .updateTable("organisations")
              .set({ ...columns, updated_at: at })
              .where("id", "=", id)
              .returning("id")
              .executeTakeFirstOrThrow()
          ).id
        : (
            await trx
              .insertInto("organisations")
              .values({ ...columns, created_at: at, updated_at: at })
              .returning("id")
              .executeTakeFirstOrThrow()
          ).id;
      await recordAudit(trx, {
        actorUserId: actor.id,
        action: id ? "organisation.updated" : "organisation.created",
        entityType: "organisation",
        entityId: savedId,
        summary: `${actor.name} ${id ? "updated" : "added"} the organisation ${input.name}`,
        detail: columns,
      });
      return savedId;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new DuplicateNameError("name", "There is already an organisation with this name");
    throw err;
  }
}

export async function setArchived(db: Kysely<Database>, actor: SessionUser, entity: "course" | "room" | "organisation", id: number, archived: boolean) {
  const table = entity === "course" ? "courses" : entity === "room" ? "rooms" : "organisations";
  await db.transaction().execute(async (trx) => {
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
