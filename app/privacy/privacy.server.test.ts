import crypto from "node:crypto";
import { createElement } from "react";
import { simpleParser } from "mailparser";
import { beforeAll, describe, expect, it } from "vitest";
import { sql, type Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import { getDb } from "#app/db.server.ts";
import { leaderComplianceFigures } from "#app/reports/leader-compliance.server.ts";
import { periodFigures } from "#app/reports/impact.server.ts";
import { academicYearOf } from "#app/utils/dates.ts";
import { recordAudit } from "#app/audit/audit.server.ts";
import { sendEmail } from "#app/email/outbox.server.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { addMs, DAY, now, nowIso } from "#app/utils/time.ts";
import { attend } from "#tests/compliance-fixtures.ts";
import { createCourse, createUser } from "#tests/factories.ts";
import { findTextAnywhere, personEverywhere, type EverywherePerson } from "#tests/privacy-fixtures.ts";
import { insertSession } from "#tests/scheduling-fixtures.ts";
import { createStaffMember, createStaffRole, createVenue } from "#tests/staff-fixtures.ts";
import { venueSummaries } from "#app/venues/coverage.server.ts";
import { londonToday } from "#app/utils/dates.ts";
import { erasePerson } from "./erase.server.ts";
import { findPersonData } from "./person-data.server.ts";
import { mentions, storedForms } from "./stored-forms.ts";
import { ERASED_NAME, PERSON_TABLES, TABLES } from "./tables.ts";

let db: Kysely<Database>;
beforeAll(() => {
  db = getDb();
});

const coordinator = () => createUser(db, { roles: ["coordinator"] });
const noFilters = { courseId: null, orgKind: null, organisationId: null, trainerId: null };

describe("what is held about a person", () => {
  it("classifies every table in the database, so a new table cannot be left out of the export unnoticed", async () => {
    const tables = (await db.introspection.getTables()).map((t) => t.name).sort();
    expect(tables).toEqual(Object.keys(TABLES).sort());
  });

  it("finds the person in every table that can hold something about them", async () => {
    const p = await personEverywhere(db);
    const data = await findPersonData(db, p.email.toUpperCase());
    const missing = PERSON_TABLES.filter((t) => !data.tables[t]);
    expect(missing, "tables the export found nothing in").toEqual([]);
    expect(data.nothingHeld).toBe(false);
  });

  it("gives the account, registrations, feedback links, leader record, mail and audit entries", async () => {
    const p = await personEverywhere(db);
    const data = await findPersonData(db, p.email);
    expect(data.account).toMatchObject({ name: p.name, roles: ["booker", "trainer"], signInSessions: { count: 1 } });
    expect(data.account!.organisations).toHaveLength(1);
    expect(data.account!.trainer.timeOff[0]!.reason).toContain("Hospital");
    expect(data.registrations.map((r) => [r.foundBy, r.studentId])).toEqual(
      expect.arrayContaining([
        ["email", p.studentId],
        ["email", null],
        ["student ID", p.studentId],
      ]),
    );
    expect(data.registrations).toHaveLength(3);
    expect(data.registrations.find((r) => r.answer)).toMatchObject({
      answer: "Hall rep",
      accessibilityNeeds: `${p.name} uses a wheelchair`,
      attendance: "present",
    });
    expect(data.feedbackLinks).toHaveLength(1);
    expect(data.feedbackLinks[0]!.usedOn).not.toBeNull();
    expect(data.leader).toMatchObject({ name: p.name, studentId: p.studentId, dismissedMatches: 1 });
    expect(data.leader!.appointments[0]).toMatchObject({ group: "Hockey Club" });
    expect(data.leader!.exemptions[0]).toMatchObject({ reason: "Medical", course: "Every course" });
    // Subjects and dates of mail, never bodies.
    expect(data.emails).toHaveLength(1);
    expect(data.emails[0]).toEqual({
      id: expect.any(Number),
      subject: `${p.name}, your leader training`,
      template: "leader-reminder",
      status: "held",
      createdAt: expect.any(String),
      sentAt: null,
    });
    expect(JSON.stringify(data)).not.toContain("your student ID");
    expect(data.staff).toEqual([
      expect.objectContaining({
        name: p.name,
        staffNumber: p.staffNumber,
        employer: "Shield Security Ltd",
        endReason: `${p.name} went travelling`,
        completions: [expect.objectContaining({ provider: "SIA", evidenceNote: `Certificate for ${p.name}` })],
        exemptions: [expect.objectContaining({ course: "Every course", reason: `${p.name} trains the team` })],
      }),
    ]);
    expect(data.audit.map((a) => a.why).sort()).toEqual([
      "about their account",
      "about their leader record",
      "about their staff-list entry",
      expect.stringContaining("mentions their name"),
    ]);
    expect(data.signInFailures).toMatchObject({ count: 2 });
    expect(data.organisationContacts).toHaveLength(1);
    expect(data.signupLists).toHaveLength(1);
    expect(data.remindersSent).toHaveLength(1);
  });

  it("says plainly when nothing is held", async () => {
    const data = await findPersonData(db, "nobody-at-all@example.ac.uk");
    expect(data.nothingHeld).toBe(true);
    expect(data.account).toBeNull();
    expect(data.registrations).toEqual([]);
  });
});

describe("erasing a person", () => {
  let p: EverywherePerson;
  let before: unknown;
  let reportBefore: Awaited<ReturnType<typeof erasePerson>>;

  const figures = async () => {
    const periods = [academicYearOf(addMs(now(), -40 * DAY)), academicYearOf(addMs(now(), -10 * DAY))];
    const out = [];
    for (const period of periods) {
      const f = await periodFigures(db, period, noFilters);
      out.push({
        people: f.people,
        attendances: f.attendances,
        sessions: f.sessionsDelivered,
        feedback: f.feedback,
        courses: f.courses,
        byAudience: [...f.byAudience],
      });
    }
    return { out, leaders: await leaderComplianceFigures(db, p.startYear) };
  };

  beforeAll(async () => {
    p = await personEverywhere(db);
    before = await figures();
    reportBefore = await erasePerson(db, await coordinator(), p.email, p.email.toUpperCase());
  });

  it("leaves neither their email address, their other address, their name nor their student ID anywhere in the database", async () => {
    expect(await findTextAnywhere(db, p.email)).toEqual([]);
    expect(await findTextAnywhere(db, p.otherEmail)).toEqual([]);
    expect(await findTextAnywhere(db, p.studentId)).toEqual([]);
    expect(await findTextAnywhere(db, p.staffNumber)).toEqual([]);
    // Only the namesake's own registration may still carry the name: it is somebody else's.
    const names = await findTextAnywhere(db, p.name);
    expect(names).toEqual([expect.stringMatching(/^registrations\.name:/)]);
    const namesake = await db.selectFrom("registrations").select(["name", "email"]).where("id", "=", p.namesakeRegistrationId).executeTakeFirstOrThrow();
    expect(namesake.name).toBe(p.name);
  });

  it("keeps every figure the impact report and the leader compliance figures show", async () => {
    expect(await figures()).toEqual(before);
  });

  it("keeps the registrations and attendance rows, anonymous", async () => {
    const rows = await db.selectFrom("registrations").selectAll().where("session_id", "in", p.sessionIds).where("name", "=", ERASED_NAME).execute();
    expect(rows).toHaveLength(3);
    for (const r of rows) {
      expect(r.attendance).toBe("present");
      expect(r.email).toMatch(/^erased-[0-9a-f]+(-\d)?@erased\.invalid$/);
      expect(r.accessibility_needs).toBeNull();
      expect(r.answer).toBeNull();
      expect(r.manage_token_hash).toBeNull();
    }
    expect(await db.selectFrom("feedback_responses").select("comments").where("session_id", "in", p.sessionIds).execute()).toEqual([{ comments: "Great" }]);
  });

  it("deactivates the account, signs it out everywhere and deletes its links and tokens", async () => {
    const user = await db.selectFrom("users").selectAll().where("id", "=", p.userId).executeTakeFirstOrThrow();
    expect(user).toMatchObject({ name: ERASED_NAME, is_active: 0, password_hash: null });
    expect(await db.selectFrom("auth_sessions").select("id").where("user_id", "=", p.userId).execute()).toEqual([]);
    expect(await db.selectFrom("email_tokens").select("id").where("user_id", "=", p.userId).execute()).toEqual([]);
    expect(await db.selectFrom("leader_access_tokens").select("id").where("person_id", "=", p.leaderId).execute()).toEqual([]);
    expect(reportBefore).toMatchObject({ registrations: 3, leaderRoles: 1, staffEntries: 1, account: true, emails: 2, signInSessionsEnded: 1 });
  });

  it("replaces the mail sent to them and stops any still waiting to go", async () => {
    const mail = await db.selectFrom("email_messages").selectAll().where("to_address", "like", "erased-%").execute();
    expect(mail.length).toBeGreaterThanOrEqual(2);
    for (const m of mail) {
      expect(m.html).toMatch(/erased/);
      expect(m.attachments_json).toBe("[]");
      expect(m.status).toBe("failed");
    }
  });

  it("records the erasure in the audit log without saying whose data it was", async () => {
    const entry = await db.selectFrom("audit_events").selectAll().where("action", "=", "privacy.erased").orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(entry.summary).toMatch(/erased a person's data \(an account, 3 registrations, 1 leader role, 1 staff-list entry, 2 emails\)/);
    expect(entry.entity_id).toBeNull();
  });

  it("then finds nothing identifying under their address", async () => {
    const data = await findPersonData(db, p.email);
    expect(data.nothingHeld).toBe(true);
  });
});

describe("erasing names and addresses in every form they are stored in", () => {
  /** Every text column of every table, and every stored message decoded (MIME parts and attachments), holding one of the forms as a whole word. */
  async function everyCopy(value: string): Promise<string[]> {
    const forms = storedForms(value);
    const found: string[] = [];
    for (const table of await db.introspection.getTables()) {
      for (const column of table.columns.filter((c) => /char|text|clob/i.test(c.dataType))) {
        const rows = await db
          .selectFrom(sql.table(table.name).as("t"))
          .select(sql<string | null>`${sql.ref(column.name)}`.as("v"))
          .execute();
        for (const r of rows) if (mentions(r.v, forms)) found.push(`${table.name}.${column.name}: ${String(r.v).slice(0, 120)}`);
      }
    }
    for (const m of await db.selectFrom("email_messages").select(["id", "raw_mime", "attachments_json"]).execute()) {
      const parsed = await simpleParser(m.raw_mime);
      const decoded = [
        parsed.subject,
        parsed.text,
        typeof parsed.html === "string" ? parsed.html : "",
        ...parsed.attachments.map((a) => a.content.toString("utf8")),
      ];
      for (const a of JSON.parse(m.attachments_json) as { contentBase64: string }[]) decoded.push(Buffer.from(a.contentBase64, "base64").toString("utf8"));
      if (decoded.some((text) => mentions(text, forms))) found.push(`email_messages ${m.id}, decoded`);
    }
    return found;
  }

  async function pastSession() {
    const courseId = await createCourse(db);
    const sessionId = await insertSession(db, { courseId, startsAt: addMs(now(), -20 * DAY), status: "delivered" });
    return sessionId;
  }

  it("a four-letter name leaves no copy in the audit log's summaries or details, and words that merely contain it stay", async () => {
    const tag = crypto.randomBytes(3).toString("hex");
    const name = "Amir";
    const email = `amir.${tag}@students.example.ac.uk`;
    const sessionId = await pastSession();
    await attend(db, sessionId, { name, email });
    await recordAudit(db, {
      actorUserId: null,
      action: "registration.cancelled",
      entityType: "session",
      entityId: sessionId,
      summary: `${name} cancelled their place`,
    });
    await recordAudit(db, {
      actorUserId: null,
      action: "register.walk_in_matched",
      entityType: "session",
      entityId: sessionId,
      summary: `Sam Okafor marked ${name.toUpperCase()} present at the door`,
      detail: { who: name },
    });
    await recordAudit(db, {
      actorUserId: null,
      action: "session.rescheduled",
      entityType: "session",
      entityId: sessionId,
      summary: `Moved to the Amiriya Room ${tag}`,
    });
    expect((await everyCopy(name)).length).toBeGreaterThan(0);

    await erasePerson(db, await coordinator(), email, email);

    expect(await everyCopy(email)).toEqual([]);
    const summaries = await db.selectFrom("audit_events").select(["summary", "detail_json"]).where("entity_id", "=", String(sessionId)).execute();
    expect(summaries.filter((s) => mentions(s.summary, storedForms(name)) || mentions(s.detail_json, storedForms(name)))).toEqual([]);
    expect(summaries.map((s) => s.summary)).toContain(`Moved to the Amiriya Room ${tag}`);
  });

  it('a person whose name is also a code ("Open", "Held") leaves every status, kind and template as it was', async () => {
    const tag = crypto.randomBytes(3).toString("hex");
    const email = `open.held.${tag}@students.example.ac.uk`;
    const sessionId = await pastSession();
    await db.updateTable("sessions").set({ kind: "open" }).where("id", "=", sessionId).execute();
    await attend(db, sessionId, { name: "Open", email });
    await attend(db, await pastSession(), { name: "Held", email });
    await recordAudit(db, {
      actorUserId: null,
      action: "registration.cancelled",
      entityType: "session",
      entityId: sessionId,
      summary: "Open cancelled their place",
    });
    const codes = async () => ({
      kinds: await db.selectFrom("sessions").select(["kind", "signup_policy"]).orderBy("id").execute(),
      mail: await db.selectFrom("email_messages").select(["status", "template"]).orderBy("id").execute(),
      registrations: await db.selectFrom("registrations").select(["status", "attendance"]).orderBy("id").execute(),
    });
    const before = await codes();
    expect(before.mail.some((m) => m.status === "held")).toBe(true);
    await erasePerson(db, await coordinator(), email, email);
    expect(await codes()).toEqual(before);
    const summary = await db
      .selectFrom("audit_events")
      .select("summary")
      .where("entity_id", "=", String(sessionId))
      .where("action", "=", "registration.cancelled")
      .executeTakeFirstOrThrow();
    expect(summary.summary).toBe(`${ERASED_NAME} cancelled their place`);
  });

  it("a name with an apostrophe and an accent leaves no copy: HTML-escaped in another person's message, JSON-escaped, in capitals, decomposed, with a curly apostrophe, or encoded in the raw message", async () => {
    const tag = crypto.randomBytes(3).toString("hex");
    const name = `Siobhán O'Brien-${tag}`;
    const email = `siobhan.${tag}@students.example.ac.uk`;
    const sessionId = await pastSession();
    await attend(db, sessionId, { name, email });
    // Another person's message names her: React writes the apostrophe as &#x27; in the HTML, the raw
    // message carries it quoted-printable, and a calendar attachment carries it base64.
    await sendEmail(db, {
      template: "leader-reminder-group",
      to: { email: `president-${tag}@students.example.ac.uk`, name: "Club President" },
      subject: `About ${name}`,
      react: createElement("p", null, `${name} has not yet done Active Bystander.`),
      attachments: [{ filename: "invite.ics", contentType: "text/calendar", content: `DESCRIPTION:Trainers: ${name}` }],
    });
    const other = await db.selectFrom("email_messages").select(["html"]).where("subject", "=", `About ${name}`).executeTakeFirstOrThrow();
    expect(other.html).toContain("O&#x27;Brien");
    await recordAudit(db, {
      actorUserId: null,
      action: "registration.cancelled",
      entityType: "session",
      entityId: sessionId,
      summary: `${name.toUpperCase()} cancelled their place`,
      detail: { said: `"${name}"` },
    });
    await db
      .insertInto("audit_events")
      .values({
        actor_user_id: null,
        action: "test.imported",
        entity_type: "session",
        entity_id: String(sessionId),
        summary: name.normalize("NFD"),
        detail_json: `{"who":"Siobh\\u00e1n O'Brien-${tag}"}`,
        created_at: nowIso(),
      })
      .execute();
    await db
      .updateTable("sessions")
      .set({ cancel_reason: `Ask ${name.replace("'", "\u2019")} first` })
      .where("id", "=", sessionId)
      .execute();
    expect((await everyCopy(name)).length).toBeGreaterThanOrEqual(5);

    await erasePerson(db, await coordinator(), email, email);

    expect(await everyCopy(name)).toEqual([]);
    expect(await everyCopy(email)).toEqual([]);
    expect((await db.selectFrom("sessions").select("cancel_reason").where("id", "=", sessionId).executeTakeFirstOrThrow()).cancel_reason).toBe(
      `Ask ${ERASED_NAME} first`,
    );
  });
});

describe("erasing someone held under many names", () => {
  it("finds and erases every one, however many spellings there are to look for", async () => {
    const tag = crypto.randomBytes(3).toString("hex");
    const email = `many.names.${tag}@students.example.ac.uk`;
    const names = Array.from({ length: 6 }, (_, i) => `Zoë O'Dúnlaing-${i}${tag}`);
    for (const name of names) {
      const sessionId = await insertSession(db, { courseId: await createCourse(db), startsAt: addMs(now(), -30 * DAY), status: "delivered" });
      await attend(db, sessionId, { name, email });
      await recordAudit(db, {
        actorUserId: null,
        action: "registration.cancelled",
        entityType: "session",
        entityId: sessionId,
        summary: `${name} cancelled their place`,
      });
    }
    expect((await findPersonData(db, email)).audit).toHaveLength(names.length);
    await erasePerson(db, await coordinator(), email, email);
    for (const name of names) expect(await findTextAnywhere(db, name)).toEqual([]);
  }, 30_000);
});

describe("erasure is refused", () => {
  it("without the email address typed again, and changes nothing", async () => {
    const p = await personEverywhere(db);
    for (const typed of ["", "someone@else.example", p.email.slice(1)]) {
      await expect(erasePerson(db, await coordinator(), p.email, typed)).rejects.toMatchObject({ field: "confirmEmail" });
    }
    const data = await findPersonData(db, p.email);
    expect(data.account?.name).toBe(p.name);
    expect(data.registrations).toHaveLength(3);
  });

  it("while they still hold a place on a session that has not happened", async () => {
    const p = await personEverywhere(db);
    const upcoming = await insertSession(db, { courseId: p.courseId, startsAt: addMs(now(), 7 * DAY) });
    await attend(db, upcoming, { name: p.name, email: p.email }, { attendance: "unknown" });
    const err = await erasePerson(db, await coordinator(), p.email, p.email).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RuleViolation);
    expect((err as RuleViolation).message).toMatch(/Cancel it first/);
  });

  it("for your own account, and for an address nothing is held about", async () => {
    const me = await coordinator();
    await expect(erasePerson(db, me, me.email, me.email)).rejects.toThrow(/your own account/);
    await expect(erasePerson(db, me, "never-seen@example.ac.uk", "never-seen@example.ac.uk")).rejects.toThrow(/Nothing is held/);
  });
});

describe("someone on a venue's staff list", () => {
  it("is found by the staff number they gave on a register under another address, and erased without moving the venue's share", async () => {
    const tag = crypto.randomBytes(3).toString("hex");
    const courseId = await createCourse(db);
    const venueId = await createVenue(db);
    const roleId = await createStaffRole(db, [{ courseId, validity: "once" }]);
    const email = `door.${tag}@shieldsecurity.example`;
    const staffNumber = `SIA${crypto.randomInt(1_000_000, 9_999_999)}`;
    await createStaffMember(db, { organisationId: venueId, roleId, name: `Rhiannon Price${tag}`, email, staffNumber, employer: "Shield Security Ltd" });
    const sessionId = await insertSession(db, { courseId, startsAt: addMs(now(), -20 * DAY), status: "delivered" });
    await attend(db, sessionId, { name: `Rhi Price${tag}`, email: `rhi.${tag}@personal.example.com`, studentId: staffNumber });
    const coordinatorUser = await coordinator();
    const share = async () => (await venueSummaries(db, londonToday(), 80)).find((v) => v.id === venueId)!;
    expect(await share()).toMatchObject({ counted: 1, trained: 1 });

    const data = await findPersonData(db, email);
    expect(data.staff.map((s) => s.staffNumber)).toEqual([staffNumber]);
    expect(data.registrations.map((r) => r.foundBy)).toEqual(["student ID"]);

    await erasePerson(db, coordinatorUser, email, email);
    expect(await findTextAnywhere(db, staffNumber)).toEqual([]);
    expect(await findTextAnywhere(db, `rhi.${tag}@personal.example.com`)).toEqual([]);
    expect(await findTextAnywhere(db, `Price${tag}`)).toEqual([]);
    expect(await share()).toMatchObject({ counted: 1, trained: 1 });
  });
});
