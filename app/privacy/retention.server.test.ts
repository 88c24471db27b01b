import crypto from "node:crypto";
import { createElement } from "react";
import { beforeAll, describe, expect, it } from "vitest";
import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import { getDb } from "#app/db.server.ts";
import { sendEmail } from "#app/email/outbox.server.ts";
import { runJobsOnce } from "#app/jobs/runner.server.ts";
import { periodFigures } from "#app/reports/impact.server.ts";
import { academicYearOf, addDays, addMonthsToInstant, londonDateOf, londonDayStart } from "#app/utils/dates.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { addMs, DAY, HOUR } from "#app/utils/time.ts";
import { attend, createLeaderRole } from "#tests/compliance-fixtures.ts";
import { createCourse, createUser, insertFeedbackResponses } from "#tests/factories.ts";
import { insertSession, pinClock } from "#tests/scheduling-fixtures.ts";
import { createStaffMember, createStaffRole, createVenue } from "#tests/staff-fixtures.ts";
import { DEFAULT_RETENTION } from "./retention.ts";
import { applyRetention, applyRetentionIfDue, getRetentionPeriods, retentionPreview, saveRetentionPeriods } from "./retention.server.ts";
import { ANONYMISED_NAME, REMOVED_BODY } from "./tables.ts";

let db: Kysely<Database>;
let courseId: number;
const T = new Date("2030-03-15T12:00:00.000Z");
const hex = () => crypto.randomBytes(16).toString("hex");
/** `months` calendar months before T, shifted by `days` (negative: older). */
const monthsBefore = (months: number, days: number) => addMs(addMonthsToInstant(T, -months), days * DAY);
const noFilters = { courseId: null, orgKind: null, organisationId: null, trainerId: null };

beforeAll(async () => {
  db = getDb();
  courseId = await createCourse(db);
});

async function mailAt(createdAt: Date, status: "held" | "pending" = "held") {
  const id = await sendEmail(db, {
    template: "test",
    to: { email: `mail-${hex()}@example.ac.uk`, name: "Mail Recipient" },
    subject: "Hello",
    react: createElement("p", null, "Body text"),
  });
  await db.updateTable("email_messages").set({ created_at: createdAt.toISOString(), status }).where("id", "=", id).execute();
  return id;
}

async function feedbackAt(sessionId: number, createdAt: Date) {
  const [id] = await insertFeedbackResponses(db, sessionId, [
    { confidence_before: 2, confidence_after: 4, do_differently: "Step in", comments: "Useful", created_at: createdAt.toISOString() },
  ]);
  return id!;
}

async function auditAt(createdAt: Date) {
  const row = await db
    .insertInto("audit_events")
    .values({
      actor_user_id: null,
      action: "test.old",
      entity_type: "test",
      entity_id: null,
      summary: "Something happened",
      detail_json: null,
      created_at: createdAt.toISOString(),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

async function feedbackTokenExpiring(registrationId: number, expiresAt: Date) {
  const row = await db
    .insertInto("feedback_tokens")
    .values({
      registration_id: registrationId,
      token_hash: hex(),
      created_at: addMs(expiresAt, -30 * DAY).toISOString(),
      expires_at: expiresAt.toISOString(),
      used_at: null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

describe("applying the retention periods", () => {
  // Just past and just inside each period, around T.
  let oldSession: number;
  let youngSession: number;
  let oldReg: number;
  let youngReg: number;
  let sidOnlyReg: number;
  let ids: Record<string, number>;

  beforeAll(async () => {
    // The setup puts the clock back before each test, so each test sets it again.
    pinClock(T);
    oldSession = await insertSession(db, { courseId, startsAt: monthsBefore(36, -1), status: "delivered" });
    youngSession = await insertSession(db, { courseId, startsAt: monthsBefore(36, 1), status: "delivered" });
    // The same person at both, so the year's count of people must not change as they are anonymised one at a time.
    oldReg = await attend(db, oldSession, { name: "Rhiannon Old", email: "rhiannon@students.example.ac.uk", studentId: "S100" });
    youngReg = await attend(db, youngSession, { name: "Rhiannon Old", email: "rhiannon@students.example.ac.uk", studentId: "S100" });
    sidOnlyReg = await attend(db, oldSession, { name: "Walk In", email: null, studentId: "S200" });
    await attend(db, oldSession, { name: "Cancelled Person", email: "cancelled@students.example.ac.uk" }, { status: "cancelled", attendance: "unknown" });
    await db.updateTable("registrations").set({ accessibility_needs: "Hearing loop", answer: "Hall rep" }).where("id", "in", [oldReg, youngReg]).execute();
    ids = {
      oldFeedback: await feedbackAt(oldSession, monthsBefore(24, -1)),
      youngFeedback: await feedbackAt(oldSession, monthsBefore(24, 1)),
      oldBody: await mailAt(monthsBefore(12, -1)),
      youngBody: await mailAt(monthsBefore(12, 1)),
      // Past both mail periods, but still being delivered.
      oldPending: await mailAt(monthsBefore(36, -1), "pending"),
      oldRecipient: await mailAt(monthsBefore(36, -1)),
      oldAudit: await auditAt(monthsBefore(72, -1)),
      youngAudit: await auditAt(monthsBefore(72, 1)),
      oldToken: await feedbackTokenExpiring(youngReg, addMs(T, -30 * DAY - HOUR)),
      youngToken: await feedbackTokenExpiring(youngReg, addMs(T, -30 * DAY + HOUR)),
    };
    // Two who left a venue's staff list, just over and just under 24 months ago, and one still on it.
    const venueId = await createVenue(db);
    const staffRoleId = await createStaffRole(db, [{ courseId }]);
    const leaver = async (endedOn: string | null) =>
      (await createStaffMember(db, { organisationId: venueId, roleId: staffRoleId, startedOn: "2020-01-01", endedOn })).id;
    ids.oldLeaver = await leaver(londonDateOf(monthsBefore(24, -2)));
    ids.youngLeaver = await leaver(londonDateOf(monthsBefore(24, 2)));
    ids.stillThere = await leaver(null);
    await db
      .insertInto("staff_completions")
      .values({ member_id: ids.oldLeaver, course_id: courseId, completed_on: "2025-01-01", provider: "Elsewhere", created_at: T.toISOString() })
      .execute();
  });

  const registration = (id: number) => db.selectFrom("registrations").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  const mail = (id: number) => db.selectFrom("email_messages").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  const feedback = (id: number) => db.selectFrom("feedback_responses").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  const exists = async (table: "audit_events" | "feedback_tokens", id: number) =>
    !!(await db.selectFrom(table).select("id").where("id", "=", id).executeTakeFirst());
  const people = async () => (await periodFigures(db, academicYearOf(monthsBefore(36, 0)), noFilters)).people;

  it("shows what is due before anything is removed, and when the next items fall due", async () => {
    pinClock(T);
    const preview = Object.fromEntries((await retentionPreview(db)).map((r) => [r.key, r]));
    expect(preview.registrations).toMatchObject({ due: 3, nextAt: addMonthsToInstant(monthsBefore(36, 1), 36).toISOString() });
    expect(preview.feedbackText).toMatchObject({ due: 1, nextAt: addMonthsToInstant(monthsBefore(24, 1), 24).toISOString() });
    expect(preview.emailBodies!.due).toBe(2); // the old body and the old recipient's; not the one still pending
    expect(preview.emailRecipients!.due).toBe(1);
    expect(preview.auditEntries!.due).toBe(1);
    expect(preview.expiredTokens).toMatchObject({ due: 1, nextAt: addMs(T, HOUR).toISOString() });
    expect(preview.staffLeavers).toMatchObject({
      due: 1,
      nextAt: addMonthsToInstant(londonDayStart(addDays(londonDateOf(monthsBefore(24, 2)), 1)), 24).toISOString(),
    });
  });

  let peopleAtFirst = 0;
  it("anonymises what is older than its period and keeps what is younger", async () => {
    pinClock(T);
    peopleAtFirst = await people();
    const counts = await applyRetention(db, { batchSize: 2 });
    expect(counts).toEqual({ registrations: 3, feedbackText: 1, emailBodies: 2, emailRecipients: 1, auditEntries: 1, expiredTokens: 1, staffLeavers: 1 });
    const staff = await db.selectFrom("staff_members").select("id").where("id", "in", [ids.oldLeaver!, ids.youngLeaver!, ids.stillThere!]).execute();
    expect(staff.map((m) => m.id).sort()).toEqual([ids.youngLeaver, ids.stillThere].sort());
    expect(await db.selectFrom("staff_completions").select("id").where("member_id", "=", ids.oldLeaver!).execute()).toEqual([]);

    const old = await registration(oldReg);
    expect(old).toMatchObject({ name: ANONYMISED_NAME, student_id: null, accessibility_needs: null, answer: null, attendance: "present" });
    expect(old.email).toMatch(/^anon-[0-9a-f]{24}@erased\.invalid$/);
    expect((await registration(sidOnlyReg)).email).toMatch(/^anon-/);
    expect(await registration(youngReg)).toMatchObject({
      name: "Rhiannon Old",
      email: "rhiannon@students.example.ac.uk",
      student_id: "S100",
      accessibility_needs: "Hearing loop",
    });

    expect(await feedback(ids.oldFeedback!)).toMatchObject({ comments: null, do_differently: null, rating: 4 });
    expect(await feedback(ids.youngFeedback!)).toMatchObject({ comments: "Useful", do_differently: "Step in" });

    expect(await mail(ids.oldBody!)).toMatchObject({ html: REMOVED_BODY, text: REMOVED_BODY, raw_mime: REMOVED_BODY, subject: "Hello" });
    expect((await mail(ids.oldBody!)).to_address).toMatch(/@example\.ac\.uk$/);
    expect((await mail(ids.youngBody!)).html).toContain("Body text");
    expect(await mail(ids.oldPending!)).toMatchObject({
      html: expect.stringContaining("Body text"),
      to_address: expect.stringMatching(/^mail-.*@example\.ac\.uk$/),
    });
    expect(await mail(ids.oldRecipient!)).toMatchObject({ to_address: `removed-${ids.oldRecipient}@erased.invalid`, to_name: null });

    expect(await exists("audit_events", ids.oldAudit!)).toBe(false);
    expect(await exists("audit_events", ids.youngAudit!)).toBe(true);
    expect(await exists("feedback_tokens", ids.oldToken!)).toBe(false);
    expect(await exists("feedback_tokens", ids.youngToken!)).toBe(true);
  });

  it("takes the rest once the clock passes their period, and then counts the person once in their year again", async () => {
    // Half-way, their old registration is anonymous and their young one is not: two people for a while.
    expect(await people()).toBe(peopleAtFirst + 1);
    pinClock(addMs(T, 2 * DAY));
    const counts = await applyRetention(db);
    expect(counts).toMatchObject({ registrations: 1, feedbackText: 1, emailBodies: 1, auditEntries: 1, expiredTokens: 1 });
    const [old, young] = [await registration(oldReg), await registration(youngReg)];
    expect(young.name).toBe(ANONYMISED_NAME);
    expect(young.email).toBe(old.email);
    expect(await people()).toBe(peopleAtFirst);
    expect(await applyRetention(db)).toEqual({
      registrations: 0,
      feedbackText: 0,
      emailBodies: 0,
      emailRecipients: 0,
      auditEntries: 0,
      expiredTokens: 0,
      staffLeavers: 0,
    });
  });

  it("forgets the year's key once the whole year is past its period, after which nothing links the placeholders", async () => {
    const yearKeys = () => db.selectFrom("settings").select("value_json").where("key", "=", "retention_year_keys").executeTakeFirst();
    expect(await yearKeys()).toBeTruthy();
    pinClock(addMonthsToInstant(academicYearOf(monthsBefore(36, 0)).end, 36 + 1));
    await applyRetention(db);
    expect(await yearKeys()).toBeUndefined();
  });
});

describe("the retention settings", () => {
  it("start from the defaults and are saved with an audit entry", async () => {
    const coordinator = await createUser(db, { roles: ["coordinator"] });
    expect(await getRetentionPeriods(db)).toEqual(DEFAULT_RETENTION);
    await saveRetentionPeriods(db, coordinator, { ...DEFAULT_RETENTION, auditMonths: 84 });
    expect((await getRetentionPeriods(db)).auditMonths).toBe(84);
    const audit = await db.selectFrom("audit_events").select("summary").where("action", "=", "settings.retention_updated").executeTakeFirstOrThrow();
    expect(audit.summary).toMatch(/changed how long personal data is kept/);
    await saveRetentionPeriods(db, coordinator, DEFAULT_RETENTION);
  });

  it("refuse to drop attendance sooner than a leader role's training stays valid", async () => {
    const coordinator = await createUser(db, { roles: ["coordinator"] });
    await createLeaderRole(db, [{ courseId, validity: "months", months: 48 }]);
    const err = await saveRetentionPeriods(db, coordinator, { ...DEFAULT_RETENTION, registrationsMonths: 36 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RuleViolation);
    expect(err).toMatchObject({ field: "registrationsMonths", message: expect.stringMatching(/at least 48 months/) });
  });

  it("refuse to drop attendance sooner than a venue staff role's training stays valid", async () => {
    const coordinator = await createUser(db, { roles: ["coordinator"] });
    await createStaffRole(db, [{ courseId, validity: "months", months: 60 }]);
    const err = await saveRetentionPeriods(db, coordinator, { ...DEFAULT_RETENTION, registrationsMonths: 48 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ field: "registrationsMonths", message: expect.stringMatching(/at least 60 months: a staff role's training/) });
  });

  it("are applied by the job runner at most once an hour", async () => {
    const later = new Date("2040-01-01T09:00:00Z");
    pinClock(later);
    expect(await applyRetentionIfDue(db)).not.toBeNull();
    expect((await runJobsOnce(db)).retention).toBeNull();
    pinClock(addMs(later, 2 * HOUR));
    expect((await runJobsOnce(db)).retention).not.toBeNull();
  });
});
