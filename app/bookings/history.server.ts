import { sql, type Kysely } from "kysely";
import { z } from "zod";
import type { Database } from "#db/schema.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { getBookerOrganisations } from "#app/home/home.server.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { PageParam, pageWindow } from "#app/utils/paging.ts";
import { BOOKER_STATUS_LABELS, type BookerStatus } from "./request-status.tsx";
import { listRequestsForBooker } from "./requests.server.ts";

/** Bookings come this many at a time, latest first. */
export const HISTORY_PAGE_SIZE = 20;

const STATUSES = Object.keys(BOOKER_STATUS_LABELS) as [BookerStatus, ...BookerStatus[]];

/** `?organisation=3&status=delivered&page=2`; a status that is not one is no filter. */
export const HistoryQuerySchema = z.object({
  organisation: z.coerce.number().int().positive().optional().catch(undefined),
  status: z.enum(STATUSES).optional().catch(undefined),
  page: PageParam,
});

/** The status a booker reads (see bookerStatus), as a condition on a request and its session. */
function statusIs(status: BookerStatus) {
  switch (status) {
    case "delivered":
      return sql<boolean>`s.status = 'delivered'`;
    case "cancelled":
      return sql<boolean>`(s.status = 'cancelled' or (br.status = 'cancelled' and coalesce(s.status, 'none') <> 'delivered'))`;
    case "scheduled":
      return sql<boolean>`(br.status = 'scheduled' and coalesce(s.status, 'scheduled') = 'scheduled')`;
    default:
      return sql<boolean>`br.status = ${status}`;
  }
}

/**
 * One organisation's bookings, past and to come, latest session (or first preferred time) first, a
 * page at a time, narrowed by the status a booker reads. Only for a booker of that organisation:
 * anyone else is told it does not exist.
 */
export async function organisationHistory(db: Kysely<Database>, booker: SessionUser, params: URLSearchParams) {
  const query = HistoryQuerySchema.parse(Object.fromEntries(params));
  const organisations = await getBookerOrganisations(db, booker.id);
  const organisation = query.organisation ? organisations.find((o) => o.id === query.organisation) : organisations[0];
  if (!organisations.length)
    throw new RuleViolation("not_found", "You do not book for any organisation yet. Ask the training coordinator to add you to yours.");
  if (!organisation) throw new RuleViolation("not_found", "We could not find that organisation.");
  const base = db
    .selectFrom("booking_requests as br")
    .leftJoin("sessions as s", "s.id", "br.session_id")
    .where("br.organisation_id", "=", organisation.id)
    .$if(!!query.status, (q) => q.where(statusIs(query.status!)));
  const { n } = await base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  const page = pageWindow(Number(n), query.page, HISTORY_PAGE_SIZE);
  const when = sql<string>`coalesce(s.starts_at, (select min(t.starts_at) from booking_request_times t where t.request_id = br.id))`;
  const ids = (await base.select("br.id").orderBy(when, "desc").orderBy("br.id", "desc").limit(page.size).offset(page.offset).execute()).map((r) => r.id);
  const rows = ids.length ? await listRequestsForBooker(db, booker, { requestIds: ids }) : [];
  const bookings = ids.flatMap((id) => rows.filter((r) => r.id === id));
  return {
    organisations: organisations.map((o) => ({ id: o.id, name: o.name })),
    organisation: { id: organisation.id, name: organisation.name },
    status: query.status ?? null,
    bookings,
    page,
  };
}
