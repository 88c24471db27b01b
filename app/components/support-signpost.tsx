/**
 * Where to find support, as the emails say it (emails/_components/support.tsx): these sessions can
 * bring things up, so every feedback page carries it. `detailed` spells out how to reach each one.
 */
export function SupportSignpost({ detailed = false, id, headingLevel = 2 }: { detailed?: boolean; id?: string; headingLevel?: 2 | 3 }) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  if (!detailed) {
    return (
      <section id={id} aria-label="Support" className="rounded-lg border border-brand-200 bg-brand-50 p-4 text-sm text-slate-900">
        <p>
          <strong>If this topic brings something up for you:</strong> Report + Support lets you tell us what happened, named or anonymously; the Advice and
          Support Centre in the Students&apos; Union is free and confidential; in an emergency call{" "}
          <a href="tel:999" className="font-semibold">
            999
          </a>
          .
        </p>
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
      <ul className="mt-4 space-y-4">
        <li>
          <p className="font-semibold">In an emergency, or if you are in danger now</p>
          <p>
            Call{" "}
            <a href="tel:999" className="font-semibold">
              999
            </a>
            . To speak to the police when it is not an emergency, call{" "}
            <a href="tel:101" className="font-semibold">
              101
            </a>
            .
          </p>
        </li>
        <li>
          <p className="font-semibold">Report + Support</p>
          <p>
            Tell the university what happened, online, with your name or anonymously. The people who read reports can offer you support and explain your
            options.
          </p>
        </li>
        <li>
          <p className="font-semibold">The Advice and Support Centre</p>
          <p>In the Students&apos; Union: free and confidential advice. Call in, or get in touch online.</p>
        </li>
      </ul>
    </section>
  );
}
