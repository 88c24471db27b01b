import type { LoaderFunctionArgs } from "@remix-run/node";
import { recordAudit } from "#app/audit/audit.server.ts";
import { requirePermission, requireRecentSecondFactor } from "#app/auth/guards.server.ts";
import { getDb } from "#app/db.server.ts";
import { FEEDBACK_NOTE, findPersonData } from "#app/privacy/person-data.server.ts";
import { PersonSearchSchema } from "#app/privacy/schemas.ts";
import { TABLES } from "#app/privacy/tables.ts";
import { secureResource } from "#app/utils/security-headers.server.ts";
import { contentDispositionHeader } from "#app/utils/content-disposition.server.ts";

/** Everything held about one address as a JSON file, for a subject access request. */
export const loader = secureResource(async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, "manage:privacy");
  await requireRecentSecondFactor(request);
  const parsed = PersonSearchSchema.safeParse({ email: new URL(request.url).searchParams.get("email") ?? "" });
  if (!parsed.success) throw new Response("Give the email address to export, like ?email=name@example.ac.uk", { status: 400 });
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
