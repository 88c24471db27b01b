import { sql } from "kysely";
import { writeTransaction } from "#app/utils/transaction.server.ts";
import { recordAudit } from "#app/audit/audit.server.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { isUniqueViolation } from "#db/dialect.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { nowIso } from "#app/utils/time.ts";
import { parseInput } from "#app/roster/input.ts";
import { normaliseName } from "#app/roster/names.ts";
import { getLeaderYear, requireLeaderYear } from "./facts.server.ts";
import { LeaderPersonSchema, LeaderSchema, RollOverSchema, type LeaderInput, type LeaderPersonInput, type RollOverInput } from "./schemas.ts";
import { academicYearLabel, addMonths, londonToday } from "#app/utils/dates.ts";
import type { Db } from "#db/schema.ts";
import { plural } from "#app/utils/plural.ts";

/** Adding leaders to a year's roster and correcting them, and starting a new year from the last. */

/** Organisations by normalised name, for linking a roster's groups. */
export async function organisationsByName(db: Db): Promise<Map<string, number>> {
  const rows = await db.selectFrom("organisations").select(["id", "name"]).where("is_archived", "=", 0).execute();
  return new Map(rows.map((o) => [normaliseName(o.name), o.id]));
}

/** The date a new appointment starts: given, or today, but never before the year starts. */
export function defaultStartedOn(startYear: number, given?: string | null): string {
  if (given) return given;
  const today = londonToday();
  const first = `${startYear}-08-01`;
  return today > first ? today : first;
}

/**
 * Adds a person to a year's roster in a role (or updates them): the person is found by email, their
 * name and student ID brought up to date; the same role in the same group is one appointment.
 */
export async function addOrUpdateLeader(
  db: Db,
  actor: SessionUser,
  startYear: number,
  input: LeaderInput,
): Promise<{ personId: number; appointmentId: number; created: boolean }> {
  const v = parseInput(LeaderSchema, input);
  return writeTransaction(db, async (trx) => {
    await requireLeaderYear(trx, startYear);
    const role = await trx.selectFrom("leader_roles").select(["id", "name", "is_archived"]).where("id", "=", v.roleId).executeTakeFirst();
    if (!role || role.is_archived) throw new RuleViolation("roleId", "Choose a role from the list");
    if (v.startedOn && (v.startedOn < `${startYear}-08-01` || v.startedOn > `${startYear + 1}-07-31`)) {
      throw new RuleViolation("startedOn", `The start date must fall within ${academicYearLabel(startYear)}`);
    }
    if (v.studentId) {
      const holder = await trx.selectFrom("leader_people").select(["email", "name"]).where("student_id", "=", v.studentId).executeTakeFirst();
      if (holder && holder.email !== v.email) throw new RuleViolation("studentId", `This student ID belongs to ${holder.name} (${holder.email})`);
    }
    const at = nowIso();
    const existing = await trx.selectFrom("leader_people").selectAll().where("email", "=", v.email).executeTakeFirst();
    let personId: number;
    if (existing) {
      personId = existing.id;
      const studentId = v.studentId ?? existing.student_id;
      if (existing.name !== v.name || existing.student_id !== studentId) {
        await trx.updateTable("leader_people").set({ name: v.name, student_id: studentId, updated_at: at }).where("id", "=", personId).execute();
      }
    } else {
      personId = (
        await trx
          .insertInto("leader_people")
          .values({ name: v.name, email: v.email, student_id: v.studentId, created_at: at, updated_at: at })
          .returning("id")
          .executeTakeFirstOrThrow()
      ).id;
    }
    const organisationId = (await organisationsByName(trx)).get(normaliseName(v.groupName)) ?? null;
    const appointment = await trx
      .selectFrom("leader_appointments")
      .select(["id"])
      .where("person_id", "=", personId)
      .where("start_year", "=", startYear)
      .where("role_id", "=", v.roleId)
      .where("group_name", "=", v.groupName)
      .executeTakeFirst();
    let appointmentId: number;
    if (appointment) {
      appointmentId = appointment.id;
      await trx
        .updateTable("leader_appointments")
        .set({ is_president: v.isPresident ? 1 : 0, organisation_id: organisationId, ...(v.startedOn ? { started_on: v.startedOn } : {}), updated_at: at })
        .where("id", "=", appointmentId)
        .execute();
    } else {
      appointmentId = (
        await trx
          .insertInto("leader_appointments")
          .values({
            person_id: personId,
            start_year: startYear,
            role_id: v.roleId,
            group_name: v.groupName,
            organisation_id: organisationId,
            is_president: v.isPresident ? 1 : 0,
            started_on: defaultStartedOn(startYear, v.startedOn),
            ended_on: null,
            end_reason: null,
            created_at: at,
            updated_at: at,
          })
          .returning("id")
          .executeTakeFirstOrThrow()
      ).id;
    }
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: appointment ? "leader.updated" : "leader.added",
      entityType: "leader",
      entityId: personId,
      summary: `${actor.name} ${appointment ? "updated" : "added"} ${v.name} as ${role.name}${v.groupName ? ` (${v.groupName})` : ""} for ${academicYearLabel(startYear)}`,
      detail: { appointmentId, ...v },
    });
    return { personId, appointmentId, created: !appointment };
  });
}

/** Corrects a person's name, email or student ID. */
export async function updateLeaderPerson(db: Db, actor: SessionUser, input: LeaderPersonInput): Promise<void> {
  const v = parseInput(LeaderPersonSchema, input);
  try {
    await writeTransaction(db, async (trx) => {
      const before = await trx.selectFrom("leader_people").selectAll().where("id", "=", v.personId).executeTakeFirst();
      if (!before) throw new RuleViolation("personId", "This leader no longer exists");
      const clash = await trx
        .selectFrom("leader_people")
        .select(["name", "email", "student_id"])
        .where("id", "!=", v.personId)
        .where((eb) => eb.or([eb("email", "=", v.email), ...(v.studentId ? [eb("student_id", "=", v.studentId)] : [])]))
        .executeTakeFirst();
      if (clash?.email === v.email) throw new RuleViolation("email", `This email belongs to ${clash.name}`);
      if (clash) throw new RuleViolation("studentId", `This student ID belongs to ${clash.name} (${clash.email})`);
      await trx
        .updateTable("leader_people")
        .set({ name: v.name, email: v.email, student_id: v.studentId, updated_at: nowIso() })
        .where("id", "=", v.personId)
        .execute();
      await recordAudit(trx, {
        actorUserId: actor.id,
        action: "leader.person_updated",
        entityType: "leader",
        entityId: v.personId,
        summary: `${actor.name} changed the details of ${before.name}`,
        detail: {
          before: { name: before.name, email: before.email, studentId: before.student_id },
          after: { name: v.name, email: v.email, studentId: v.studentId },
        },
      });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new RuleViolation("email", "This email or student ID belongs to someone else");
    throw err;
  }
}

/**
 * Starts a new roster year from the last: appointments in the roles that continue (and not ended)
 * are copied, starting on 1 August. The new year is created if needed, with the given deadline or
 * last year's moved on a year. Running it twice copies nothing twice.
 */
export async function rollOverYear(db: Db, actor: SessionUser, input: RollOverInput): Promise<{ copied: number; alreadyThere: number }> {
  const v = parseInput(RollOverSchema, input);
  return writeTransaction(db, async (trx) => {
    const from = await requireLeaderYear(trx, v.fromYear);
    const at = nowIso();
    const existingYear = await getLeaderYear(trx, v.toYear);
    if (!existingYear) {
      const deadline = v.deadline ?? addMonths(from.deadline, 12 * (v.toYear - v.fromYear));
      await trx.insertInto("leader_years").values({ start_year: v.toYear, deadline, created_at: at, updated_at: at }).execute();
    } else if (v.deadline && v.deadline !== existingYear.deadline) {
      await trx.updateTable("leader_years").set({ deadline: v.deadline, updated_at: at }).where("start_year", "=", v.toYear).execute();
    }
    const continuing = (eb: typeof trx) =>
      eb.selectFrom("leader_appointments as a").where("a.start_year", "=", v.fromYear).where("a.role_id", "in", v.roleIds).where("a.ended_on", "is", null);
    const candidates = Number(
      (
        await continuing(trx)
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );
    const startedOn = `${v.toYear}-08-01`;
    const result = await trx
      .insertInto("leader_appointments")
      .columns([
        "person_id",
        "start_year",
        "role_id",
        "group_name",
        "organisation_id",
        "is_president",
        "started_on",
        "ended_on",
        "end_reason",
        "created_at",
        "updated_at",
      ])
      .expression(
        continuing(trx)
          .select([
            "a.person_id",
            sql.lit(v.toYear).as("start_year"),
            "a.role_id",
            "a.group_name",
            "a.organisation_id",
            "a.is_president",
            sql.val(startedOn).as("started_on"),
            sql.lit(null).as("ended_on"),
            sql.lit(null).as("end_reason"),
            sql.val(at).as("created_at"),
            sql.val(at).as("updated_at"),
          ])
          .where(({ not, exists, selectFrom }) =>
            not(
              exists(
                selectFrom("leader_appointments as b")
                  .select("b.id")
                  .whereRef("b.person_id", "=", "a.person_id")
                  .where("b.start_year", "=", v.toYear)
                  .whereRef("b.role_id", "=", "a.role_id")
                  .whereRef("b.group_name", "=", "a.group_name"),
              ),
            ),
          ),
      )
      .executeTakeFirst();
    const copied = Number(result.numInsertedOrUpdatedRows ?? 0);
    const roles = await trx.selectFrom("leader_roles").select("name").where("id", "in", v.roleIds).orderBy("name").execute();
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: "leader.year_rolled_over",
      entityType: "leader_year",
      entityId: v.toYear,
      summary: `${actor.name} rolled ${plural(copied, "leader")} over from ${academicYearLabel(v.fromYear)} to ${academicYearLabel(v.toYear)} (${roles.map((r) => r.name).join(", ")})`,
      detail: { ...v, copied, alreadyThere: candidates - copied },
    });
    return { copied, alreadyThere: candidates - copied };
  });
}
