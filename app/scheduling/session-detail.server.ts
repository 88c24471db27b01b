import type { Kysely } from "kysely";
import type { AssignmentStatus, Database, SessionStatus } from "#db/schema.ts";
import { accessSummary, readAccessSet, type AccessFeature } from "./room-access.ts";
import { isActiveAssignment } from "./staffing.ts";

export interface SessionDetail {
  id: number;
  /** An open session's own title; a booked session goes by its course's name. */
  title: string | null;
  status: SessionStatus;
  startsAt: string;
  endsAt: string;
  durationMinutes: number;
  capacity: number;
  trainersNeeded: number;
  cancelReason: string | null;
  icalUid: string;
  icalSequence: number;
  /** When the session's own record last changed. */
  updatedAt: string;
  course: { id: number; name: string; description: string; colour: string };
  organisation: { id: number; name: string } | null;
  room: { id: number; name: string; building: string; accessibilityNotes: string | null } | null;
  address: string | null;
  request: {
    id: number;
    groupSize: number;
    /** The needs ticked, from the fixed list. */
    accessNeeds: AccessFeature[];
    /** The needs ticked and typed, in words. */
    accessibilityNeeds: string | null;
    notes: string | null;
    audience: string;
  } | null;
  booker: { id: number; name: string; email: string } | null;
  trainers: { id: number; name: string; email: string; status: AssignmentStatus; declineReason: string | null; overrideReason: string | null }[];
}

/** A session with everything the pages, the emails and the calendar need. */
export async function getSessionDetail(db: Kysely<Database>, sessionId: number): Promise<SessionDetail | null> {
  const [detail] = await getSessionDetails(db, [sessionId]);
  return detail ?? null;
}

/** Many sessions in two queries, in the order of `ids`. */
export async function getSessionDetails(db: Kysely<Database>, ids: number[]): Promise<SessionDetail[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom("sessions as s")
    .innerJoin("courses as c", "c.id", "s.course_id")
    .leftJoin("organisations as o", "o.id", "s.organisation_id")
    .leftJoin("rooms as r", "r.id", "s.room_id")
    .leftJoin("booking_requests as br", "br.id", "s.booking_request_id")
    .leftJoin("users as b", "b.id", "br.requested_by")
    .select([
      "s.id",
      "s.title",
      "s.status",
      "s.starts_at",
      "s.ends_at",
      "s.duration_minutes",
      "s.capacity",
      "s.trainers_needed",
      "s.cancel_reason",
      "s.ical_uid",
      "s.ical_sequence",
      "s.updated_at",
      "s.address",
      "c.id as course_id",
      "c.name as course_name",
      "c.description as course_description",
      "c.colour as course_colour",
      "o.id as organisation_id",
      "o.name as organisation_name",
      "r.id as room_id",
      "r.name as room_name",
      "r.building as room_building",
      "r.accessibility_notes as room_accessibility",
      "r.access_features as room_features",
      "br.id as request_id",
      "br.group_size",
      "br.accessibility_needs",
      "br.access_needs",
      "br.notes as request_notes",
      "br.audience",
      "b.id as booker_id",
      "b.name as booker_name",
      "b.email as booker_email",
    ])
    .where("s.id", "in", ids)
    .execute();
  const trainers = await db
    .selectFrom("session_trainers as st")
    .innerJoin("users as u", "u.id", "st.trainer_id")
    .select(["st.session_id", "u.id", "u.name", "u.email", "st.status", "st.decline_reason", "st.override_reason"])
    .where("st.session_id", "in", ids)
    .orderBy("st.assigned_at")
    .execute();
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    return row
      ? [
          toDetail(
            row,
            trainers.filter((t) => t.session_id === id),
          ),
        ]
      : [];
  });
}

type TrainerRow = { id: number; name: string; email: string; status: AssignmentStatus; decline_reason: string | null; override_reason: string | null };

interface Row {
  id: number;
  title: string | null;
  status: SessionStatus;
  starts_at: string;
  ends_at: string;
  duration_minutes: number;
  capacity: number;
  trainers_needed: number;
  cancel_reason: string | null;
  ical_uid: string;
  ical_sequence: number;
  updated_at: string;
  address: string | null;
  course_id: number;
  course_name: string;
  course_description: string;
  course_colour: string;
  organisation_id: number | null;
  organisation_name: string | null;
  room_id: number | null;
  room_name: string | null;
  room_building: string | null;
  room_accessibility: string | null;
  room_features: string | null;
  request_id: number | null;
  group_size: number | null;
  accessibility_needs: string | null;
  access_needs: string | null;
  request_notes: string | null;
  audience: string | null;
  booker_id: number | null;
  booker_name: string | null;
  booker_email: string | null;
}

function toDetail(row: Row, trainers: TrainerRow[]): SessionDetail {
  return {
    id: row.id,
    title: row.title,
    status: row.status,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    durationMinutes: row.duration_minutes,
    capacity: row.capacity,
    trainersNeeded: row.trainers_needed,
    cancelReason: row.cancel_reason,
    icalUid: row.ical_uid,
    icalSequence: row.ical_sequence,
    updatedAt: row.updated_at,
    course: { id: row.course_id, name: row.course_name, description: row.course_description, colour: row.course_colour },
    organisation: row.organisation_id ? { id: row.organisation_id, name: row.organisation_name ?? "" } : null,
    room: row.room_id
      ? {
          id: row.room_id,
          name: row.room_name ?? "",
          building: row.room_building ?? "",
          accessibilityNotes: accessSummary(row.room_features, row.room_accessibility),
        }
      : null,
    address: row.address,
    request: row.request_id
      ? {
          id: row.request_id,
          groupSize: row.group_size ?? 0,
          accessNeeds: readAccessSet(row.access_needs),
          accessibilityNeeds: accessSummary(row.access_needs, row.accessibility_needs),
          notes: row.request_notes,
          audience: row.audience ?? "students",
        }
      : null,
    booker: row.booker_id ? { id: row.booker_id, name: row.booker_name ?? "", email: row.booker_email ?? "" } : null,
    trainers: trainers.map((t) => ({
      id: t.id,
      name: t.name,
      email: t.email,
      status: t.status,
      declineReason: t.decline_reason,
      overrideReason: t.override_reason,
    })),
  };
}

export { sessionWhere } from "./where.ts";

export const activeTrainers = (s: SessionDetail) => s.trainers.filter(isActiveAssignment);
