import type { Db } from "#db/schema.ts";
import { listCourses } from "#app/reference/reference.server.ts";
import { countOpenSessions, listOpenSessions, openSessionCard } from "#app/signup/open-sessions.server.ts";

/** How many open sessions the front door lists before pointing to the full list. */
export const FRONT_DOOR_SESSIONS = 3;

/**
 * What the public front door shows someone not signed in: the next open sessions and how many
 * there are in all, and the courses an organisation can book. Nothing about any person.
 */
export async function frontDoor(db: Db) {
  const [sessions, openCount, courses] = await Promise.all([listOpenSessions(db, { limit: FRONT_DOOR_SESSIONS }), countOpenSessions(db), listCourses(db)]);
  return {
    sessions: sessions.map(openSessionCard),
    openCount,
    courses: courses.map((c) => ({ id: c.id, name: c.name, description: c.description, durationMinutes: c.duration_minutes })),
  };
}
