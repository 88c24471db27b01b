import { parseWithZod } from "@conform-to/zod/v4";
import { beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "#app/auth/session.server.ts";
import { getDb } from "#app/db.server.ts";
import { scheduleRequest } from "#app/scheduling/sessions.server.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { addMs, HOUR, MINUTE, now, setClockOffsetForTests } from "#app/utils/time.ts";
import { createCourse, createUser } from "#tests/factories.ts";
import { createBooker, createCoordinator, createRoom, london, londonDate, outboxTo, setTestSettings } from "#tests/scheduling-fixtures.ts";
import {
  BOOKER_PAST_PAGE_SIZE,
  bookerDashboard,
  cancelByBooker,
  createBookingRequest,
  getRequestForBooker,
  listRequestsForBooker,
  RequestRuleViolations,
  requestHistoryForBooker,
  updateBookingRequest,
} from "./requests.server.ts";
import { BookingRequestSchema, type BookingRequestInput } from "./schemas.ts";
import { rowCount } from "#tests/row-counts.ts";

const db = () => getDb();

async function refusal<E extends Error>(promise: Promise<unknown>, type: new (...args: never[]) => E): Promise<E> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(type);
    return err as E;
  }
  throw new Error(`expected a ${type.name}`);
}

// Tuesday and Wednesday a fortnight ahead: always in the future, always working days.
const tuesday = () => londonDate(2, 2);
const wednesday = () => londonDate(2, 3);

function input(organisationId: number, courseId: number, overrides: Partial<BookingRequestInput> = {}): BookingRequestInput {
  return {
    organisationId,
    courseId,
    groupSize: 25,
    audience: "students",
    date1: tuesday(),
    time1: "10:00",
    date2: wednesday(),
    time2: "14:00",
    date3: undefined,
    time3: undefined,
    locationKind: "campus",
    address: null,
    accessNeeds: [],
    accessibilityNeeds: "Step-free access, please",
    notes: null,
    ...overrides,
  };
}

let coordinators: SessionUser[];
let booker: SessionUser;
let organisationId: number;
let courseId: number;
beforeAll(async () => {
  await setTestSettings(db());
  coordinators = [await createCoordinator(db(), "Cora Coordinator"), await createCoordinator(db(), "Cal Coordinator")];
  ({ booker, organisationId } = await createBooker(db(), { name: "Bea Booker" }));
  courseId = await createCourse(db(), { name: "Active Bystander", maxGroupSize: 40, durationMinutes: 90 });
});

describe("createBookingRequest", () => {
  it("writes the request and its times, and emails the booker and every coordinator", async () => {
    const id = await createBookingRequest(db(), booker, input(organisationId, courseId, { date3: londonDate(3, 4), time3: "11:30" }));

    const row = await db().selectFrom("booking_requests").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      organisation_id: organisationId,
      requested_by: booker.id,
      course_id: courseId,
      group_size: 25,
      audience: "students",
      location_kind: "campus",
      address: null,
      accessibility_needs: "Step-free access, please",
      status: "requested",
      session_id: null,
    });
    const times = await db().selectFrom("booking_request_times").selectAll().where("request_id", "=", id).orderBy("position").execute();
    expect(times.map((t) => t.starts_at)).toEqual([
      london(tuesday(), "10:00").toISOString(),
      london(wednesday(), "14:00").toISOString(),
      london(londonDate(3, 4), "11:30").toISOString(),
    ]);

    const copy = await outboxTo(db(), booker.email, "booking-request-received");
    expect(copy).toHaveLength(1);
    expect(copy[0]!.subject).toContain("Active Bystander");
    expect(copy[0]!.text).toContain(`/booker/requests/${id}`);
    const everyCoordinator = await db()
      .selectFrom("users")
      .innerJoin("user_roles", "user_roles.user_id", "users.id")
      .select("users.email")
      .where("user_roles.role", "=", "coordinator")
      .where("users.is_active", "=", 1)
      .execute();
    expect(everyCoordinator.length).toBeGreaterThanOrEqual(2);
    for (const c of everyCoordinator) {
      const told = await outboxTo(db(), c.email, "booking-request-new");
      expect(
        told.filter((m) => m.text.includes(`/coordinator/requests/${id}`)),
        c.email,
      ).toHaveLength(1);
    }
  });

  it("keeps the access needs ticked, from the fixed list, beside the free text", async () => {
    const id = await createBookingRequest(db(), booker, input(organisationId, courseId, { accessNeeds: ["hearing_loop", "step_free"] }));
    const row = await db().selectFrom("booking_requests").select(["access_needs", "accessibility_needs"]).where("id", "=", id).executeTakeFirstOrThrow();
    expect(row).toEqual({ access_needs: "step_free,hearing_loop", accessibility_needs: "Step-free access, please" });
    await updateBookingRequest(db(), booker, id, input(organisationId, courseId, { accessNeeds: ["quiet_room"] }));
    expect((await db().selectFrom("booking_requests").select("access_needs").where("id", "=", id).executeTakeFirstOrThrow()).access_needs).toBe("quiet_room");
  });

  it("reads the access boxes from the form: none, one or several, and nothing outside the list", () => {
    const form = (needs: string[]) => {
      const fd = new FormData();
      const fields = { organisationId: "1", courseId: "1", groupSize: "20", audience: "staff", locationKind: "campus" };
      for (const [k, v] of Object.entries(fields)) fd.set(k, v);
      for (const n of ["1", "2"]) {
        fd.set(`date${n}`, londonDate(2, Number(n) + 1));
        fd.set(`time${n}`, "10:00");
      }
      for (const need of needs) fd.append("accessNeeds", need);
      return parseWithZod(fd, { schema: BookingRequestSchema });
    };
    const needsOf = (s: ReturnType<typeof form>) => (s.status === "success" ? s.value.accessNeeds : s.error);
    expect(needsOf(form([]))).toEqual([]);
    expect(needsOf(form(["step_free"]))).toEqual(["step_free"]);
    expect(needsOf(form(["step_free", "quiet_room"]))).toEqual(["step_free", "quiet_room"]);
    expect(form(["lift"]).status).toBe("error");
  });

  it("keeps the address only for the organisation's own premises", async () => {
    const id = await createBookingRequest(
      db(),
      booker,
      input(organisationId, courseId, { locationKind: "own_premises", address: "Psychology Building, Room 2.01" }),
    );
    const row = await db().selectFrom("booking_requests").select(["location_kind", "address"]).where("id", "=", id).executeTakeFirstOrThrow();
    expect(row).toEqual({ location_kind: "own_premises", address: "Psychology Building, Room 2.01" });
  });

  it("refuses a group above the course maximum on the group size, advising several sessions", async () => {
    const err = await refusal(createBookingRequest(db(), booker, input(organisationId, courseId, { groupSize: 100 })), RequestRuleViolations);
    expect(Object.keys(err.fieldErrors)).toEqual(["groupSize"]);
    expect(err.fieldErrors.groupSize![0]).toContain("at most 40");
    expect(err.fieldErrors.groupSize![0]).toContain("Book 3 sessions of about 34");
  });

  it("refuses a time in the past on its date, a Saturday on its date and a session running past the working day on its time, all at once", async () => {
    const past = londonDate(-1, 2);
    const saturday = londonDate(2, 6);
    const err = await refusal(
      createBookingRequest(
        db(),
        booker,
        input(organisationId, courseId, { date1: past, time1: "10:00", date2: saturday, time2: "10:00", date3: tuesday(), time3: "17:00", groupSize: 41 }),
      ),
      RequestRuleViolations,
    );
    expect(err.fieldErrors.date1).toEqual(["Choose a date in the future"]);
    expect(err.fieldErrors.date2![0]).toContain("Monday, Tuesday, Wednesday, Thursday, Friday");
    expect(err.fieldErrors.time3![0]).toContain("must fit between 09:00 and 18:00");
    expect(err.fieldErrors.groupSize).toHaveLength(1);
    expect(err.fieldErrors.time1).toBeUndefined();
    expect(err.fieldErrors.date3).toBeUndefined();
  });

  it("refuses a start before the working day begins on the time", async () => {
    const err = await refusal(createBookingRequest(db(), booker, input(organisationId, courseId, { time2: "08:30" })), RequestRuleViolations);
    expect(Object.keys(err.fieldErrors)).toEqual(["time2"]);
  });

  it("refuses a booker who is not a member of the organisation, and writes nothing", async () => {
    const { organisationId: otherOrganisation } = await createBooker(db());
    const before = await rowCount(db(), "booking_requests");
    const err = await refusal(createBookingRequest(db(), booker, input(otherOrganisation, courseId)), RequestRuleViolations);
    expect(Object.keys(err.fieldErrors)).toEqual(["organisationId"]);
    expect(await rowCount(db(), "booking_requests")).toBe(before);
  });
});

describe("what a booker can see", () => {
  it("lists their organisations' requests, newest first, including a colleague's, and never another organisation's", async () => {
    const colleague = await createUser(db(), { roles: ["booker"], organisationIds: [organisationId] });
    const { booker: stranger, organisationId: strangerOrganisation } = await createBooker(db());
    // The colleague's is written first but dated a minute later: the order is by when, not by id.
    setClockOffsetForTests(MINUTE);
    const colleagues = await createBookingRequest(db(), colleague, input(organisationId, courseId));
    setClockOffsetForTests(0);
    const mine = await createBookingRequest(db(), booker, input(organisationId, courseId));
    const theirs = await createBookingRequest(db(), stranger, input(strangerOrganisation, courseId));

    const list = await listRequestsForBooker(db(), booker);
    const ids = list.map((r) => r.id);
    expect(ids).toContain(mine);
    expect(ids).toContain(colleagues);
    expect(ids).not.toContain(theirs);
    expect(list.every((r) => r.organisationId === organisationId)).toBe(true);
    expect(ids.indexOf(colleagues)).toBeLessThan(ids.indexOf(mine));
    expect((await listRequestsForBooker(db(), stranger)).map((r) => r.id)).toEqual([theirs]);
  });

  it("shows every waiting request and a page of the earlier ones, so the home page does not grow with the years", async () => {
    const { booker: busy, organisationId: busyOrganisation } = await createBooker(db());
    const waiting = await createBookingRequest(db(), busy, input(busyOrganisation, courseId));
    const closed: number[] = [];
    for (let i = 0; i < BOOKER_PAST_PAGE_SIZE + 2; i++) {
      const id = await createBookingRequest(db(), busy, input(busyOrganisation, courseId));
      await cancelByBooker(db(), busy, id, "Plans changed");
      closed.push(id);
    }
    const first = await bookerDashboard(db(), busy, 1);
    expect(first.current.map((r) => r.id)).toEqual([waiting]);
    expect(first.pastPage).toMatchObject({ total: closed.length, pages: 2, current: 1 });
    expect(first.past).toHaveLength(BOOKER_PAST_PAGE_SIZE);
    const second = await bookerDashboard(db(), busy, 2);
    expect(second.past).toHaveLength(2);
    expect(new Set([...first.past, ...second.past].map((r) => r.id))).toEqual(new Set(closed));
    // A page past the end shows the last one.
    expect((await bookerDashboard(db(), busy, 99)).pastPage.current).toBe(2);
  });

  it("getRequestForBooker refuses another organisation's request as not found", async () => {
    const { booker: stranger, organisationId: strangerOrganisation } = await createBooker(db());
    const theirs = await createBookingRequest(db(), stranger, input(strangerOrganisation, courseId));
    const err = await refusal(getRequestForBooker(db(), booker, theirs), RuleViolation);
    expect(err.field).toBe("not_found");
    await refusal(cancelByBooker(db(), booker, theirs, "Not ours to cancel"), RuleViolation);
    const row = await db().selectFrom("booking_requests").select("status").where("id", "=", theirs).executeTakeFirstOrThrow();
    expect(row.status).toBe("requested");
  });
});

/** A request turned into a session `hoursAhead` from now, in a room of its own. */
async function scheduled(hoursAhead: number) {
  const requestId = await createBookingRequest(db(), booker, input(organisationId, courseId));
  const roomId = await createRoom(db(), { capacity: 40 });
  const sessionId = await scheduleRequest(db(), coordinators[0]!, { requestId, startsAt: addMs(now(), hoursAhead * HOUR), location: { roomId } });
  return { requestId, sessionId };
}

describe("updateBookingRequest", () => {
  it("changes a request that is waiting, replacing its times", async () => {
    const id = await createBookingRequest(db(), booker, input(organisationId, courseId));
    await updateBookingRequest(db(), booker, id, input(organisationId, courseId, { groupSize: 30, time1: "11:00" }));
    const row = await getRequestForBooker(db(), booker, id);
    expect(row.groupSize).toBe(30);
    expect(row.preferredTimes).toEqual([london(tuesday(), "11:00").toISOString(), london(wednesday(), "14:00").toISOString()]);
  });

  it("is refused once the request is scheduled", async () => {
    const { requestId } = await scheduled(24 * 10);
    const err = await refusal(updateBookingRequest(db(), booker, requestId, input(organisationId, courseId, { groupSize: 12 })), RequestRuleViolations);
    expect(err.fieldErrors.form![0]).toContain("can no longer be changed");
    const row = await getRequestForBooker(db(), booker, requestId);
    expect(row.groupSize).toBe(25);
  });
});

describe("cancelByBooker", () => {
  it("cancels a request that is waiting, with the reason", async () => {
    const id = await createBookingRequest(db(), booker, input(organisationId, courseId));
    await cancelByBooker(db(), booker, id, "The cohort has been merged with another");
    const row = await getRequestForBooker(db(), booker, id);
    expect(row.status).toBe("cancelled");
    expect(row.statusReason).toBe("The cohort has been merged with another");
  });

  it("cancels a scheduled session further ahead than the cut-off: the session is cancelled and the booker told", async () => {
    const { requestId, sessionId } = await scheduled(49);
    await cancelByBooker(db(), booker, requestId, "Exams were moved into that week");
    const session = await db().selectFrom("sessions").select(["status", "cancel_reason"]).where("id", "=", sessionId).executeTakeFirstOrThrow();
    expect(session).toEqual({ status: "cancelled", cancel_reason: "Exams were moved into that week" });
    const row = await getRequestForBooker(db(), booker, requestId);
    expect(row.status).toBe("cancelled");
    expect(row.session?.status).toBe("cancelled");
    const cancelled = await outboxTo(db(), booker.email, "session-cancelled");
    expect(cancelled.some((m) => m.text.includes("Exams were moved into that week"))).toBe(true);
  });

  it("refuses inside the cut-off, at form level, and leaves the session as it was", async () => {
    const { requestId, sessionId } = await scheduled(47);
    const err = await refusal(cancelByBooker(db(), booker, requestId, "Too late now"), RuleViolation);
    expect(err.field).toBe("form");
    expect(err.message).toContain("48 hours");
    const session = await db().selectFrom("sessions").select("status").where("id", "=", sessionId).executeTakeFirstOrThrow();
    expect(session.status).toBe("scheduled");
  });

  it("refuses a request that is already cancelled", async () => {
    const id = await createBookingRequest(db(), booker, input(organisationId, courseId));
    await cancelByBooker(db(), booker, id, "First time");
    const err = await refusal(cancelByBooker(db(), booker, id, "Second time"), RuleViolation);
    expect(err.field).toBe("form");
  });
});

describe("requestHistoryForBooker", () => {
  const event = (sessionId: number, action: string, summary: string) =>
    db()
      .insertInto("audit_events")
      .values({
        actor_user_id: null,
        action,
        entity_type: "session",
        entity_id: String(sessionId),
        summary,
        detail_json: null,
        created_at: now().toISOString(),
      })
      .execute();

  it("shows the request's and the session's own events, not the trainers' answers nor anything naming an attendee", async () => {
    const { requestId, sessionId } = await scheduled(24 * 10);
    await event(sessionId, "session.trainer_declined", "A trainer declined: a private reason");
    await event(sessionId, "register.walk_in_added", "Sam Okafor added Attendee Private as a walk-in");
    await event(sessionId, "register.walk_in_matched", "Sam Okafor marked Attendee Private present at the door");
    await event(sessionId, "registration.cancelled", "Attendee Private cancelled their place");
    await event(sessionId, "session.something_new", "Anything added later, naming Attendee Private");
    await event(sessionId, "register.head_count", "Sam Okafor recorded a head count of 18");
    const history = await requestHistoryForBooker(db(), booker, requestId);
    expect(history.map((h) => h.action)).toEqual(["register.head_count", "session.scheduled", "request.created"]);
    expect(JSON.stringify(history)).not.toContain("Attendee Private");
  });

  it("gives another organisation's booker nothing", async () => {
    const { requestId } = await scheduled(24 * 10);
    const stranger = await createBooker(db());
    expect((await refusal(requestHistoryForBooker(db(), stranger.booker, requestId), RuleViolation)).field).toBe("not_found");
  });
});
