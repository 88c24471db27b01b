import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { notFound, requireUser } from "#app/auth/guards.server.ts";
import { calendarResponse } from "#app/calendar/calendar-response.server.ts";
import { buildPublishedCalendar } from "#app/calendar/ical.server.ts";
import { getDb } from "#app/db.server.ts";
import { isMemberOf } from "#app/bookings/requests.server.ts";
import { calendarSession } from "#app/scheduling/notifications.server.ts";
import { getSessionDetail, type SessionDetail } from "#app/scheduling/session-detail.server.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { parseId } from "#app/utils/forms.server.ts";
import { secureResource } from "#app/utils/security-headers.server.ts";

/**
 * /sessions/123 takes each person to their own page for the session (the link inside calendar
 * events); /sessions/123.ics downloads it as a calendar file. Both only for people on the session.
 */
export const loader = secureResource(async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const raw = params.sessionId ?? "";
  const wantsIcs = raw.endsWith(".ics");
  const id = parseId(wantsIcs ? raw.slice(0, -4) : raw);
  const session = id ? await getSessionDetail(getDb(), id) : null;
  if (!session) throw notFound("We could not find that session.");
  const page = await pageFor(user, session);
  // Someone not on the session learns nothing, not even that it exists: the same answer as an unknown id.
  if (!page) throw notFound("We could not find that session.");
  if (!wantsIcs) return redirect(page);
  const ics = buildPublishedCalendar(session.course.name, [calendarSession(session)]);
  return calendarResponse(request, ics, { filename: `neverok-session-${session.id}.ics`, disposition: "attachment", cacheControl: "no-store" });
});

async function pageFor(user: SessionUser, session: SessionDetail): Promise<string | null> {
  if (user.roles.includes("coordinator")) return `/coordinator/sessions/${session.id}`;
  if (user.roles.includes("trainer") && session.trainers.some((t) => t.id === user.id && t.status !== "declined")) return `/trainer/sessions/${session.id}`;
  if (user.roles.includes("booker") && session.organisation && session.request && (await isMemberOf(getDb(), user.id, session.organisation.id))) {
    return `/booker/requests/${session.request.id}`;
  }
  return null;
}
