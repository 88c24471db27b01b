import type { LoaderFunctionArgs } from "@remix-run/node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createAuthSession, SESSION_COOKIE } from "#app/auth/session.server.ts";
import { getDb } from "#app/db.server.ts";
import * as feedRoute from "#app/routes/feeds.trainers.$token[.ics].ts";
import * as sessionRoute from "#app/routes/sessions.$sessionId.ts";
import { assignTrainer } from "#app/scheduling/assignments.server.ts";
import { rescheduleSession, scheduleRequest } from "#app/scheduling/sessions.server.ts";
import { issueFeedToken } from "#app/trainers/trainers.server.ts";
import { setRecordCacheEnabled } from "#app/utils/record-cache.server.ts";
import { addMs, MINUTE, now } from "#app/utils/time.ts";
import { createRequest, createRoom, createTrainer, london, londonDate, pinClock, schedulingWorld } from "#tests/scheduling-fixtures.ts";

const db = () => getDb();

beforeEach(() => pinClock("2030-10-02T08:00:00Z"));
afterEach(() => setRecordCacheEnabled(true));

/** A trainer on one session, with a feed link. */
async function trainerWithFeed() {
  const w = await schedulingWorld(db());
  const trainer = await createTrainer(db(), { qualifiedFor: [w.courseId] });
  const roomId = await createRoom(db());
  const requestId = await createRequest(db(), { booker: w.booker, organisationId: w.organisationId, courseId: w.courseId });
  const sessionId = await scheduleRequest(db(), w.coordinator, { requestId, startsAt: london(londonDate(2, 2), "14:00"), location: { roomId } });
  await assignTrainer(db(), w.coordinator, { sessionId, trainerId: trainer.id });
  return { ...w, trainer, roomId, sessionId, token: await issueFeedToken(db(), trainer) };
}

async function fetchFeed(token: string, ifNoneMatch?: string): Promise<Response> {
  const headers = ifNoneMatch ? { "If-None-Match": ifNoneMatch } : undefined;
  const request = new Request(`http://localhost:3000/feeds/trainers/${token}.ics`, { headers });
  return feedRoute.loader({ request, params: { token }, context: {} } as LoaderFunctionArgs);
}

describe("a trainer's calendar feed", () => {
  it("asks subscribers to refresh hourly, and ends every line, the last one too, with CRLF", async () => {
    const t = await trainerWithFeed();
    const body = await (await fetchFeed(t.token)).text();
    const lines = body.split("\r\n");
    expect(lines).toContain("REFRESH-INTERVAL;VALUE=DURATION:PT1H");
    expect(lines).toContain("X-PUBLISHED-TTL:PT1H");
    expect(body.endsWith("END:VCALENDAR\r\n")).toBe(true);
    expect(body.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
  });

  it("carries a strong ETag that stays the same while nothing changes, and answers If-None-Match with 304", async () => {
    const t = await trainerWithFeed();
    const first = await fetchFeed(t.token);
    const etag = first.headers.get("ETag")!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);

    // Worked out afresh, minutes later: the same text, so the same ETag.
    setRecordCacheEnabled(false);
    pinClock(addMs(now(), 20 * MINUTE));
    const again = await fetchFeed(t.token);
    expect(again.headers.get("ETag")).toBe(etag);
    expect(await again.text()).toBe(await first.text());

    for (const header of [etag, `W/${etag}`, `"something-else", ${etag}`, "*"]) {
      const notModified = await fetchFeed(t.token, header);
      expect(notModified.status, header).toBe(304);
      expect(notModified.body, header).toBeNull();
      expect(notModified.headers.get("ETag")).toBe(etag);
      expect(notModified.headers.get("Cache-Control")).toBe("private, no-cache, no-transform");
      expect(notModified.headers.get("Referrer-Policy")).toBe("no-referrer");
    }
    expect((await fetchFeed(t.token, '"something-else"')).status).toBe(200);
  });

  it("changes its ETag when anything it shows changes: a move, a room's name, another session", async () => {
    const t = await trainerWithFeed();
    const seen = [(await fetchFeed(t.token)).headers.get("ETag")!];
    const changed = async (what: string) => {
      const response = await fetchFeed(t.token, seen.at(-1));
      expect(response.status, what).toBe(200);
      const etag = response.headers.get("ETag")!;
      expect(seen, what).not.toContain(etag);
      seen.push(etag);
    };

    await rescheduleSession(db(), t.coordinator, {
      sessionId: t.sessionId,
      startsAt: london(londonDate(2, 3), "14:00"),
      location: { roomId: t.roomId },
      reason: "Clash",
    });
    await changed("moved");
    await db()
      .updateTable("rooms")
      .set({ name: `Main Hall ${t.roomId}` })
      .where("id", "=", t.roomId)
      .execute();
    await changed("room renamed");
    const requestId = await createRequest(db(), { booker: t.booker, organisationId: t.organisationId, courseId: t.courseId });
    const other = await scheduleRequest(db(), t.coordinator, {
      requestId,
      startsAt: london(londonDate(3, 2), "10:00"),
      location: { roomId: await createRoom(db()) },
    });
    await assignTrainer(db(), t.coordinator, { sessionId: other, trainerId: t.trainer.id });
    await changed("another session");
  });

  it("a revoked or unknown feed is a 404 whatever If-None-Match says", async () => {
    const t = await trainerWithFeed();
    const etag = (await fetchFeed(t.token)).headers.get("ETag")!;
    await issueFeedToken(db(), t.trainer);
    for (const header of [undefined, etag, "*"]) expect((await fetchFeed(t.token, header)).status).toBe(404);
  });
});

describe("a session's calendar download", () => {
  it("has an ETag too, and a copy already held gets 304", async () => {
    const t = await trainerWithFeed();
    const cookie = `${SESSION_COOKIE}=${(await createAuthSession(db(), t.trainer.id, null)).token}`;
    const download = (ifNoneMatch?: string) => {
      const headers = new Headers({ Cookie: cookie });
      if (ifNoneMatch) headers.set("If-None-Match", ifNoneMatch);
      const request = new Request(`http://localhost:3000/sessions/${t.sessionId}.ics`, { headers });
      return sessionRoute.loader({ request, params: { sessionId: `${t.sessionId}.ics` }, context: {} } as LoaderFunctionArgs);
    };
    const first = await download();
    expect(first.status).toBe(200);
    expect((await first.text()).endsWith("END:VCALENDAR\r\n")).toBe(true);
    const etag = first.headers.get("ETag")!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    expect((await download(etag)).status).toBe(304);
    // A signed-in answer is never stored.
    expect(first.headers.get("Cache-Control")).toBe("no-store");
  });
});
