import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import { writeTransaction } from "#app/utils/transaction.server.ts";
import PlaceReminderEmail from "#emails/place-reminder.tsx";
import SessionReminderEmail from "#emails/session-reminder.tsx";
import { getCoordinatorContact, getSettings } from "#app/settings/settings.server.ts";
import { newManageLink, registrantsOf } from "#app/signup/manage-links.server.ts";
import { formatRange } from "#app/utils/dates.ts";
import { addMs, HOUR, now, nowIso } from "#app/utils/time.ts";
import { appUrl, enqueueSessionEmail, sessionDetailsProps } from "./notifications.server.ts";
import { activeTrainers, getSessionDetails, type SessionDetail } from "./session-detail.server.ts";
import type { SupportServiceView } from "#app/support/directory.ts";
import { supportDirectory } from "#app/support/support.server.ts";
import type { CoordinatorContact } from "#app/settings/schemas.ts";

type Reminder = { email: string; name: string } & (
  | { role: "booker" | "trainer"; url: string }
  /** Someone with a place: their own reminder, with a new link to cancel it. */
  | { role: "attendee"; registrationId: number }
);

/**
 * Reminds everyone on each session starting within the lead time (default 24 hours): the booker, the
 * trainers, and each person with a place, who gets a reminder of their own with the link to cancel
 * it, so a place nobody will use goes to the waiting list in time. Each person is reminded once: the
 * (session, recipient) row and the message are written in one transaction, and the row's primary key
 * refuses a second. A session booked after its reminder time gets none: everyone has just been told.
 */
export async function sendDueReminders(db: Kysely<Database>): Promise<number> {
  const [settings, contact] = await Promise.all([getSettings(db), getCoordinatorContact(db)]);
  const lead = settings.reminderLeadHours * HOUR;
  const at = now();
  const due = await db
    .selectFrom("sessions")
    .select(["id", "starts_at", "created_at"])
    .where("status", "=", "scheduled")
    .where("starts_at", ">", at.toISOString())
    .where("starts_at", "<=", addMs(at, lead).toISOString())
    .execute();
  const eligible = due.filter((s) => s.created_at <= addMs(new Date(s.starts_at), -lead).toISOString()).map((s) => s.id);
  const [details, places, support] = await Promise.all([getSessionDetails(db, eligible), registrantsOf(db, eligible), supportDirectory(db)]);
  let sent = 0;
  for (const detail of details) {
    const reminders: Reminder[] = [
      ...(detail.booker ? [{ ...detail.booker, role: "booker" as const, url: appUrl(`/booker/requests/${detail.request?.id}`) }] : []),
      ...activeTrainers(detail).map((t) => ({ ...t, role: "trainer" as const, url: appUrl(`/trainer/sessions/${detail.id}`) })),
      ...places.filter((p) => p.sessionId === detail.id).map((p) => ({ email: p.email, name: p.name, role: "attendee" as const, registrationId: p.id })),
    ];
    for (const r of reminders) sent += await remindOnce(db, detail, r, { support, contact });
  }
  return sent;
}

async function remindOnce(
  db: Kysely<Database>,
  detail: SessionDetail,
  r: Reminder,
  { support, contact }: { support: SupportServiceView[]; contact: CoordinatorContact | null },
): Promise<number> {
  return writeTransaction(db, async (trx) => {
    const claimed = await trx
      .insertInto("reminders_sent")
      .values({ session_id: detail.id, recipient_email: r.email, sent_at: nowIso() })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    if (Number(claimed.numInsertedOrUpdatedRows ?? 0) !== 1) return 0;
    const session = sessionDetailsProps(detail);
    if (r.role === "attendee") {
      await enqueueSessionEmail(trx, detail, r, {
        template: "place-reminder",
        subject: `Reminder: your place on ${detail.course.name}, ${formatRange(detail.startsAt, detail.endsAt)}`,
        react: PlaceReminderEmail({ name: r.name, session, url: await newManageLink(trx, r.registrationId), support }),
        orderingKey: `registration-${r.registrationId}`,
      });
    } else {
      await enqueueSessionEmail(trx, detail, r, {
        template: "session-reminder",
        subject: `Reminder: ${detail.course.name}, ${formatRange(detail.startsAt, detail.endsAt)}`,
        react: SessionReminderEmail({ name: r.name, session, url: r.url, role: r.role, support, contact: r.role === "booker" ? contact : null }),
      });
    }
    return 1;
  });
}
