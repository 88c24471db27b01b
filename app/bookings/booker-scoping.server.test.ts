import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "#app/db.server.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { scheduleRequest } from "#app/scheduling/sessions.server.ts";
import { rejection } from "#tests/rule-violations.ts";
import { createCourse, createUser } from "#tests/factories.ts";
import { createBooker, createCoordinator, createRoom, london, londonDate, pinClock, setTestSettings } from "#tests/scheduling-fixtures.ts";
import { BookingRequestSchema } from "./schemas.ts";
import {
  cancelByBooker,
  createBookingRequest,
  getRequestForBooker,
  getRequestForEditing,
  listRequestsForBooker,
  updateBookingRequest,
} from "./requests.server.ts";

const db = () => getDb();

// Wednesday 2 October 2030, 09:00 London.
beforeEach(() => pinClock("2030-10-02T08:00:00Z"));

function input(organisationId: number, courseId: number, overrides: Record<string, string> = {}) {
  return BookingRequestSchema.parse({
    organisationId: String(organisationId),
    courseId: String(courseId),
    groupSize: "18",
    audience: "students",
    date1: londonDate(2, 2),
    time1: "10:00",
    date2: londonDate(2, 4),
    time2: "14:00",
    locationKind: "campus",
    ...overrides,
  });
}

async function notFound(promise: Promise<unknown>) {
  expect((await rejection(promise)).field).toBe("not_found");
}

describe("a booker sees only their own organisations' requests", () => {
  async function twoOrganisations() {
    await setTestSettings(db());
    const courseId = await createCourse(db());
    const psychology = await createBooker(db());
    const rowing = await createBooker(db());
    const ownId = await createBookingRequest(db(), psychology.booker, input(psychology.organisationId, courseId));
    const otherId = await createBookingRequest(db(), rowing.booker, input(rowing.organisationId, courseId, { groupSize: "12" }));
    return { courseId, psychology, rowing, ownId, otherId };
  }

  it("lists only requests of the booker's organisations, including a colleague's", async () => {
    const t = await twoOrganisations();
    const colleague = await createUser(db(), { roles: ["booker"], organisationIds: [t.psychology.organisationId] });
    for (const booker of [t.psychology.booker, colleague]) {
      const ids = (await listRequestsForBooker(db(), booker)).map((r) => r.id);
      expect(ids).toContain(t.ownId);
      expect(ids).not.toContain(t.otherId);
    }
    expect((await listRequestsForBooker(db(), t.rowing.booker)).map((r) => r.id)).toEqual([t.otherId]);
    // Someone in both organisations sees both.
    const both = await createUser(db(), { roles: ["booker"], organisationIds: [t.psychology.organisationId, t.rowing.organisationId] });
    expect((await listRequestsForBooker(db(), both)).map((r) => r.id).sort()).toEqual([t.ownId, t.otherId].sort());
  });

  it("answers 'not found' for another organisation's request, whatever the booker tries", async () => {
    const t = await twoOrganisations();
    const me: SessionUser = t.psychology.booker;
    expect((await getRequestForBooker(db(), me, t.ownId)).id).toBe(t.ownId);
    await notFound(getRequestForBooker(db(), me, t.otherId));
    await notFound(getRequestForEditing(db(), me, t.otherId));
    await notFound(updateBookingRequest(db(), me, t.otherId, input(t.psychology.organisationId, t.courseId)));
    await notFound(cancelByBooker(db(), me, t.otherId, "Not mine"));
    const row = await db()
      .selectFrom("booking_requests")
      .select(["status", "organisation_id", "group_size"])
      .where("id", "=", t.otherId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: "requested", organisation_id: t.rowing.organisationId, group_size: 12 });
  });

  it("keeps a scheduled request's session details inside the organisation", async () => {
    const t = await twoOrganisations();
    const coordinator = await createCoordinator(db());
    const sessionId = await scheduleRequest(db(), coordinator, {
      requestId: t.otherId,
      startsAt: london(londonDate(2, 4), "14:00"),
      location: { roomId: await createRoom(db()) },
    });
    const theirs = await getRequestForBooker(db(), t.rowing.booker, t.otherId);
    expect(theirs.session?.id).toBe(sessionId);
    expect((await listRequestsForBooker(db(), t.psychology.booker)).some((r) => r.session?.id === sessionId)).toBe(false);
    await notFound(getRequestForBooker(db(), t.psychology.booker, t.otherId));
  });

  it("stops showing an organisation's requests to someone who has left it", async () => {
    const t = await twoOrganisations();
    await db().deleteFrom("organisation_members").where("user_id", "=", t.psychology.booker.id).execute();
    expect(await listRequestsForBooker(db(), t.psychology.booker)).toEqual([]);
    await notFound(getRequestForBooker(db(), t.psychology.booker, t.ownId));
  });
});
