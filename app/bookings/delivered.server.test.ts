import { beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "#app/auth/session.server.ts";
import { getDb } from "#app/db.server.ts";
import { sessionResults } from "#app/feedback/feedback.server.ts";
import { SUPPRESSED } from "#app/reports/figures.ts";
import { addMs, DAY, now } from "#app/utils/time.ts";
import { createCourse } from "#tests/factories.ts";
import { rejection } from "#tests/rule-violations.ts";
import { createBooker, createRequest, insertRegistration, insertSession, setTestSettings } from "#tests/scheduling-fixtures.ts";
import { deliveredSummary } from "./delivered.server.ts";
import { HISTORY_PAGE_SIZE, organisationHistory } from "./history.server.ts";

const db = () => getDb();

let courseId: number;
beforeAll(async () => {
  await setTestSettings(db());
  courseId = await createCourse(db(), { name: "Active Bystander" });
});

/** A booking for 20 whose session took place last week (or is still to come), with `present` people ticked and a head count. */
async function booking(
  opts: { status?: "delivered" | "scheduled"; present?: number; headCount?: number | null; booker?: { booker: SessionUser; organisationId: number } } = {},
) {
  const { booker, organisationId } = opts.booker ?? (await createBooker(db()));
  const requestId = await createRequest(db(), { booker, organisationId, courseId, groupSize: 20 });
  const sessionId = await insertSession(db(), {
    courseId,
    startsAt: addMs(now(), (opts.status === "scheduled" ? 7 : -7) * DAY),
    status: opts.status ?? "delivered",
    organisationId,
    headCount: opts.headCount ?? null,
  });
  await db().updateTable("sessions").set({ booking_request_id: requestId }).where("id", "=", sessionId).execute();
  await db().updateTable("booking_requests").set({ status: "scheduled", session_id: sessionId }).where("id", "=", requestId).execute();
  for (let i = 0; i < (opts.present ?? 0); i++)
    await insertRegistration(db(), sessionId, { name: `Person ${i}`, email: null, attendance: "present", walk_in: 1 });
  await insertRegistration(db(), sessionId, { name: "Not there", email: null, attendance: "absent" });
  return { booker, organisationId, requestId, sessionId };
}

/** Answers to a session's feedback: `link` by people's own emailed links, `qr` by the room's code; `paired` of the link answers rate confidence both ways. */
async function answers(sessionId: number, opts: { link: number; qr?: number; paired?: number }) {
  const rows = [
    ...Array.from({ length: opts.link }, (_, i) => ({ source: "link" as const, both: i < (opts.paired ?? opts.link) })),
    ...Array.from({ length: opts.qr ?? 0 }, () => ({ source: "qr" as const, both: false })),
  ];
  for (const r of rows) {
    await db()
      .insertInto("feedback_responses")
      .values({
        session_id: sessionId,
        source: r.source,
        rating: 4,
        recommend: "yes",
        confidence_before: r.both ? 2 : null,
        confidence_after: r.both ? 4 : null,
        do_differently: null,
        comments: null,
        created_at: now().toISOString(),
      })
      .execute();
  }
}

describe("what a booker sees of a delivered session", () => {
  it("attendance: present on the register against the group booked, and the head count", async () => {
    const b = await booking({ present: 12, headCount: 15 });
    const summary = await deliveredSummary(db(), b.booker, b.requestId);
    expect(summary!.attendance).toEqual({ expected: 20, present: 12, headCount: 15 });
  });

  it("nothing while the session is still to come, and not found for another organisation's booker", async () => {
    const upcoming = await booking({ status: "scheduled" });
    expect(await deliveredSummary(db(), upcoming.booker, upcoming.requestId)).toBeNull();
    const delivered = await booking({ present: 3 });
    const stranger = await createBooker(db());
    expect((await rejection(deliveredSummary(db(), stranger.booker, delivered.requestId))).field).toBe("not_found");
  });

  it("holds the feedback back until five people on the register have answered by their own link, as the feedback results do; QR answers never count", async () => {
    const b = await booking({ present: 12 });
    await answers(b.sessionId, { link: 4, qr: 6 });
    expect((await sessionResults(db(), b.sessionId)).suppressed).toBe(true);
    const held = await deliveredSummary(db(), b.booker, b.requestId);
    expect(held!.feedback).toEqual({ shown: false, responses: 10, fromRegister: 4, needed: 5 });
    expect(JSON.stringify(held)).not.toMatch(/rating|recommend/i);

    await answers(b.sessionId, { link: 1 });
    const shown = await deliveredSummary(db(), b.booker, b.requestId);
    expect(shown!.feedback.shown).toBe(true);
    const figures = shown!.feedback.shown ? Object.fromEntries(shown!.feedback.figures.map((f) => [f.label, f.value])) : {};
    expect(figures).toMatchObject({ Answers: "11", "Overall rating": "4.0 / 5", "Would recommend": "100%" });
  });

  it("hides a figure resting on fewer than five people, as the impact report does, even when the session's feedback is shown", async () => {
    const few = await booking({ present: 10 });
    await answers(few.sessionId, { link: 6, paired: 3 });
    const hidden = await deliveredSummary(db(), few.booker, few.requestId);
    const confidence = hidden!.feedback.shown ? hidden!.feedback.figures.find((f) => f.label.startsWith("Confidence")) : null;
    expect(confidence?.value).toBe(SUPPRESSED);
    expect(JSON.stringify(hidden)).not.toContain("2.0 → 4.0");

    const enough = await booking({ present: 10 });
    await answers(enough.sessionId, { link: 6, paired: 5 });
    const shown = await deliveredSummary(db(), enough.booker, enough.requestId);
    const rose = shown!.feedback.shown ? shown!.feedback.figures.find((f) => f.label.startsWith("Confidence")) : null;
    expect(rose).toMatchObject({ value: "2.0 → 4.0", hint: "rose for 100% of 5 who answered both" });
  });
});

describe("an organisation's booking history", () => {
  it("pages through every booking of the organisation, filters by the status a booker reads, and is not found for anyone else", async () => {
    const org = await createBooker(db());
    const delivered = [];
    for (let i = 0; i < HISTORY_PAGE_SIZE + 1; i++) delivered.push((await booking({ booker: org })).requestId);
    const upcoming = (await booking({ booker: org, status: "scheduled" })).requestId;
    const waiting = await createRequest(db(), { ...org, courseId });
    const params = (q: Record<string, string>) => new URLSearchParams({ organisation: String(org.organisationId), ...q });

    const first = await organisationHistory(db(), org.booker, params({}));
    expect(first.page).toMatchObject({ total: delivered.length + 2, pages: 2, current: 1 });
    // The latest first: the requests still waiting and the session to come before last week's.
    expect(
      first.bookings
        .slice(0, 2)
        .map((b) => b.id)
        .sort(),
    ).toEqual([upcoming, waiting].sort());
    const second = await organisationHistory(db(), org.booker, params({ page: "2" }));
    expect(new Set([...first.bookings, ...second.bookings].map((b) => b.id)).size).toBe(delivered.length + 2);

    const onlyDelivered = await organisationHistory(db(), org.booker, params({ status: "delivered" }));
    expect(onlyDelivered.page.total).toBe(delivered.length);
    expect(onlyDelivered.bookings.every((b) => b.session?.status === "delivered")).toBe(true);
    expect((await organisationHistory(db(), org.booker, params({ status: "requested" }))).bookings.map((b) => b.id)).toEqual([waiting]);
    expect((await organisationHistory(db(), org.booker, params({ status: "scheduled" }))).bookings.map((b) => b.id)).toEqual([upcoming]);

    const stranger = await createBooker(db());
    expect((await rejection(organisationHistory(db(), stranger.booker, params({})))).field).toBe("not_found");
  });
});
