import type { MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { PageHeader } from "#app/components/layout.tsx";
import { DEFAULT_RETENTION } from "#app/privacy/retention.ts";
import { PublicMasthead } from "#app/signup/public-page.tsx";
import { plural } from "#app/utils/plural.ts";

export const meta: MetaFunction = () => [
  { title: "How we use your personal data · NeverOK Training" },
  { name: "description", content: "What NeverOK Training holds about you, why, how long we keep it, and how to get a copy or have it erased." },
];

// Public and the same for everyone: no loader. It is also the benchmark's floor, the cost of the page shell alone.

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="space-y-3">
      <h2 id={id} className="text-xl font-semibold text-slate-900">
        {title}
      </h2>
      {children}
    </section>
  );
}

const months = (n: number) => (n % 12 === 0 ? plural(n / 12, "year") : plural(n, "month"));

export default function PrivacyNoticePage() {
  const r = DEFAULT_RETENTION;
  return (
    <>
      <PublicMasthead />
      <div className="mx-auto max-w-3xl">
        <PageHeader
          title="How NeverOK Training uses your personal data"
          description="#NeverOK is about respect, and that includes respecting what you tell us. This page says plainly what we keep, why, for how long, and what you can ask us to do with it."
        />
        <div className="space-y-8 text-slate-800">
          <Section id="what" title="What we hold">
            <ul className="list-disc space-y-2 pl-6">
              <li>
                <strong>If you sign up to a session:</strong> your name and email address, your student ID if the session asks for it, any accessibility needs
                you tell us, your answer to the session&apos;s question, whether you came, and your place on a waiting list.
              </li>
              <li>
                <strong>If you give feedback:</strong> your ratings and what you write. Answers are kept with the session, not with you: we cannot tell who gave
                which answer. A feedback link records only the day it was used.
              </li>
              <li>
                <strong>If you are a student leader:</strong> your name, email address and student ID on your role&apos;s roster, your role and group, the
                training your role needs and whether it is done, training you did elsewhere, any exemption and its reason, and the reminders we sent you.
              </li>
              <li>
                <strong>If you have an account</strong> (coordinators, trainers, bookers, union officers): your name, email address and roles, a scrambled form
                of your password that cannot be turned back into it, your signed-in devices (the browser&apos;s name), and what you did in the system. Trainers
                also have their courses, availability, time off and sessions; bookers have the requests they made for their group.
              </li>
              <li>
                <strong>Emails:</strong> a copy of every email the system sends, so that staff can check what went to whom.
              </li>
            </ul>
          </Section>

          <Section id="why" title="Why we hold it">
            <p>
              To run the training: to keep your place, send you the calendar invite, reminders and the feedback form, take the register and promote people
              fairly from a waiting list. To show that the campaign works: the yearly impact report counts people trained, never names them. For student
              leaders, to show who has done the training their role requires, as the Students&apos; Union asks of every leader. We do not sell your data, use it
              for marketing, or share it outside the campaign.
            </p>
          </Section>

          <Section id="how-long" title="How long we keep it">
            <p>These are the standard periods. The training coordinator can change them; registrations are always kept at least a year.</p>
            <ul className="list-disc space-y-2 pl-6">
              <li>
                Your details on a registration: {months(r.registrationsMonths)} after the session. Then your name, email, student ID and answers are removed;
                the fact that someone attended stays, so the yearly figures do not change.
              </li>
              <li>Written feedback: {months(r.feedbackTextMonths)} after you gave it. Ratings stay, with no one&apos;s name on them.</li>
              <li>
                Copies of emails: the content for {months(r.emailBodiesMonths)}, who they went to for {months(r.emailRecipientsMonths)}.
              </li>
              <li>The record of changes made in the system: {months(r.auditMonths)}.</li>
              <li>Links we emailed you, once they have expired: {plural(r.expiredTokensDays, "day")}.</li>
            </ul>
          </Section>

          <Section id="your-rights" title="Getting a copy, correcting it, or having it erased">
            <p>
              You can ask for a copy of everything we hold about you, for a mistake to be put right, or for your data to be erased. Reply to any email from
              NeverOK Training, or contact the training coordinator, and say which you want and which email address you used. We will reply within a month.
            </p>
            <p>
              Erasing removes your name, email address and student ID everywhere in the system and closes any account. If you hold a place on a session that has
              not happened yet, cancel it first (the link is in your confirmation email) so it can go to the next person waiting. Copies in backups taken before
              the erasure may still hold your data.
            </p>
          </Section>

          <p className="border-t border-slate-200 pt-4 text-sm text-slate-700">
            Looking for a session? <Link to="/sessions/open">See the open sessions</Link>.
          </p>
        </div>
      </div>
    </>
  );
}
