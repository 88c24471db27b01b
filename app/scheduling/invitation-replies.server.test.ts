import { simpleParser } from "mailparser";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "#app/db.server.ts";
import { createOpenSession } from "#app/signup/open-sessions.server.ts";
import { cancelWithToken, lookupManageToken, register } from "#app/signup/registrations.server.ts";
import { setEnvForTest } from "#tests/factories.ts";
import {
  calendarCopy,
  createTrainer,
  london,
  londonDate,
  openSessionInput,
  outboxTo,
  pinClock,
  scheduledBooking,
  schedulingWorld,
} from "#tests/scheduling-fixtures.ts";
import { assignTrainer } from "./assignments.server.ts";
import { rescheduleSession } from "./sessions.server.ts";

const db = () => getDb();
const REPLY_TO = "team@training.example.ac.uk";

const restores: (() => void)[] = [];
beforeEach(() => {
  pinClock("2030-10-02T08:00:00Z");
  restores.push(setEnvForTest({ MAIL_REPLY_TO: `Training Team <${REPLY_TO}>` }));
});
afterEach(() => {
  while (restores.length) restores.pop()!();
});

/** The link to manage a place, as the email's own button gives it. */
const manageLinkIn = (text: string) => /http:\/\/localhost:3000\/registrations\/[A-Za-z0-9_-]{40,}/.exec(text)?.[0];

async function expectRepliesGoToTheTeam(raw: string) {
  const parsed = await simpleParser(raw);
  expect(parsed.replyTo?.value.map((a) => [a.name, a.address])).toEqual([["Training Team", REPLY_TO]]);
}

describe("an invitation says where to answer, and replies reach someone", () => {
  it("a place's invitation points to its own manage link, the one in the email, and says replies to the calendar are not read", async () => {
    const w = await schedulingWorld(db());
    const sessionId = await createOpenSession(db(), w.coordinator, openSessionInput(w.courseId, { capacity: 1 }));
    const email = `ana-${Date.now()}@example.ac.uk`;
    const other = `ben-${Date.now()}@example.ac.uk`;
    const outcome = await register(db(), sessionId, { name: "Ana", email, studentId: null, accessibilityNeeds: null, answer: null });
    await register(db(), sessionId, { name: "Ben", email: other, studentId: null, accessibilityNeeds: null, answer: null });
    await rescheduleSession(db(), w.coordinator, {
      sessionId,
      startsAt: london(londonDate(3, 2), "10:00"),
      location: { address: "Great Hall" },
      reason: "Exams",
    });
    if (outcome.outcome !== "registered") throw new Error("expected a place");

    const [confirmed, moved] = await outboxTo(db(), email);
    for (const message of [confirmed!, moved!]) {
      const { description } = calendarCopy(message);
      const link = manageLinkIn(message.text);
      expect(link).toBeDefined();
      expect(description).toContain(link);
      expect(description).toMatch(/not your calendar's reply buttons \(those answers are not read\)/);
      expect(description).toContain(`Questions: email ${REPLY_TO}`);
      await expectRepliesGoToTheTeam(message.raw_mime);
    }
    // The newest link is the one that works.
    const newest = manageLinkIn(moved!.text)!.split("/").at(-1)!;
    expect((await lookupManageToken(db(), newest))?.registration.email).toBe(email);
    expect(await lookupManageToken(db(), outcome.manageToken)).toBeNull();

    // Ben, waiting, is promoted when Ana cancels: his invitation points to his own link.
    await cancelWithToken(db(), newest);
    // Her cancellation has nothing left to answer, and says so by not asking.
    const cancelled = calendarCopy((await outboxTo(db(), email, "registration-cancelled"))[0]!);
    expect(cancelled.method).toBe("CANCEL");
    expect(cancelled.description).not.toMatch(/To accept, decline or cancel|\/registrations\//);
    expect(cancelled.description).toContain(`Questions: email ${REPLY_TO}`);
    const promoted = (await outboxTo(db(), other, "registration-promoted"))[0]!;
    expect(calendarCopy(promoted).description).toContain(manageLinkIn(promoted.text));
    await expectRepliesGoToTheTeam(promoted.raw_mime);
  });

  it("a trainer's invitation points to their page for the session, a booker's to their booking", async () => {
    const w = await schedulingWorld(db());
    const { requestId, sessionId } = await scheduledBooking(db(), w);
    const trainer = await createTrainer(db(), { qualifiedFor: [w.courseId] });
    await assignTrainer(db(), w.coordinator, { sessionId, trainerId: trainer.id });

    const [assigned] = await outboxTo(db(), trainer.email, "trainer-assigned");
    expect(calendarCopy(assigned!).description).toContain(
      `use NeverOK Training, not your calendar's reply buttons (those answers are not read): http://localhost:3000/trainer/sessions/${sessionId}`,
    );
    await expectRepliesGoToTheTeam(assigned!.raw_mime);
    const [scheduled] = await outboxTo(db(), w.booker.email, "session-scheduled");
    expect(calendarCopy(scheduled!).description).toContain(`http://localhost:3000/booker/requests/${requestId}`);
    await expectRepliesGoToTheTeam(scheduled!.raw_mime);
  });

  it("every message, not only invitations, has the Reply-To", async () => {
    const w = await schedulingWorld(db());
    await scheduledBooking(db(), w, { weekday: 3 });
    const messages = await db().selectFrom("email_messages").select(["template", "raw_mime"]).orderBy("id", "desc").limit(20).execute();
    expect(messages.length).toBeGreaterThan(0);
    for (const m of messages) expect(m.raw_mime, m.template).toMatch(/^Reply-To: /m);
  });
});
