import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import { writeTransaction } from "#db/transaction.ts";
import SessionReminderEmail from "#emails/session-reminder.tsx";
import { getCoordinatorContact, getSettings } from "#app/settings/settings.server.ts";
import { formatRange } from "#app/utils/dates.ts";
import { addMs, HOUR, now, nowIso } from "#app/utils/time.ts";
import { appUrl, enqueueSessionEmail, sessionDetailsProps } from "./notifications.server.ts";
import { activeTrainers, getSessionDetails } from "./session-detail.server.ts";
import { registrants } from "#app/signup/registrations.server.ts";

/**
 * Reminds the booker and the trainers of each session starting within the lead time (default 24
 * hours). Each person is reminded once: the (session, recipient) row and the message are written in
 * one transaction, and the row's primary key refuses a second. A session booked after its reminder
 * time gets none: everyone has just been told.
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
  let sent = 0;
  for (const detail of await getSessionDetails(db, eligible)) {
    const recipients = [
      ...(detail.booker ? [{ ...detail.booker, role: "booker" as const, url: appUrl(`/booker/requests/${detail.request?.id}`) }] : []),
      ...activeTrainers(detail).map((t) => ({ ...t, role: "trainer" as const, url: appUrl(`/trainer/sessions/${detail.id}`) })),
      ...(await registrants(db, detail.id)).map((r) => ({ ...r, role: "attendee" as const, url: appUrl(`/sessions/open/${detail.id}`) })),
    ];
    for (const r of recipients) {
      sent += await writeTransaction(db, async (trx) => {
        const claimed = await trx
          .insertInto("reminders_sent")
          .values({ session_id: detail.id, recipient_email: r.email, sent_at: nowIso() })
          .onConflict((oc) => oc.doNothing())
          .executeTakeFirst();
        if (Number(claimed.numInsertedOrUpdatedRows ?? 0) !== 1) return 0;
        await enqueueSessionEmail(trx, detail, r, {
          template: "session-reminder",
          subject: `Reminder: ${detail.course.name}, ${formatRange(detail.startsAt, detail.endsAt)}`,
          react: SessionReminderEmail({
            name: r.name,
            session: sessionDetailsProps(detail),
            url: r.url,
            role: r.role,
            contact: r.role === "booker" ? contact : null,
          }),
        });
        return 1;
      });
    }
  }
  return sent;
}
