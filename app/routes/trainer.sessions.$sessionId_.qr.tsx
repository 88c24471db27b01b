import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "#app/auth/guards.server.ts";
import { ButtonLink } from "#app/components/button.tsx";
import { Card, PageHeader } from "#app/components/layout.tsx";
import { getDb } from "#app/db.server.ts";
import { roomQrCode } from "#app/feedback/feedback.server.ts";
import { appUrl } from "#app/scheduling/notifications.server.ts";
import { formatDateTime, formatRange } from "#app/utils/dates.ts";
import { findByParam } from "#app/utils/forms.server.ts";
import { qrCodeSvg } from "#app/utils/qr-code.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Feedback QR code: ${data?.session.name ?? "session"} · NeverOK Training` }];

// Trainers on the session, and coordinators; anyone else gets a 404, not a hint that the session exists.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["trainer", "coordinator"]);
  const { session, onSession, code } = await findByParam(
    params.sessionId,
    (id) => roomQrCode(getDb(), user, id),
    "We could not find that session among yours.",
  );
  const url = code ? appUrl(`/feedback/s/${encodeURIComponent(code.code)}`) : null;
  return {
    session: { id: session.id, name: session.title ?? session.course.name, when: formatRange(session.startsAt, session.endsAt), status: session.status },
    qr: code && url ? { url, svg: await qrCodeSvg(url, "QR code for the feedback form"), status: code.status, closesAt: code.closesAt } : null,
    back: onSession ? `/trainer/sessions/${session.id}` : `/coordinator/sessions/${session.id}`,
    registerUrl: onSession && session.status === "scheduled" ? `/trainer/sessions/${session.id}/register` : null,
  };
}

export default function SessionQrPage() {
  const { session, qr, back, registerUrl } = useLoaderData<typeof loader>();
  return (
    <>
      <p className="no-print mb-3 text-sm">
        <Link to={back}>← The session</Link>
      </p>
      <PageHeader title="Feedback QR code" description={`${session.name} · ${session.when}`} />
      {qr ? (
        <div className="mx-auto max-w-xl">
          {qr.status === "closed" ? (
            <p role="status" className="mb-4 rounded-md border border-amber-300 bg-amber-50 p-4 text-amber-950">
              This form closed on {formatDateTime(qr.closesAt)}: it takes answers for 30 days after the session starts.
            </p>
          ) : null}
          <figure aria-labelledby="qr-caption" className="rounded-xl bg-white p-4 text-center shadow-sm ring-1 ring-slate-200 sm:p-8">
            <p id="qr-caption" className="text-xl font-bold text-slate-900 sm:text-2xl">
              Scan to give feedback
            </p>
            <p className="mt-1 text-slate-700">Anonymous, about two minutes. Point your phone&apos;s camera at the code.</p>
            <div className="mx-auto mt-4 w-full max-w-md [&_svg]:h-auto [&_svg]:w-full" dangerouslySetInnerHTML={{ __html: qr.svg }} />
            <figcaption className="mt-4">
              <span className="block text-sm text-slate-700">Or type this address:</span>
              <span className="mt-1 block break-all font-mono text-base font-semibold text-slate-900 sm:text-lg">{qr.url}</span>
            </figcaption>
          </figure>
          <p className="no-print mt-4 text-sm text-slate-700">
            One answer per phone, and never more answers than people on the register. Everyone on the register with an email address has also been emailed their
            own link: the session&apos;s answers are shown once five of them have answered that way. Open this page on the room&apos;s screen, or print it.
          </p>
        </div>
      ) : (
        <Card title="No code yet" className="max-w-2xl">
          <p className="text-slate-800">
            {session.status === "cancelled"
              ? "This session was cancelled, so there is no feedback form for it."
              : "The QR code is made when you close the session's register. Closing the register marks the session as delivered, makes this code for the room's screen, and emails a feedback link to everyone marked present."}
          </p>
          {registerUrl ? (
            <div className="mt-4">
              <ButtonLink to={registerUrl}>Open the register</ButtonLink>
            </div>
          ) : null}
        </Card>
      )}
    </>
  );
}
