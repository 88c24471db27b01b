import type { ActionFunctionArgs } from "@remix-run/node";
import { recordAudit } from "#app/audit/audit.server.ts";
import { requirePermission, requireRecentSecondFactor } from "#app/auth/guards.server.ts";
import { getDb } from "#app/db.server.ts";
import { FEEDBACK_NOTE, findPersonData } from "#app/privacy/person-data.server.ts";
import { PersonSearchSchema } from "#app/privacy/schemas.ts";
import { TABLES } from "#app/privacy/tables.ts";
import { readFormData } from "#app/utils/request-body.server.ts";
import { secureResource } from "#app/utils/security-headers.server.ts";
import { contentDispositionHeader } from "#app/utils/content-disposition.server.ts";

/**
 * Everything held about one address as a JSON file, for a subject access request. Asked for with a
 * POST, so the address never appears in an address bar, the browser's history or an access log.
 */
export const action = secureResource(async function action({ request }: ActionFunctionArgs) {
  const actor = await requirePermission(request, "manage:privacy");
  await requireRecentSecondFactor(request);
  const parsed = PersonSearchSchema.safeParse({ email: (await readFormData(request)).get("email") ?? "" });
  if (!parsed.success) throw new Response("Give the email address to export, from the personal data page.", { status: 400 });
  const db = getDb();
  const data = await findPersonData(db, parsed.data.email);
  await recordAudit(db, {
    actorUserId: actor.id,
    action: "privacy.exported",
    entityType: "person",
    entityId: null,
    summary: `${actor.name} downloaded the personal data held about ${data.email}`,
  });
  const file = {
    about: {
      generatedBy: "NeverOK Training",
      generatedAt: data.generatedAt,
      email: data.email,
      feedback: FEEDBACK_NOTE,
      emails: "Subject, date and status of each email sent to this address; the content is not included.",
      tablesSearched: Object.entries(TABLES).map(([table, t]) => (t.person ? { table, section: t.in } : { table, holdsNoPersonalData: t.why })),
    },
    ...data,
  };
  return new Response(JSON.stringify(file, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": contentDispositionHeader(`personal-data-${data.generatedAt.slice(0, 10)}.json`),
      "Cache-Control": "no-store",
    },
  });
});
