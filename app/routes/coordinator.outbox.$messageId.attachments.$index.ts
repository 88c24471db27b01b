import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound, requirePermission } from "#app/auth/guards.server.ts";
import { getDb } from "#app/db.server.ts";
import { getAttachment } from "#app/email/outbox-view.server.ts";
import { parseId } from "#app/utils/forms.server.ts";
import { resourceHeaders, secureResource } from "#app/utils/security-headers.server.ts";
import { contentDispositionHeader } from "#app/utils/content-disposition.server.ts";

export const loader = secureResource(async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "read:outbox");
  const id = parseId(params.messageId);
  const index = Number(params.index);
  const attachment = id && Number.isInteger(index) && index >= 0 ? await getAttachment(getDb(), id, index) : null;
  if (!attachment) throw notFound("We could not find that attachment.");
  return new Response(Buffer.from(attachment.contentBase64, "base64"), {
    headers: resourceHeaders(request, {
      "Content-Type": attachment.contentType,
      "Content-Disposition": contentDispositionHeader(attachment.filename),
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    }),
  });
});
