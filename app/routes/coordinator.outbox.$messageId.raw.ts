import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound, requirePermission } from "#app/auth/guards.server.ts";
import { getDb } from "#app/db.server.ts";
import { getRawMessage } from "#app/email/outbox-view.server.ts";
import { parseId } from "#app/utils/forms.server.ts";
import { resourceHeaders, secureResource } from "#app/utils/security-headers.server.ts";
import { contentDispositionHeader } from "#app/utils/content-disposition.server.ts";

/** The complete message as it would be sent, to open in a mail program. */
export const loader = secureResource(async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "read:outbox");
  const id = parseId(params.messageId);
  const raw = id ? await getRawMessage(getDb(), id) : null;
  if (!raw || !id) throw notFound("We could not find that message.");
  return new Response(raw, {
    headers: resourceHeaders(request, {
      "Content-Type": "message/rfc822",
      "Content-Disposition": contentDispositionHeader(`message-${id}.eml`),
      "Cache-Control": "no-store",
    }),
  });
});
