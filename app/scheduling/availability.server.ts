import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import { londonWeekday, londonWeekOf, termOf, utcToLondonWallTime } from "#app/utils/dates.ts";
import { MINUTE } from "#app/utils/time.ts";
import type { Settings } from "#app/settings/schemas.ts";
import { rankRoomsByNeeds, type AccessFeature } from "./room-access.ts";
import { ACTIVE_ASSIGNMENTS } from "./staffing.ts";
import { plural } from "#app/utils/plural.ts";

/** Where a session happens: sessions in the same building (or at the same address) need no travel time between them. */
export type Place = { kind: "room"; roomId: number; building: string } | { kind: "address"; address: string };

export function placeKey(place: Place): string {
  return place.kind === "room" ? `building:${place.building.trim().toLowerCase()}` : `address:${place.address.trim().toLowerCase().replace(/\s+/g, " ")}`;
}

export interface Slot {
  start: Date;
  end: Date;
}

const overlaps = (a: Slot, b: Slot) => a.start < b.end && b.start < a.end;

// ---- Rooms ------------------------------------------------------------------------------------

export interface RoomOption {
  id: number;
  name: string;
  building: string;
  capacity: number;
  accessibility_notes: string | null;
  /** What the room offers from the fixed list of access features. */
  features: AccessFeature[];
  available: boolean;
  /** Why the room cannot be used then (booked, too small), or null. */
  reason: string | null;
  /** The group's access needs this room does not meet, and the same in words (null when it meets them all). */
  unmet: AccessFeature[];
  unmetText: string | null;
}

/**
 * Every room, each marked free and big enough or not with the reason, and with the group's access
 * needs it does not meet. Free rooms that meet every need come first, then free rooms missing the
 * fewest, then the rooms that cannot be used. One query for the clashes.
 */
export async function roomOptions(
  db: Kysely<Database>,
  slot: Slot,
  groupSize: number,
  opts: { excludeSessionId?: number; needs?: readonly AccessFeature[] } = {},
): Promise<RoomOption[]> {
  const [rooms, clashes] = await Promise.all([
    db.selectFrom("rooms").selectAll().where("is_archived", "=", 0).orderBy("capacity").orderBy("name").execute(),
    roomClashes(db, slot, opts.excludeSessionId),
  ]);
  return rankRoomsByNeeds(rooms, opts.needs ?? [])
    .map(({ room: r, features, unmet, unmetText }) => {
      const clash = clashes.find((c) => c.room_id === r.id);
      const reason = clash
        ? `Booked for ${clash.course_name} then`
        : r.capacity < groupSize
          ? `Too small: holds ${r.capacity}, the group is ${groupSize}`
          : null;
      return {
        id: r.id,
        name: r.name,
        building: r.building,
        capacity: r.capacity,
        accessibility_notes: r.accessibility_notes,
        features,
        available: !reason,
        reason,
        unmet,
        unmetText,
      };
    })
    .sort((a, b) => Number(b.available) - Number(a.available));
}

function roomClashes(db: Kysely<Database>, slot: Slot, excludeSessionId?: number) {
  let q = db
    .selectFrom("sessions")
    .innerJoin("courses", "courses.id", "sessions.course_id")
    .select(["sessions.id", "sessions.room_id", "courses.name as course_name"])
    .where("sessions.status", "!=", "cancelled")
    .where("sessions.room_id", "is not", null)
    .where("sessions.starts_at", "<", slot.end.toISOString())
    .where("sessions.ends_at", ">", slot.start.toISOString());
  if (excludeSessionId) q = q.where("sessions.id", "!=", excludeSessionId);
  return q.execute();
}

/** Why a room cannot be used for a slot, or null when it can. Call inside the write transaction. */
export async function roomRefusal(db: Kysely<Database>, roomId: number, slot: Slot, groupSize: number, excludeSessionId?: number): Promise<string | null> {
  const room = await db.selectFrom("rooms").selectAll().where("id", "=", roomId).executeTakeFirst();
  if (!room || room.is_archived) return "That room is not available for sessions.";
  if (room.capacity < groupSize) return `${room.name} holds ${room.capacity}; the group is ${groupSize}. Choose a bigger room.`;
  const clash = (await roomClashes(db, slot, excludeSessionId)).find((c) => c.room_id === roomId);
  if (clash) return `${room.name} is already booked then (${clash.course_name}). Choose another room or time.`;
  return null;
}

// ---- Trainers ---------------------------------------------------------------------------------

/** A hard reason can never be overridden (double-booking, not qualified); a soft one can, with a reason. */
export interface Exclusion {
  code: "not_qualified" | "double_booked" | "travel" | "outside_availability" | "no_availability" | "time_off" | "weekly_limit";
  hard: boolean;
  message: string;
}

export interface TrainerCandidate {
  id: number;
  name: string;
  email: string;
  qualified: boolean;
  hoursThisTerm: number;
  sessionsThisWeek: number;
  maxSessionsPerWeek: number;
  exclusions: Exclusion[];
  assignment: "assigned" | "accepted" | "declined" | null;
}

export interface SessionShape {
  sessionId?: number;
  courseId: number;
  slot: Slot;
  place: Place;
}

/**
 * Every trainer for a session, ranked: available and qualified first, then least hours this term.
 * Each one says why they are excluded, if they are. A fixed number of queries, whatever the number
 * of trainers.
 */
export async function evaluateTrainers(db: Kysely<Database>, shape: SessionShape, settings: Settings): Promise<TrainerCandidate[]> {
  const bufferMs = settings.travelBufferMinutes * MINUTE;
  const term = termOf(shape.slot.start);
  const week = londonWeekOf(shape.slot.start);
  const windowStart = new Date(Math.min(shape.slot.start.getTime() - bufferMs, week.start.getTime())).toISOString();
  const windowEnd = new Date(Math.max(shape.slot.end.getTime() + bufferMs, week.end.getTime())).toISOString();

  const [trainers, qualified, availability, timeOff, nearby, termHours, assignments] = await Promise.all([
    db
      .selectFrom("users")
      .innerJoin("user_roles", "user_roles.user_id", "users.id")
      .leftJoin("trainer_profiles", "trainer_profiles.user_id", "users.id")
      .select(["users.id", "users.name", "users.email", "trainer_profiles.max_sessions_per_week"])
      .where("user_roles.role", "=", "trainer")
      .where("users.is_active", "=", 1)
      .orderBy("users.name")
      .execute(),
    db.selectFrom("trainer_qualifications").select("user_id").where("course_id", "=", shape.courseId).execute(),
    db.selectFrom("trainer_availability").select(["trainer_id", "weekday", "start_time", "end_time"]).execute(),
    db
      .selectFrom("trainer_time_off")
      .select(["trainer_id", "starts_at", "ends_at", "reason"])
      .where("starts_at", "<", shape.slot.end.toISOString())
      .where("ends_at", ">", shape.slot.start.toISOString())
      .execute(),
    // Other sessions of every trainer around this one: for clashes, travel and the weekly count.
    db
      .selectFrom("session_trainers as st")
      .innerJoin("sessions as s", "s.id", "st.session_id")
      .innerJoin("courses as c", "c.id", "s.course_id")
      .leftJoin("rooms as r", "r.id", "s.room_id")
      .select(["st.trainer_id", "s.id", "s.starts_at", "s.ends_at", "s.room_id", "s.address", "r.building", "c.name as course_name"])
      .where("st.status", "in", ACTIVE_ASSIGNMENTS)
      .where("s.status", "!=", "cancelled")
      .where("s.starts_at", "<", windowEnd)
      .where("s.ends_at", ">", windowStart)
      .execute(),
    db
      .selectFrom("session_trainers as st")
      .innerJoin("sessions as s", "s.id", "st.session_id")
      .select((eb) => ["st.trainer_id", eb.fn.sum<number>("s.duration_minutes").as("minutes")])
      .where("st.status", "in", ACTIVE_ASSIGNMENTS)
      .where("s.status", "!=", "cancelled")
      .where("s.starts_at", ">=", term.start.toISOString())
      .where("s.starts_at", "<", term.end.toISOString())
      .groupBy("st.trainer_id")
      .execute(),
    shape.sessionId
      ? db.selectFrom("session_trainers").select(["trainer_id", "status"]).where("session_id", "=", shape.sessionId).execute()
      : Promise.resolve([] as { trainer_id: number; status: "assigned" | "accepted" | "declined" }[]),
  ]);

  const qualifiedIds = new Set(qualified.map((q) => q.user_id));
  const weekday = londonWeekday(shape.slot.start);
  const startWall = utcToLondonWallTime(shape.slot.start);
  const endWall = utcToLondonWallTime(shape.slot.end);
  const here = placeKey(shape.place);

  const candidates = trainers.map((t): TrainerCandidate => {
    const exclusions: Exclusion[] = [];
    if (!qualifiedIds.has(t.id)) exclusions.push({ code: "not_qualified", hard: true, message: "Not qualified to deliver this course" });

    const others = nearby.filter((n) => n.trainer_id === t.id && n.id !== shape.sessionId);
    for (const o of others) {
      const other = { start: new Date(o.starts_at), end: new Date(o.ends_at) };
      const label = `${o.course_name} ${utcToLondonWallTime(other.start).time}–${utcToLondonWallTime(other.end).time}`;
      if (overlaps(other, shape.slot)) {
        exclusions.push({ code: "double_booked", hard: true, message: `Already delivering ${label}` });
        continue;
      }
      const otherPlace = o.room_id
        ? `building:${(o.building ?? "").trim().toLowerCase()}`
        : `address:${(o.address ?? "").trim().toLowerCase().replace(/\s+/g, " ")}`;
      if (otherPlace !== here && bufferMs > 0) {
        const padded = { start: new Date(other.start.getTime() - bufferMs), end: new Date(other.end.getTime() + bufferMs) };
        if (overlaps(padded, shape.slot)) {
          exclusions.push({
            code: "travel",
            hard: false,
            message: `Needs ${plural(settings.travelBufferMinutes, "minute")} to travel from ${label} elsewhere`,
          });
        }
      }
    }

    const windows = availability.filter((a) => a.trainer_id === t.id);
    if (windows.length === 0) {
      exclusions.push({ code: "no_availability", hard: false, message: "Has not set any weekly availability" });
    } else {
      const sameDay = startWall.date === endWall.date;
      const fits = sameDay && windows.some((w) => w.weekday === weekday && w.start_time <= startWall.time && w.end_time >= endWall.time);
      if (!fits) exclusions.push({ code: "outside_availability", hard: false, message: "Outside their weekly availability" });
    }

    const off = timeOff.find((o) => o.trainer_id === t.id);
    if (off) exclusions.push({ code: "time_off", hard: false, message: `On time off${off.reason ? ` (${off.reason})` : ""}` });

    const max = t.max_sessions_per_week ?? settings.defaultMaxSessionsPerWeek;
    const thisWeek = new Set(others.filter((o) => o.starts_at >= week.start.toISOString() && o.starts_at < week.end.toISOString()).map((o) => o.id)).size;
    if (thisWeek >= max) exclusions.push({ code: "weekly_limit", hard: false, message: `Already has ${plural(thisWeek, "session")} that week (limit ${max})` });

    const hours = termHours.find((h) => h.trainer_id === t.id);
    const hoursThisTerm = hours ? Math.round((Number(hours.minutes) / 60) * 10) / 10 : 0;
    return {
      id: t.id,
      name: t.name,
      email: t.email,
      qualified: qualifiedIds.has(t.id),
      hoursThisTerm,
      sessionsThisWeek: thisWeek,
      maxSessionsPerWeek: max,
      exclusions,
      assignment: assignments.find((a) => a.trainer_id === t.id)?.status ?? null,
    };
  });

  return candidates.sort(
    (a, b) =>
      Number(a.exclusions.length > 0) - Number(b.exclusions.length > 0) ||
      Number(a.exclusions.some((e) => e.hard)) - Number(b.exclusions.some((e) => e.hard)) ||
      a.hoursThisTerm - b.hoursThisTerm ||
      a.name.localeCompare(b.name),
  );
}
