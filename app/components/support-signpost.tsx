import { useRouteLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import type { loader as rootLoader } from "#app/root.tsx";
import type { SupportServiceView } from "#app/support/directory.ts";

/**
 * The support directory the coordinator keeps, shown wherever a person might need it: these sessions
 * can bring things up, so every feedback page, the public pages and the footer carry it. The root
 * loader reads it once per page; the emails show the same list (emails/_components/support-directory.tsx).
 */
export function useSupportDirectory(): SupportServiceView[] {
  return useRouteLoaderData<typeof rootLoader>("root")?.support ?? [];
}

/** The handle of a page that shows the support directory itself: the footer then does not repeat it. */
export const SUPPORT_IN_PAGE = { supportInPage: true } as const;

const NEW_TAB = " (opens in a new tab)";

/** A service's web page opens beside what the person was doing (a feedback form half filled in is not lost). */
function WebLink({ service, children, className }: { service: SupportServiceView; children: ReactNode; className?: string }) {
  return (
    <a href={service.url!} target="_blank" rel="noopener noreferrer" className={className}>
      {children}
      <span className="sr-only">{NEW_TAB}</span>
      <span aria-hidden="true"> ↗</span>
    </a>
  );
}

function CallLink({ service, className }: { service: SupportServiceView; className?: string }) {
  return (
    <a href={service.phoneHref!} className={className}>
      Call {service.phone}
      <span className="sr-only"> ({service.name})</span>
    </a>
  );
}

function UrgentMark() {
  return (
    <span className="ml-2 inline-block rounded-full bg-red-100 px-2 py-0.5 align-middle text-xs font-bold uppercase tracking-wide text-red-900">Urgent</span>
  );
}

/** When the directory is empty, the one number nobody should have to look for. */
function EmergencyOnly() {
  return (
    <p>
      In an emergency, or if you are in danger now, call{" "}
      <a href="tel:999" className="font-semibold underline">
        999
      </a>
      .
    </p>
  );
}

/** A service's name (a link to its website), whether it is urgent, the number to call and its hours. */
function ServiceSummary({ service: s, stacked = false }: { service: SupportServiceView; stacked?: boolean }) {
  const name = (
    <span className="font-semibold text-slate-900">
      {s.url ? (
        <WebLink service={s} className="inline-block py-1">
          {s.name}
        </WebLink>
      ) : (
        s.name
      )}
      {s.urgent ? <UrgentMark /> : null}
    </span>
  );
  const reach =
    s.phoneHref || s.hours ? (
      <>
        {s.phoneHref ? <CallLink service={s} className="inline-block py-1 font-semibold" /> : null}
        {s.hours ? <span className="text-slate-700">{s.hours}</span> : null}
      </>
    ) : null;
  if (!stacked)
    return (
      <p className="flex flex-wrap items-baseline gap-x-3">
        {name}
        {reach}
      </p>
    );
  return (
    <>
      <p>{name}</p>
      {reach ? <p className="flex flex-wrap items-baseline gap-x-2">{reach}</p> : null}
    </>
  );
}

/**
 * Where to find support. The short form sits beside every feedback form and public page; `detailed`
 * (after "I would like support") says what each service is for and when it is open.
 */
export function SupportSignpost({ detailed = false, id, headingLevel = 2 }: { detailed?: boolean; id?: string; headingLevel?: 2 | 3 }) {
  const services = useSupportDirectory();
  const Heading = headingLevel === 2 ? "h2" : "h3";
  if (!detailed) {
    return (
      <section id={id} aria-label="Support" className="rounded-lg border border-brand-200 bg-brand-50 p-4 text-sm text-slate-900">
        <p>
          <strong>If this topic brings something up for you,</strong> you can talk to someone or report what happened, named or anonymously.
        </p>
        {services.length ? (
          <ul className="mt-2 space-y-1">
            {services.map((s) => (
              <li key={s.id}>
                <ServiceSummary service={s} />
              </li>
            ))}
          </ul>
        ) : (
          <EmergencyOnly />
        )}
      </section>
    );
  }
  return (
    <section id={id} aria-labelledby={id ? `${id}-heading` : undefined} className="rounded-lg border-2 border-brand-700 bg-white p-5 text-slate-900">
      <Heading id={id ? `${id}-heading` : undefined} className="text-lg font-bold">
        Support is here for you
      </Heading>
      <p className="mt-1 text-slate-700">
        Whatever has happened, it is not your fault. You choose who to talk to and how much to say. Asking for support here is not recorded or passed on to
        anyone.
      </p>
      <SupportServiceCards services={services} />
    </section>
  );
}

/** Each service with what it is for, when it is open, and a link or a number to reach it in one tap. */
export function SupportServiceCards({ services, className = "space-y-3" }: { services: SupportServiceView[]; className?: string }) {
  if (!services.length) return <EmergencyOnly />;
  return (
    <ul className={`mt-4 ${className}`}>
      {services.map((s) => (
        <li key={s.id} className={`rounded-md p-3 ring-1 ${s.urgent ? "bg-red-50 ring-red-300" : "bg-white ring-slate-300"}`}>
          <p className="font-semibold">
            {s.name}
            {s.urgent ? <UrgentMark /> : null}
          </p>
          <p className="mt-0.5 text-slate-800">{s.purpose}</p>
          {s.hours ? <p className="mt-0.5 text-sm text-slate-700">Hours: {s.hours}</p> : null}
          <p className="mt-1 flex flex-wrap gap-x-4">
            {s.phoneHref ? <CallLink service={s} className="inline-block py-2.5 font-semibold" /> : null}
            {s.url ? (
              <WebLink service={s} className="inline-block py-2.5 font-semibold">
                {s.phoneHref ? (
                  <>
                    Website<span className="sr-only">: {s.name}</span>
                  </>
                ) : (
                  `Go to ${s.name}`
                )}
              </WebLink>
            ) : null}
          </p>
        </li>
      ))}
    </ul>
  );
}

/** The page footer: the directory in a line or two per service, so help is one tap from any page. */
export function SupportFooter() {
  const services = useSupportDirectory();
  return (
    <section aria-labelledby="footer-support-heading">
      <h2 id="footer-support-heading" className="font-semibold text-slate-900">
        Need support?
      </h2>
      {services.length ? (
        <ul className="mt-2 grid gap-x-6 gap-y-3 sm:grid-cols-2 lg:grid-cols-3">
          {services.map((s) => (
            <li key={s.id}>
              <ServiceSummary service={s} stacked />
            </li>
          ))}
        </ul>
      ) : (
        <EmergencyOnly />
      )}
    </section>
  );
}
