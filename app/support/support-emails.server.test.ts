import type { Kysely } from "kysely";
import { openDatabase } from "#db/connection.ts";
import { describe, expect, it } from "vitest";
import type { Database, EmailMessage } from "#db/schema.ts";
import { getDb } from "#app/db.server.ts";
import { closeRegister } from "#app/register/register.server.ts";
import { assignTrainer, respondToAssignment } from "#app/scheduling/assignments.server.ts";
import { sendDueReminders } from "#app/scheduling/reminders.server.ts";
import { scheduleRequest } from "#app/scheduling/sessions.server.ts";
import { addMs, DAY, HOUR, MINUTE } from "#app/utils/time.ts";
import { attend } from "#tests/compliance-fixtures.ts";
import { createCourse } from "#tests/factories.ts";
import { createRequest, createRoom, createTrainer, insertSession, london, outboxTo, pinClock, schedulingWorld } from "#tests/scheduling-fixtures.ts";
import { moveSupportService, removeSupportService, saveSupportService, supportDirectory } from "./support.server.ts";

const db = () => getDb();
let seq = 0;

/** A Kysely on the same file that writes down every statement, to count reads of the directory. */
async function countingDirectoryReads<T>(run: (logged: Kysely<Database>) => Promise<T>): Promise<{ result: T; reads: number }> {
  let reads = 0;
  const logged = openDatabase(globalThis.__neverokDb!.target, {
    log: (e) => {
      if (e.level === "query" && /\bfrom\s+"support_services"/i.test(e.query.sql)) reads++;
    },
  });
  try {
    return { result: await run(logged), reads };
  } finally {
    await logged.destroy();
  }
}

/** Every service in the directory is in the message as a link that works, urgent ones first and marked. */
async function expectDirectoryIn(message: Pick<EmailMessage, "html" | "text">) {
  const directory = await supportDirectory(db());
  expect(directory.length).toBeGreaterThan(2);
  for (const s of directory) {
    expect(message.text, s.name).toContain(s.name);
    if (s.url) expect(message.html, s.name).toContain(`href="${s.url}"`);
    if (s.phoneHref) expect(message.html, s.name).toContain(`href="${s.phoneHref}"`);
  }
  const positions = directory.map((s) => message.text.indexOf(s.name));
  expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  for (const s of directory.filter((x) => x.urgent)) expect(message.text).toContain(`URGENT: ${s.name}`);
  expect(message.text).not.toContain(`URGENT: ${directory.find((x) => !x.urgent)!.name}`);
}

async function addServices(coordinator: Awaited<ReturnType<typeof schedulingWorld>>["coordinator"]) {
  const tag = ++seq;
  const reportName = `Report + Support ${tag}`;
  const report = await saveSupportService(db(), coordinator, null, {
    name: reportName,
    purpose: "Report an incident online to the University, named or anonymously.",
    url: `https://reportandsupport.example.ac.uk/?from=${tag}`,
    phone: null,
    hours: "Online at any time",
    urgent: false,
  });
  const advice = await saveSupportService(db(), coordinator, null, {
    name: `The Advice and Support Centre ${tag}`,
    purpose: "Advice, support and guidance in the Students' Union.",
    url: "https://su.example.ac.uk/advice",
    phone: "+44 (0)20 7946 0000",
    hours: "Mon–Fri 9:00–17:00",
    urgent: false,
  });
  return { report, advice, reportName };
}

describe("the feedback request", () => {
  it("lists the support directory, each service a link, as it stands when the register closes", async () => {
    const w = await schedulingWorld(db());
    const { report, advice, reportName } = await addServices(w.coordinator);
    // The coordinator puts the advice centre above Report + Support, then takes Report + Support out.
    await moveSupportService(db(), w.coordinator, advice, "up");
    await removeSupportService(db(), w.coordinator, report);

    const courseId = await createCourse(db());
    const trainer = await createTrainer(db(), { qualifiedFor: [courseId] });
    const startsAt = london("2031-03-04", "14:00");
    const sessionId = await insertSession(db(), { courseId, startsAt, trainerIds: [trainer.id] });
    const email = `attendee-${++seq}@students.example.ac.uk`;
    await attend(db(), sessionId, { name: "Amira Hussain", email });
    pinClock(addMs(startsAt, 90 * MINUTE));

    const { reads } = await countingDirectoryReads(async (logged) => closeRegister(logged, trainer, sessionId));
    expect(reads).toBe(1);
    const [message] = await outboxTo(db(), email, "feedback-request");
    await expectDirectoryIn(message!);
    expect(message!.html).toContain('href="tel:+442079460000"');
    expect(message!.text).toContain("+44 (0)20 7946 0000");
    expect(message!.text).not.toContain(reportName);
    // The raw message carries the same links to the mail client.
    expect(message!.raw_mime).toContain("tel:+442079460000");
  });
});

describe("the session reminder", () => {
  it("lists the support directory for the booker and every trainer, read once for the whole run", async () => {
    const startsAt = london("2031-05-13", "10:00");
    pinClock(addMs(startsAt, -3 * DAY));
    const w = await schedulingWorld(db());
    await addServices(w.coordinator);
    const requestId = await createRequest(db(), { booker: w.booker, organisationId: w.organisationId, courseId: w.courseId });
    const sessionId = await scheduleRequest(db(), w.coordinator, { requestId, startsAt, location: { roomId: await createRoom(db()) } });
    const trainers = [await createTrainer(db(), { qualifiedFor: [w.courseId] }), await createTrainer(db(), { qualifiedFor: [w.courseId] })];
    for (const t of trainers) {
      await assignTrainer(db(), w.coordinator, { sessionId, trainerId: t.id });
      await respondToAssignment(db(), t, { sessionId, response: "accept" });
    }
    pinClock(addMs(startsAt, -20 * HOUR));

    const { result, reads } = await countingDirectoryReads((logged) => sendDueReminders(logged));
    expect(result).toBe(3);
    expect(reads).toBe(1);
    for (const who of [w.booker, ...trainers]) {
      const [reminder] = await outboxTo(db(), who.email, "session-reminder");
      await expectDirectoryIn(reminder!);
    }
  });
});
