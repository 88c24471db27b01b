import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "#app/db.server.ts";
import { getSettings } from "#app/settings/settings.server.ts";
import { MINUTE, addMs } from "#app/utils/time.ts";
import { createCourse } from "#tests/factories.ts";
import {
  addTimeOffRow,
  createRoom,
  createTrainer,
  insertSession,
  london,
  londonDate,
  pinClock,
  schedulingWorld,
  TEST_SETTINGS,
} from "#tests/scheduling-fixtures.ts";
import { evaluateTrainers, roomOptions, type Place, type TrainerCandidate } from "./availability.server.ts";

const db = () => getDb();

// Wednesday 2 October 2030, 09:00 London.
beforeEach(() => pinClock("2030-10-02T08:00:00Z"));

const slotAt = (date: string, time: string, minutes = 90) => {
  const start = london(date, time);
  return { start, end: addMs(start, minutes * MINUTE) };
};

describe("roomOptions", () => {
  it("marks a room booked at an overlapping time and a room too small as unavailable, with the reason", async () => {
    const { courseId } = await schedulingWorld(db());
    const date = londonDate(1, 2);
    const booked = await createRoom(db(), { name: "Booked Room", capacity: 40 });
    const small = await createRoom(db(), { name: "Tiny Room", capacity: 8 });
    const free = await createRoom(db(), { name: "Free Room", capacity: 40 });
    const backToBack = await createRoom(db(), { name: "Back To Back Room", capacity: 40 });
    const cancelledIn = await createRoom(db(), { name: "Cancelled Room", capacity: 40 });
    const course = await db().selectFrom("courses").select("name").where("id", "=", courseId).executeTakeFirstOrThrow();
    await insertSession(db(), { courseId, startsAt: london(date, "09:30"), roomId: booked });
    await insertSession(db(), { courseId, startsAt: london(date, "08:30"), roomId: backToBack }); // ends 10:00
    await insertSession(db(), { courseId, startsAt: london(date, "10:00"), roomId: cancelledIn, status: "cancelled" });

    const options = await roomOptions(db(), slotAt(date, "10:00"), 20);
    const byId = new Map(options.map((o) => [o.id, o]));
    expect(byId.get(booked)).toMatchObject({ available: false, reason: `Booked for ${course.name} then` });
    expect(byId.get(small)).toMatchObject({ available: false, reason: "Too small: holds 8, the group is 20" });
    expect(byId.get(free)).toMatchObject({ available: true, reason: null });
    expect(byId.get(backToBack)).toMatchObject({ available: true, reason: null });
    expect(byId.get(cancelledIn)).toMatchObject({ available: true, reason: null });
    // Available rooms come first.
    const firstUnavailable = options.findIndex((o) => !o.available);
    expect(options.slice(firstUnavailable).every((o) => !o.available)).toBe(true);
  });

  it("offers the free rooms meeting every access need first, then those missing fewest, saying what each lacks", async () => {
    const { courseId } = await schedulingWorld(db());
    const date = londonDate(1, 4);
    const tag = `Access ${Date.now()}`;
    // Named against the order expected, so only the needs can put them in it.
    const lacksBoth = await createRoom(db(), { name: `${tag} A`, capacity: 30 });
    const lacksLoop = await createRoom(db(), { name: `${tag} B`, capacity: 30, accessFeatures: ["step_free", "quiet_room"] });
    const meetsAll = await createRoom(db(), { name: `${tag} C`, capacity: 30, accessFeatures: ["hearing_loop", "step_free"] });
    const bookedButMeets = await createRoom(db(), { name: `${tag} 0`, capacity: 30, accessFeatures: ["hearing_loop", "step_free"] });
    await insertSession(db(), { courseId, startsAt: london(date, "10:00"), roomId: bookedButMeets });

    const mine = (options: Awaited<ReturnType<typeof roomOptions>>) => options.filter((o) => o.name.startsWith(tag));
    const options = mine(await roomOptions(db(), slotAt(date, "10:00"), 20, { needs: ["step_free", "hearing_loop"] }));
    expect(options.map((o) => o.id)).toEqual([meetsAll, lacksLoop, lacksBoth, bookedButMeets]);
    expect(options.map((o) => o.unmetText)).toEqual([
      null,
      "Does not meet the group's needs: no hearing loop",
      "Does not meet the group's needs: no step-free access, no hearing loop",
      null,
    ]);
    expect(options[1]).toMatchObject({ available: true, features: ["step_free", "quiet_room"], unmet: ["hearing_loop"] });

    // With no needs, nothing is said about access and the rooms keep their own order.
    const plain = mine(await roomOptions(db(), slotAt(date, "10:00"), 20));
    expect(plain.every((o) => o.unmet.length === 0 && o.unmetText === null)).toBe(true);
    expect(plain.map((o) => o.id)).toEqual([lacksBoth, lacksLoop, meetsAll, bookedButMeets]);
  });

  it("ignores the session being moved, and leaves archived rooms out", async () => {
    const { courseId } = await schedulingWorld(db());
    const date = londonDate(1, 3);
    const roomId = await createRoom(db(), { name: "Own Room" });
    const archived = await createRoom(db(), { name: "Archived Room" });
    await db().updateTable("rooms").set({ is_archived: 1 }).where("id", "=", archived).execute();
    const sessionId = await insertSession(db(), { courseId, startsAt: london(date, "10:00"), roomId });
    const slot = slotAt(date, "10:30");
    expect((await roomOptions(db(), slot, 10)).find((o) => o.id === roomId)?.available).toBe(false);
    const moving = await roomOptions(db(), slot, 10, { excludeSessionId: sessionId });
    expect(moving.find((o) => o.id === roomId)).toMatchObject({ available: true });
    expect(moving.find((o) => o.id === archived)).toBeUndefined();
  });
});

describe("evaluateTrainers", () => {
  const codes = (c: TrainerCandidate | undefined) => c?.exclusions.map((e) => e.code) ?? ["(missing)"];

  it("excludes each trainer for the right reason, hard or soft, and keeps the one with a same-building back-to-back", async () => {
    const { courseId } = await schedulingWorld(db());
    const otherCourse = await createCourse(db());
    const date = londonDate(2, 2); // a Tuesday
    const artsA = await createRoom(db(), { building: "Arts Tower", name: "A1" });
    const artsB = await createRoom(db(), { building: "arts tower ", name: "A2" }); // the same building, written differently
    const sports = await createRoom(db(), { building: "Sports Park", name: "S1" });
    const slot = slotAt(date, "14:00");
    const place: Place = { kind: "room", roomId: artsA, building: "Arts Tower" };

    const fine = await createTrainer(db(), { qualifiedFor: [courseId] });
    const unqualified = await createTrainer(db(), { qualifiedFor: [otherCourse] });
    const away = await createTrainer(db(), { qualifiedFor: [courseId] });
    await addTimeOffRow(db(), away.id, london(date, "00:00"), london(londonDate(2, 3), "00:00"), "Conference");
    const mornings = await createTrainer(db(), { qualifiedFor: [courseId], availability: [{ weekday: 2, start: "09:00", end: "13:00" }] });
    const noWindows = await createTrainer(db(), { qualifiedFor: [courseId], availability: [] });
    const busy = await createTrainer(db(), { qualifiedFor: [courseId] });
    await insertSession(db(), { courseId: otherCourse, startsAt: london(date, "15:00"), roomId: sports, trainerIds: [busy.id] });
    const travelling = await createTrainer(db(), { qualifiedFor: [courseId] });
    // Ends at 13:45 across campus: 15 minutes before, inside the 30-minute travel buffer.
    await insertSession(db(), { courseId: otherCourse, startsAt: london(date, "12:15"), roomId: sports, trainerIds: [travelling.id] });
    const sameBuilding = await createTrainer(db(), { qualifiedFor: [courseId] });
    // Ends at 14:00 in the same building: no travel needed.
    await insertSession(db(), { courseId: otherCourse, startsAt: london(date, "12:30"), roomId: artsB, trainerIds: [sameBuilding.id] });
    const full = await createTrainer(db(), { qualifiedFor: [courseId] });
    for (const weekday of [1, 3, 4, 5]) {
      await insertSession(db(), { courseId: otherCourse, startsAt: london(londonDate(2, weekday), "10:00"), trainerIds: [full.id] });
    }
    const declinedElsewhere = await createTrainer(db(), { qualifiedFor: [courseId] });
    const declinedSession = await insertSession(db(), {
      courseId: otherCourse,
      startsAt: london(date, "14:00"),
      roomId: sports,
      trainerIds: [declinedElsewhere.id],
    });
    await db().updateTable("session_trainers").set({ status: "declined" }).where("session_id", "=", declinedSession).execute();

    const candidates = await evaluateTrainers(db(), { courseId, slot, place }, await getSettings(db()));
    const get = (id: number) => candidates.find((c) => c.id === id);

    expect(codes(get(fine.id))).toEqual([]);
    expect(codes(get(sameBuilding.id))).toEqual([]);
    expect(codes(get(declinedElsewhere.id))).toEqual([]);
    expect(codes(get(unqualified.id))).toEqual(["not_qualified"]);
    expect(get(unqualified.id)?.exclusions[0]?.hard).toBe(true);
    expect(get(unqualified.id)?.qualified).toBe(false);
    expect(codes(get(away.id))).toEqual(["time_off"]);
    expect(get(away.id)?.exclusions[0]).toMatchObject({ hard: false, message: "On time off (Conference)" });
    expect(codes(get(mornings.id))).toEqual(["outside_availability"]);
    expect(codes(get(noWindows.id))).toEqual(["no_availability"]);
    expect(codes(get(busy.id))).toEqual(["double_booked"]);
    expect(get(busy.id)?.exclusions[0]?.hard).toBe(true);
    expect(codes(get(travelling.id))).toEqual(["travel"]);
    expect(get(travelling.id)?.exclusions[0]).toMatchObject({ hard: false });
    expect(get(travelling.id)?.exclusions[0]?.message).toContain("30 minutes");
    expect(codes(get(full.id))).toEqual(["weekly_limit"]);
    expect(get(full.id)).toMatchObject({ sessionsThisWeek: 4, maxSessionsPerWeek: TEST_SETTINGS.defaultMaxSessionsPerWeek });

    // Eligible first, then soft exclusions, then hard ones.
    const rank = (c: TrainerCandidate) => (c.exclusions.length === 0 ? 0 : c.exclusions.some((e) => e.hard) ? 2 : 1);
    const ranks = candidates.map(rank);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  });

  it("needs no travel time with a bigger gap, and applies the buffer to addresses too", async () => {
    const { courseId } = await schedulingWorld(db());
    const date = londonDate(2, 3);
    const roomId = await createRoom(db(), { building: "Library" });
    const early = await createTrainer(db(), { qualifiedFor: [courseId] });
    // Ends 13:30 at a club's own premises: exactly 30 minutes before.
    await insertSession(db(), { courseId, startsAt: london(date, "12:00"), address: "Rugby Club, Playing Fields Road", trainerIds: [early.id] });
    const late = await createTrainer(db(), { qualifiedFor: [courseId] });
    // Starts 15:50 at another address: 20 minutes after.
    await insertSession(db(), { courseId, startsAt: london(date, "15:50"), address: "Union Bar, 1 Park Lane", trainerIds: [late.id] });

    const candidates = await evaluateTrainers(
      db(),
      { courseId, slot: slotAt(date, "14:00"), place: { kind: "room", roomId, building: "Library" } },
      await getSettings(db()),
    );
    expect(codes(candidates.find((c) => c.id === early.id))).toEqual([]);
    expect(codes(candidates.find((c) => c.id === late.id))).toEqual(["travel"]);

    // Two sessions at the same address (spelt with different spacing and case) need no travel.
    const atClub = await evaluateTrainers(
      db(),
      { courseId, slot: slotAt(date, "16:00", 60), place: { kind: "address", address: "union bar,  1 Park Lane" } },
      await getSettings(db()),
    );
    // 15:50 overlaps 16:00 at the same place: still a double booking, which is hard.
    expect(codes(atClub.find((c) => c.id === late.id))).toEqual(["double_booked"]);
    const afterClub = await evaluateTrainers(
      db(),
      { courseId, slot: slotAt(date, "17:20", 30), place: { kind: "address", address: "union bar,  1 park lane" } },
      await getSettings(db()),
    );
    expect(codes(afterClub.find((c) => c.id === late.id))).toEqual([]);
  });

  it("honours a trainer's own weekly limit over the default", async () => {
    const { courseId } = await schedulingWorld(db());
    const twice = await createTrainer(db(), { qualifiedFor: [courseId], maxSessionsPerWeek: 2 });
    await insertSession(db(), { courseId, startsAt: london(londonDate(3, 1), "10:00"), trainerIds: [twice.id] });
    const slot = slotAt(londonDate(3, 4), "10:00");
    const place: Place = { kind: "address", address: "Somewhere" };
    const one = await evaluateTrainers(db(), { courseId, slot, place }, await getSettings(db()));
    expect(one.find((c) => c.id === twice.id)).toMatchObject({ sessionsThisWeek: 1, maxSessionsPerWeek: 2, exclusions: [] });
    // A session the week before does not count.
    await insertSession(db(), { courseId, startsAt: london(londonDate(2, 5), "10:00"), trainerIds: [twice.id] });
    await insertSession(db(), { courseId, startsAt: london(londonDate(3, 2), "10:00"), trainerIds: [twice.id] });
    const two = await evaluateTrainers(db(), { courseId, slot, place }, await getSettings(db()));
    expect(codes(two.find((c) => c.id === twice.id))).toEqual(["weekly_limit"]);
  });

  it("ranks eligible trainers by the fewest hours this term", async () => {
    const course = await createCourse(db(), { durationMinutes: 90 });
    await schedulingWorld(db());
    const [a, b, c] = [
      await createTrainer(db(), { name: "Aaron Most", qualifiedFor: [course] }),
      await createTrainer(db(), { name: "Bella None", qualifiedFor: [course] }),
      await createTrainer(db(), { name: "Carl Some", qualifiedFor: [course] }),
    ];
    // Aaron: 3 hours this term (two sessions in other weeks); Carl: 1.5 hours; Bella: none.
    await insertSession(db(), { courseId: course, startsAt: london(londonDate(1, 1), "10:00"), trainerIds: [a.id] });
    await insertSession(db(), { courseId: course, startsAt: london(londonDate(3, 1), "10:00"), trainerIds: [a.id] });
    await insertSession(db(), { courseId: course, startsAt: london(londonDate(1, 2), "10:00"), trainerIds: [c.id] });
    // A cancelled session and one from last term do not count.
    await insertSession(db(), { courseId: course, startsAt: london(londonDate(1, 3), "10:00"), trainerIds: [b.id], status: "cancelled" });
    await insertSession(db(), { courseId: course, startsAt: london("2030-07-15", "10:00"), trainerIds: [b.id] });

    const candidates = await evaluateTrainers(
      db(),
      { courseId: course, slot: slotAt(londonDate(2, 2), "10:00"), place: { kind: "address", address: "Somewhere" } },
      await getSettings(db()),
    );
    const ours = candidates.filter((x) => [a.id, b.id, c.id].includes(x.id));
    expect(ours.map((x) => x.name)).toEqual(["Bella None", "Carl Some", "Aaron Most"]);
    expect(ours.map((x) => x.hoursThisTerm)).toEqual([0, 1.5, 3]);
    expect(ours.every((x) => x.exclusions.length === 0)).toBe(true);
  });
});
