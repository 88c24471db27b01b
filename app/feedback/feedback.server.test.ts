import { beforeAll, describe, expect, it } from "vitest";
import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import { getDb } from "#app/db.server.ts";
import { termOf } from "#app/utils/dates.ts";
import { addMs, DAY, now, nowIso, setClockOffsetForTests } from "#app/utils/time.ts";
import { randomToken, sha256Hex } from "#app/utils/tokens.server.ts";
import { allAcross, separateConnections } from "#tests/connections.ts";
import { createCourse, createUser, insertFeedbackResponses } from "#tests/factories.ts";
import { createTrainer, insertRegistration, insertSession } from "#tests/scheduling-fixtures.ts";
import {
  coordinatorFeedbackPage,
  courseTermTotals,
  lookupFeedbackToken,
  QR_BURST,
  roomQrCode,
  sessionForQrCode,
  sessionResults,
  submitWithQr,
  submitWithToken,
  trainerFeedback,
} from "./feedback.server.ts";
import { FeedbackSchema, type FeedbackInput } from "./schemas.ts";

let db: Kysely<Database>;
let courseId: number;
beforeAll(async () => {
  db = getDb();
  courseId = await createCourse(db, { name: "Active Bystander" });
});

const answer = (over: Partial<FeedbackInput> = {}): FeedbackInput => ({
  rating: 4,
  recommend: "yes",
  confidenceBefore: 2,
  confidenceAfter: 4,
  doDifferently: null,
  comments: null,
  ...over,
});

/**
 * A session delivered yesterday, with its code for the room's QR, `tokens` people present each
 * emailed a link, and a head count of `headCount` (30 unless told) for the people whose names were not taken.
 */
async function deliveredSession(opts: { trainerIds?: number[]; tokens?: number; headCount?: number | null; startsAt?: Date; course?: number } = {}) {
  const startsAt = opts.startsAt ?? addMs(now(), -DAY);
  const id = await insertSession(db, { courseId: opts.course ?? courseId, startsAt, trainerIds: opts.trainerIds ?? [], status: "delivered" });
  const code = randomToken(12);
  await db
    .updateTable("sessions")
    .set({ feedback_code: code, capacity: 30, head_count: opts.headCount === undefined ? 30 : opts.headCount, register_closed_at: nowIso() })
    .where("id", "=", id)
    .execute();
  const tokens: string[] = [];
  for (let i = 0; i < (opts.tokens ?? 0); i++) {
    const registrationId = await insertRegistration(db, id, {
      name: `Attendee ${i}`,
      email: `attendee-${id}-${i}@example.ac.uk`,
      attendance: "present",
      attendance_marked_at: nowIso(),
    });
    const token = randomToken(32);
    await db
      .insertInto("feedback_tokens")
      .values({
        registration_id: registrationId,
        token_hash: sha256Hex(token),
        created_at: nowIso(),
        expires_at: addMs(now(), 30 * DAY).toISOString(),
        used_at: null,
      })
      .execute();
    tokens.push(token);
  }
  return { id, code, tokens };
}

/** Answers written straight to the table, for results tests: by emailed link unless told. */
const addResponses = (sessionId: number, rows: Partial<Database["feedback_responses"]>[]) =>
  insertFeedbackResponses(
    db,
    sessionId,
    rows.map((r) => ({ source: "link" as const, ...(r as object) })),
  );

const responsesFor = (sessionId: number) => db.selectFrom("feedback_responses").selectAll().where("session_id", "=", sessionId).execute();

describe("the feedback form's rules", () => {
  it("needs a rating and a recommendation, and both confidence answers or neither", () => {
    const errors = (values: Record<string, unknown>) => {
      const r = FeedbackSchema.safeParse(values);
      return r.success ? {} : Object.fromEntries(r.error.issues.map((i) => [i.path.join("."), i.message]));
    };
    expect(errors({})).toMatchObject({ rating: "Choose a rating from 1 to 5", recommend: "Choose yes, no or not sure" });
    expect(errors({ rating: 6, recommend: "yes" })).toMatchObject({ rating: "Choose a rating from 1 to 5" });
    expect(errors({ rating: 5, recommend: "yes" })).toEqual({});
    expect(errors({ rating: 5, recommend: "yes", confidenceBefore: 2 })).toEqual({ confidenceAfter: "Also choose how confident you feel now" });
    expect(errors({ rating: 5, recommend: "yes", confidenceAfter: 4 })).toEqual({ confidenceBefore: "Also choose how confident you felt before" });
    // Every error at once, the pair too, even while the required answers are missing.
    expect(Object.keys(errors({ confidenceBefore: 2 })).sort()).toEqual(["confidenceAfter", "rating", "recommend"]);
    expect(errors({ rating: 5, recommend: "yes", comments: "x".repeat(2001) })).toHaveProperty("comments");
  });
});

describe("the emailed feedback link", () => {
  it("opening the page spends nothing; the link works once, and then says it has been used", async () => {
    const { id, tokens } = await deliveredSession({ tokens: 1 });
    const token = tokens[0]!;
    for (let i = 0; i < 3; i++)
      expect(await lookupFeedbackToken(db, token)).toMatchObject({ status: "valid", sessionId: id, session: { course: { name: "Active Bystander" } } });
    const stored = await db.selectFrom("feedback_tokens").select("used_at").where("token_hash", "=", sha256Hex(token)).executeTakeFirstOrThrow();
    expect(stored.used_at).toBeNull();

    expect(await submitWithToken(db, token, answer())).toEqual({ status: "saved", sessionId: id });
    expect(await submitWithToken(db, token, answer({ rating: 1 }))).toEqual({ status: "used" });
    expect(await lookupFeedbackToken(db, token)).toEqual({ status: "used" });
    const rows = await responsesFor(id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ source: "link", rating: 4 });
  });

  it("of two submits at the same moment, in two app processes, exactly one wins", async () => {
    const { id, tokens } = await deliveredSession({ tokens: 1 });
    const results = await allAcross(separateConnections(2), [
      (conn) => submitWithToken(conn, tokens[0]!, answer({ rating: 5 })),
      (conn) => submitWithToken(conn, tokens[0]!, answer({ rating: 1 })),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["saved", "used"]);
    expect(await responsesFor(id)).toHaveLength(1);
  });

  it("stops working after 30 days", async () => {
    const { id, tokens } = await deliveredSession({ tokens: 1 });
    setClockOffsetForTests(30 * DAY + 60_000);
    expect(await lookupFeedbackToken(db, tokens[0]!)).toEqual({ status: "expired" });
    expect(await submitWithToken(db, tokens[0]!, answer())).toEqual({ status: "expired" });
    expect(await responsesFor(id)).toHaveLength(0);
  });

  it("does not know made-up links", async () => {
    expect(await lookupFeedbackToken(db, "not-a-real-token")).toEqual({ status: "unknown" });
    expect(await lookupFeedbackToken(db, "")).toEqual({ status: "unknown" });
    expect(await submitWithToken(db, "x".repeat(500), answer())).toEqual({ status: "unknown" });
  });

  it("never stores the support choice, nor anything that names the person", async () => {
    const { id, tokens } = await deliveredSession({ tokens: 1 });
    await submitWithToken(db, tokens[0]!, answer({ wantsSupport: true, comments: "Useful", doDifferently: "Speak up" }));
    const [row] = await responsesFor(id);
    expect(Object.keys(row!).sort()).toEqual(
      ["id", "session_id", "source", "rating", "recommend", "confidence_before", "confidence_after", "do_differently", "comments", "created_at"].sort(),
    );
    expect(row).toMatchObject({ rating: 4, recommend: "yes", confidence_before: 2, confidence_after: 4, do_differently: "Speak up", comments: "Useful" });
    expect(JSON.stringify(row)).not.toMatch(/support|true|Attendee|example\.ac\.uk/i);
    // Kept to the day, so the time cannot be matched to when a link was spent.
    expect(row!.created_at).toMatch(/T00:00:00\.000Z$/);
  });
});

describe("the room's QR code", () => {
  it("takes answers once the session is delivered, for 30 days from the start", async () => {
    const { id, code } = await deliveredSession();
    expect(await sessionForQrCode(db, code)).toMatchObject({ status: "open", sessionId: id });
    expect(await sessionForQrCode(db, "nope")).toEqual({ status: "unknown" });
    setClockOffsetForTests(30 * DAY);
    expect((await sessionForQrCode(db, code)).status).toBe("closed");
    expect(await submitWithQr(db, code, randomToken(32), answer())).toMatchObject({ status: "refused", reason: "closed" });
  });

  it("is not open before a scheduled session has ended", async () => {
    const id = await insertSession(db, { courseId, startsAt: addMs(now(), 2 * DAY) });
    await db.updateTable("sessions").set({ feedback_code: "future-code-123" }).where("id", "=", id).execute();
    expect((await sessionForQrCode(db, "future-code-123")).status).toBe("not_yet");
  });

  it("takes one answer per device", async () => {
    const { id, code } = await deliveredSession();
    const phone = randomToken(32);
    expect(await submitWithQr(db, code, phone, answer())).toEqual({ status: "saved", sessionId: id });
    const again = await submitWithQr(db, code, phone, answer({ rating: 1 }));
    expect(again).toMatchObject({ status: "refused", reason: "already" });
    expect(again.status === "refused" && again.message).toMatch(/already given feedback/);
    expect(await submitWithQr(db, code, randomToken(32), answer())).toMatchObject({ status: "saved" });
    expect(await submitWithQr(db, code, null, answer())).toMatchObject({ status: "refused", reason: "no_device" });
    const rows = await responsesFor(id);
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.source === "qr")).toBe(true);
    // The device is kept only as a hash.
    const limits = await db.selectFrom("qr_feedback_limits").select("device_hash").where("session_id", "=", id).execute();
    expect(limits.map((l) => l.device_hash)).toContain(sha256Hex(phone));
  });

  it("refuses a burst, even one spread over several app processes, and takes answers again a few seconds later", async () => {
    const { id, code } = await deliveredSession();
    const burst = await allAcross(
      separateConnections(4),
      Array.from({ length: QR_BURST.max + 3 }, () => (conn: Kysely<Database>) => submitWithQr(conn, code, randomToken(32), answer())),
    );
    expect(burst.filter((r) => r.status === "saved")).toHaveLength(QR_BURST.max);
    const refused = burst.filter((r) => r.status === "refused");
    expect(refused).toHaveLength(3);
    expect(refused.every((r) => r.status === "refused" && r.reason === "busy" && /Wait ten seconds/.test(r.message))).toBe(true);
    setClockOffsetForTests(QR_BURST.windowMs + 1000);
    expect(await submitWithQr(db, code, randomToken(32), answer())).toMatchObject({ status: "saved" });
    expect(await responsesFor(id)).toHaveLength(QR_BURST.max + 1);
  });

  it("takes no more answers in all, by link and by QR code, than people the register has as present", async () => {
    const { id, code, tokens } = await deliveredSession({ tokens: 3, headCount: null });
    expect(await submitWithToken(db, tokens[0]!, answer())).toMatchObject({ status: "saved" });
    for (let i = 0; i < 2; i++) {
      setClockOffsetForTests(i * QR_BURST.windowMs);
      expect(await submitWithQr(db, code, randomToken(32), answer())).toMatchObject({ status: "saved" });
    }
    setClockOffsetForTests(2 * QR_BURST.windowMs);
    const full = await submitWithQr(db, code, randomToken(32), answer());
    expect(full).toMatchObject({ status: "refused", reason: "full" });
    expect(full.status === "refused" && full.message).toMatch(/as many answers as there were people/);
    expect(await responsesFor(id)).toHaveLength(3);
    // A closed group counted by head: the head count is the limit.
    const group = await deliveredSession({ headCount: 1 });
    expect(await submitWithQr(db, group.code, randomToken(32), answer())).toMatchObject({ status: "saved" });
    expect(await submitWithQr(db, group.code, randomToken(32), answer())).toMatchObject({ status: "refused", reason: "full" });
  });
});

describe("results", () => {
  it("are not shown per session with four answers, and are with five", async () => {
    const { id } = await deliveredSession();
    await addResponses(
      id,
      Array.from({ length: 4 }, () => ({ rating: 5, comments: "Great" })),
    );
    expect(await sessionResults(db, id)).toEqual({ suppressed: true, responses: 4, fromRegister: 4 });
    await addResponses(id, [{ rating: 2, recommend: "no", comments: "Too long", do_differently: "Check in with friends" }]);
    const shown = await sessionResults(db, id);
    expect(shown).toMatchObject({ suppressed: false, responses: 5, ratingMean: 4.4, recommendShare: 0.8 });
    if (shown.suppressed) throw new Error("expected results");
    expect(shown.comments).toEqual(["Great", "Great", "Great", "Great", "Too long"]);
    expect(shown.doDifferently).toEqual(["Check in with friends"]);
  });

  it("count towards the five only answers by a present person's own link: answers by QR code are shown with them, never instead of them", async () => {
    const { id } = await deliveredSession();
    await addResponses(
      id,
      Array.from({ length: 4 }, () => ({ comments: "By my own link" })),
    );
    await addResponses(
      id,
      Array.from({ length: 20 }, () => ({ source: "qr" as const, comments: "By the room's code" })),
    );
    expect(await sessionResults(db, id)).toEqual({ suppressed: true, responses: 24, fromRegister: 4 });
    await addResponses(id, [{ comments: "By my own link" }]);
    const shown = await sessionResults(db, id);
    expect(shown).toMatchObject({ suppressed: false, responses: 25 });
    if (shown.suppressed) throw new Error("expected results");
    expect(shown.comments.filter((c) => c === "By the room's code")).toHaveLength(20);
  });

  it("cannot be unlocked by one person answering again and again through the room's code from fresh browsers", async () => {
    const trainer = await createTrainer(db);
    const { id, code, tokens } = await deliveredSession({ trainerIds: [trainer.id], tokens: 12, headCount: null });
    await submitWithToken(db, tokens[0]!, answer({ comments: "Something I would only tell the coordinator" }));
    await submitWithToken(db, tokens[1]!, answer({ doDifferently: "Talk to my flatmate about what happened" }));
    let saved = 0;
    for (let i = 0; i < 40; i++) {
      setClockOffsetForTests(i * QR_BURST.windowMs);
      const r = await submitWithQr(db, code, randomToken(32), answer({ rating: 5, comments: "Trainer's own answer" }));
      if (r.status === "saved") saved++;
    }
    // Never more answers than people present (12), and none of them counts.
    expect(saved).toBe(10);
    expect(await sessionResults(db, id)).toEqual({ suppressed: true, responses: 12, fromRegister: 2 });
    const seen = JSON.stringify(await trainerFeedback(db, trainer.id));
    expect(seen).not.toContain("Something I would only tell the coordinator");
    expect(seen).not.toContain("Talk to my flatmate");
  });

  it("measure the change in confidence from pairs only", async () => {
    const { id } = await deliveredSession();
    await addResponses(id, [
      { confidence_before: 1, confidence_after: 4 },
      { confidence_before: 3, confidence_after: 3 },
      { confidence_before: 2, confidence_after: 5 },
      { confidence_before: 1, confidence_after: null },
      { confidence_before: null, confidence_after: 1 },
      {},
    ]);
    const r = await sessionResults(db, id);
    if (r.suppressed) throw new Error("expected results");
    expect(r.confidence).toEqual({ paired: 3, beforeMean: 2, afterMean: 4, roseShare: 2 / 3 });
  });

  it("course and term totals count small sessions, from five answers, and never so as to give a small session away", async () => {
    const course = await createCourse(db, { name: "Consent" });
    const start = termOf(now()).start;
    const term = termOf(now());
    const a = await deliveredSession({ course, startsAt: addMs(start, 2 * DAY) });
    await addResponses(a.id, [{ rating: 5 }, { rating: 3 }]);
    expect((await courseTermTotals(db, course, term)).results).toEqual({ suppressed: true, responses: 2 });

    const b = await deliveredSession({ course, startsAt: addMs(start, 3 * DAY) });
    await addResponses(b.id, [{ rating: 4 }, { rating: 4 }, { rating: 4 }]);
    const totals = await courseTermTotals(db, course, term);
    expect(totals).toMatchObject({ course: { id: course, name: "Consent" }, term: { label: term.label }, sessions: 2 });
    expect(totals.results).toMatchObject({ suppressed: false, responses: 5, ratingMean: 4, heldBack: 0 });

    // Two answers hidden beside sessions shown on their own: the totals minus those sessions would show
    // the two, so they wait until there are five such answers.
    const c = await deliveredSession({ course, startsAt: addMs(start, 4 * DAY) });
    await addResponses(
      c.id,
      Array.from({ length: 6 }, () => ({ rating: 1 })),
    );
    const d = await deliveredSession({ course, startsAt: addMs(start, 5 * DAY) });
    await addResponses(
      d.id,
      Array.from({ length: 5 }, () => ({ rating: 1 })),
    );
    await db.deleteFrom("feedback_responses").where("session_id", "=", b.id).execute();
    expect((await courseTermTotals(db, course, term)).results).toMatchObject({ suppressed: false, responses: 11, ratingMean: 1, heldBack: 2 });
    await addResponses(b.id, [{ rating: 4 }, { rating: 4 }, { rating: 4 }]);
    expect((await courseTermTotals(db, course, term)).results).toMatchObject({ suppressed: false, responses: 16, heldBack: 0 });
  });

  it("course totals are not unlocked by answers through the room's code", async () => {
    const course = await createCourse(db, { name: "Handling Disclosures" });
    const term = termOf(now());
    const a = await deliveredSession({ course, startsAt: addMs(term.start, 2 * DAY) });
    await addResponses(a.id, [{ rating: 1 }, { rating: 1 }]);
    await addResponses(
      a.id,
      Array.from({ length: 10 }, () => ({ source: "qr" as const, rating: 5 })),
    );
    expect((await courseTermTotals(db, course, term)).results).toEqual({ suppressed: true, responses: 12 });
    // Held back beside a session shown on its own, until five people answered by link for the small ones.
    const big = await deliveredSession({ course, startsAt: addMs(term.start, 3 * DAY) });
    await addResponses(
      big.id,
      Array.from({ length: 5 }, () => ({ rating: 3 })),
    );
    expect((await courseTermTotals(db, course, term)).results).toMatchObject({ suppressed: false, responses: 5, ratingMean: 3, heldBack: 12 });
  });
});

describe("who sees feedback", () => {
  it("a trainer sees their own delivered sessions only, never another trainer's", async () => {
    const tom = await createTrainer(db, { name: "Tom" });
    const chloe = await createTrainer(db, { name: "Chloe" });
    const toms = await deliveredSession({ trainerIds: [tom.id] });
    const chloes = await deliveredSession({ trainerIds: [chloe.id] });
    const declined = await deliveredSession({ trainerIds: [tom.id] });
    await db.updateTable("session_trainers").set({ status: "declined" }).where("session_id", "=", declined.id).where("trainer_id", "=", tom.id).execute();
    await addResponses(
      toms.id,
      Array.from({ length: 5 }, () => ({ comments: "Tom's session was good" })),
    );
    await addResponses(
      chloes.id,
      Array.from({ length: 5 }, () => ({ comments: "Chloe's session was good" })),
    );

    const forTom = await trainerFeedback(db, tom.id);
    expect(forTom.sessions.map((s) => s.id)).toEqual([toms.id]);
    expect(forTom.sessions[0]).toMatchObject({ trainers: ["Tom"], qrOpen: true, results: { suppressed: false, responses: 5 } });
    expect(JSON.stringify(forTom.sessions)).not.toContain("Chloe");
    expect(forTom.totals.length).toBeGreaterThan(0);

    const forChloe = await trainerFeedback(db, chloe.id);
    expect(forChloe.sessions.map((s) => s.id)).toEqual([chloes.id]);

    const term = termOf(now());
    const { page } = await coordinatorFeedbackPage(db, term, 1);
    const ids: number[] = [];
    for (let p = 1; p <= page.pages; p++) ids.push(...(await coordinatorFeedbackPage(db, term, p)).sessions.map((s) => s.id));
    expect(ids).toEqual(expect.arrayContaining([toms.id, chloes.id, declined.id]));
  });

  it("a trainer's small session shows only its number of answers", async () => {
    const sam = await createTrainer(db, { name: "Sam" });
    const small = await deliveredSession({ trainerIds: [sam.id] });
    await addResponses(small.id, [{ comments: "Only me" }, {}, {}]);
    const [s] = (await trainerFeedback(db, sam.id)).sessions;
    expect(s!.results).toEqual({ suppressed: true, responses: 3, fromRegister: 3 });
    expect(JSON.stringify(s)).not.toContain("Only me");
  });
});

describe("the room's QR code page", () => {
  it("is for the trainers on the session and for coordinators; anyone else learns nothing", async () => {
    const [onIt, declined, stranger] = [await createTrainer(db), await createTrainer(db), await createTrainer(db)];
    const coordinator = await createUser(db, { roles: ["coordinator"] });
    const { id } = await deliveredSession({ trainerIds: [onIt.id, declined.id] });
    await db.updateTable("session_trainers").set({ status: "declined" }).where("session_id", "=", id).where("trainer_id", "=", declined.id).execute();
    await db.updateTable("sessions").set({ title: "Leader induction" }).where("id", "=", id).execute();
    const mine = await roomQrCode(db, onIt, id);
    expect(mine).toMatchObject({ onSession: true, session: { id, title: "Leader induction" }, code: { status: "open" } });
    expect(await roomQrCode(db, coordinator, id)).toMatchObject({ onSession: false, code: { status: "open" } });
    expect(await roomQrCode(db, declined, id)).toBeNull();
    expect(await roomQrCode(db, stranger, id)).toBeNull();
    expect(await roomQrCode(db, coordinator, 999_999_999)).toBeNull();
  });

  it("has no code until the register is closed", async () => {
    const trainer = await createTrainer(db);
    const id = await insertSession(db, { courseId, startsAt: addMs(now(), DAY), trainerIds: [trainer.id] });
    expect(await roomQrCode(db, trainer, id)).toMatchObject({ onSession: true, code: null });
  });
});
