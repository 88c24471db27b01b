import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { SessionUser } from "#app/auth/session.server.ts";
import { getDb } from "#app/db.server.ts";
import { rescheduleSession, scheduleRequest } from "#app/scheduling/sessions.server.ts";
import { saveCoordinatorContact } from "#app/settings/settings.server.ts";
import { createCourse } from "#tests/factories.ts";
import { rowCount } from "#tests/row-counts.ts";
import { expectViolation, rejection } from "#tests/rule-violations.ts";
import {
  createBooker,
  createCoordinator,
  createRequest,
  createRoom,
  london,
  londonDate,
  outboxTo,
  pinClock,
  setTestSettings,
} from "#tests/scheduling-fixtures.ts";
import { acceptChange, askForChange, changesForBooker, declineChange, listChangeQueue } from "./changes.server.ts";
import { bookerBookingPage } from "./booking-page.server.ts";
import { cancelByBooker } from "./requests.server.ts";
import type { BookingChangeInput } from "./schemas.ts";

const db = () => getDb();

// Wednesday 2 October 2030, 09:00 London: every date below is counted from it.
beforeEach(() => pinClock("2030-10-02T08:00:00Z"));

let coordinator: SessionUser;
let courseId: number;
beforeAll(async () => {
  pinClock("2030-10-02T08:00:00Z");
  await setTestSettings(db());
  coordinator = await createCoordinator(db(), "Cora Coordinator");
  courseId = await createCourse(db(), { name: "Consent", maxGroupSize: 40, durationMinutes: 90 });
  await saveCoordinatorContact(db(), coordinator, { name: "Alex Morgan", email: "training@neverok.example", phone: "0113 496 0000" });
});

/** A booking of a new organisation, scheduled a fortnight ahead (Tuesday 10:00) in a room for `roomCapacity`. */
async function scheduledBooking(opts: { roomCapacity?: number; start?: Date } = {}) {
  const { booker, organisationId } = await createBooker(db());
  const requestId = await createRequest(db(), { booker, organisationId, courseId, groupSize: 20 });
  const roomId = await createRoom(db(), { capacity: opts.roomCapacity ?? 30 });
  const sessionId = await scheduleRequest(db(), coordinator, { requestId, startsAt: opts.start ?? london(londonDate(2, 2), "10:00"), location: { roomId } });
  return { booker, organisationId, requestId, sessionId, roomId };
}

const ask = (overrides: Partial<BookingChangeInput> = {}): BookingChangeInput => ({ accessibilityNeeds: null, message: null, ...overrides });

describe("asking for a change", () => {
  it("is written once, reaches the coordinator's queue and every coordinator's inbox", async () => {
    const b = await scheduledBooking();
    const id = await askForChange(
      db(),
      b.booker,
      b.requestId,
      ask({ date: londonDate(3, 4), time: "14:00", groupSize: 24, message: "Second years are joining" }),
    );
    const queued = (await listChangeQueue(db())).find((c) => c.id === id);
    expect(queued).toMatchObject({ session_id: b.sessionId, group_size: 24, booked_size: 20, message: "Second years are joining" });
    expect(queued!.preferred_starts_at).toBe(london(londonDate(3, 4), "14:00").toISOString());
    const told = await outboxTo(db(), coordinator.email, "booking-change-new");
    expect(told.some((m) => m.text.includes(`/coordinator/sessions/${b.sessionId}`) && m.text.includes("New numbers: 24 people (was 20)"))).toBe(true);
    // One at a time: a second waits for the first to be answered.
    await expectViolation(askForChange(db(), b.booker, b.requestId, ask({ message: "And another thing" })), "form", /already asked/);
  });

  it("is refused for another organisation's booking as not found, and writes nothing", async () => {
    const b = await scheduledBooking();
    const stranger = await createBooker(db());
    const before = await rowCount(db(), "booking_changes");
    expect((await rejection(askForChange(db(), stranger.booker, b.requestId, ask({ message: "Let us in" })))).field).toBe("not_found");
    expect(await rowCount(db(), "booking_changes")).toBe(before);
  });

  it("is refused for a request still waiting, a cancelled booking, and a session that has started", async () => {
    const { booker, organisationId } = await createBooker(db());
    const waiting = await createRequest(db(), { booker, organisationId, courseId });
    await expectViolation(askForChange(db(), booker, waiting, ask({ message: "Sooner?" })), "form", /Only a scheduled session/);

    const cancelled = await scheduledBooking();
    await cancelByBooker(db(), cancelled.booker, cancelled.requestId, "Exams moved");
    await expectViolation(askForChange(db(), cancelled.booker, cancelled.requestId, ask({ message: "Sooner?" })), "form", /Only a scheduled session/);

    const started = await scheduledBooking();
    pinClock(london(londonDate(2, 2), "10:05"));
    await expectViolation(askForChange(db(), started.booker, started.requestId, ask({ message: "Running late" })), "form", /Only a scheduled session/);
  });

  it("puts a time outside the working week beside the date, and too big a group beside the numbers", async () => {
    const b = await scheduledBooking();
    await expectViolation(askForChange(db(), b.booker, b.requestId, ask({ date: londonDate(3, 6), time: "10:00" })), "date", /Sessions run on/);
    await expectViolation(askForChange(db(), b.booker, b.requestId, ask({ date: londonDate(3, 2), time: "17:30" })), "time", /must fit between/);
    await expectViolation(askForChange(db(), b.booker, b.requestId, ask({ groupSize: 90 })), "groupSize", /at most 40/);
    expect(await changesForBooker(db(), b.booker, b.requestId)).toEqual([]);
  });
});

describe("answering a change", () => {
  it("accepting new numbers takes them into the booking and emails the booker, with whom to contact", async () => {
    const b = await scheduledBooking();
    const id = await askForChange(db(), b.booker, b.requestId, ask({ groupSize: 26, accessibilityNeeds: "A hearing loop, please" }));
    await acceptChange(db(), coordinator, { sessionId: b.sessionId, changeId: id });
    const request = await db()
      .selectFrom("booking_requests")
      .select(["group_size", "accessibility_needs"])
      .where("id", "=", b.requestId)
      .executeTakeFirstOrThrow();
    expect(request).toEqual({ group_size: 26, accessibility_needs: "A hearing loop, please" });
    expect((await changesForBooker(db(), b.booker, b.requestId))[0]!.status).toBe("accepted");
    const [mail] = await outboxTo(db(), b.booker.email, "booking-change-answered");
    expect(mail!.subject).toContain("Your change is made");
    expect(mail!.text).toContain("New numbers: 26 people (was 20)");
    expect(mail!.text).toContain("training@neverok.example");
    expect((await listChangeQueue(db())).map((c) => c.id)).not.toContain(id);
  });

  it("refuses new numbers the room cannot hold, a time change without a move, and anyone but a coordinator", async () => {
    const small = await scheduledBooking({ roomCapacity: 22 });
    const tooMany = await askForChange(db(), small.booker, small.requestId, ask({ groupSize: 30 }));
    await expectViolation(acceptChange(db(), coordinator, { sessionId: small.sessionId, changeId: tooMany }), "form", /holds 22/);
    await expectViolation(acceptChange(db(), small.booker, { sessionId: small.sessionId, changeId: tooMany }), "forbidden", /Only a coordinator/);
    const moved = await scheduledBooking();
    const later = await askForChange(db(), moved.booker, moved.requestId, ask({ date: londonDate(3, 4), time: "14:00" }));
    await expectViolation(acceptChange(db(), coordinator, { sessionId: moved.sessionId, changeId: later }), "form", /moving the session/);
    // A change is answered on its own session only.
    await expectViolation(acceptChange(db(), coordinator, { sessionId: small.sessionId, changeId: later }), "form", /not asked for on this session/);
    const group = await db().selectFrom("booking_requests").select("group_size").where("id", "=", small.requestId).executeTakeFirstOrThrow();
    expect(group.group_size).toBe(20);
  });

  it("moving the session accepts a change of time, and the booker's update says so", async () => {
    const b = await scheduledBooking();
    const id = await askForChange(db(), b.booker, b.requestId, ask({ date: londonDate(3, 4), time: "14:00", groupSize: 25 }));
    await rescheduleSession(db(), coordinator, {
      sessionId: b.sessionId,
      startsAt: london(londonDate(3, 4), "14:00"),
      location: { roomId: b.roomId },
      reason: "As you asked",
      changeId: id,
    });
    expect((await changesForBooker(db(), b.booker, b.requestId))[0]!.status).toBe("accepted");
    const group = await db().selectFrom("booking_requests").select("group_size").where("id", "=", b.requestId).executeTakeFirstOrThrow();
    expect(group.group_size).toBe(25);
    const [moved] = await outboxTo(db(), b.booker.email, "session-rescheduled");
    expect(moved!.text).toContain("This answers the change you asked for");
    expect(moved!.text).toContain("Alex Morgan");
  });

  it("declining keeps the booking as it was and emails the booker the reason", async () => {
    const b = await scheduledBooking();
    const id = await askForChange(db(), b.booker, b.requestId, ask({ groupSize: 35 }));
    await declineChange(db(), coordinator, { sessionId: b.sessionId, changeId: id, reason: "No bigger room is free that day" });
    const [change] = await changesForBooker(db(), b.booker, b.requestId);
    expect(change).toMatchObject({ status: "declined", answerReason: "No bigger room is free that day" });
    const group = await db().selectFrom("booking_requests").select("group_size").where("id", "=", b.requestId).executeTakeFirstOrThrow();
    expect(group.group_size).toBe(20);
    const [mail] = await outboxTo(db(), b.booker.email, "booking-change-answered");
    expect(mail!.text).toContain("No bigger room is free that day");
    // Answered once: a second answer is refused.
    await expectViolation(acceptChange(db(), coordinator, { sessionId: b.sessionId, changeId: id }), "form", /already been declined/);
  });

  it("leaves the queue when the session is cancelled", async () => {
    const b = await scheduledBooking();
    const id = await askForChange(db(), b.booker, b.requestId, ask({ message: "Could we start later?" }));
    expect((await listChangeQueue(db())).map((c) => c.id)).toContain(id);
    await cancelByBooker(db(), b.booker, b.requestId, "The course was cancelled");
    expect((await listChangeQueue(db())).map((c) => c.id)).not.toContain(id);
  });
});

describe("the cancellation cut-off on the booker's page", () => {
  it("offers the form until the cut-off, then says it is too late before any form, and the server refuses naming whom to contact", async () => {
    const b = await scheduledBooking({ start: london(londonDate(2, 2), "10:00") });
    const early = await bookerBookingPage(db(), b.booker, b.requestId);
    expect(early.cancellation?.kind).toBe("session");
    // 47 hours before the start, with a 48-hour cut-off.
    pinClock(new Date(london(londonDate(2, 2), "10:00").getTime() - 47 * 3_600_000));
    const late = await bookerBookingPage(db(), b.booker, b.requestId);
    expect(late.cancellation).toMatchObject({ kind: "too-late", cutoffHours: 48 });
    expect(late.contact).toMatchObject({ name: "Alex Morgan", email: "training@neverok.example" });
    await expectViolation(cancelByBooker(db(), b.booker, b.requestId, "Too late now"), "form", /48 hours before they start.*Alex Morgan/);
    // A change can still be asked for: the coordinator decides.
    expect(late.canAskForChange).toBe(true);
  });
});
