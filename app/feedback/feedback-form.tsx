import { getFormProps, type FieldMetadata, type SubmissionResult } from "@conform-to/react";
import { Form, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import { Button } from "#app/components/button.tsx";
import { FieldErrors, FormErrors, TextareaField } from "#app/components/field.tsx";
import { useSchemaForm } from "#app/components/schema-form.ts";
import { SupportSignpost } from "#app/components/support-signpost.tsx";
import { formatRange } from "#app/utils/dates.ts";
import { CONFIDENCE_LABELS, FeedbackSchema, RATING_LABELS, RECOMMEND_LABELS } from "./schemas.ts";

/** What the public feedback pages know about the session. */
export interface FeedbackSessionView {
  title: string | null;
  course: { name: string };
  startsAt: string;
  endsAt: string;
}

/**
 * The frame of every state of the public feedback pages: which session it is about, and the
 * support signposting: before the form, so it is seen first; after a short message, so the
 * message is.
 */
export function FeedbackFrame({
  title,
  session,
  children,
  support = "after",
}: {
  title: string;
  session?: FeedbackSessionView | null;
  children: ReactNode;
  support?: "before" | "after" | "none";
}) {
  const signpost = (
    <div className={support === "before" ? "mt-5" : "mt-6"}>
      <SupportSignpost />
    </div>
  );
  return (
    <div className="mx-auto max-w-2xl">
      <p className="inline-flex items-center gap-2 rounded-full bg-brand-100 px-3 py-1 text-sm font-semibold text-brand-800">#NeverOK Training</p>
      <h1 className="mt-3 text-2xl font-bold tracking-tight text-slate-900 sm:text-3xl">{title}</h1>
      {session ? (
        <p className="mt-1 text-slate-700">
          <span className="font-semibold text-slate-900">{session.title ?? session.course.name}</span>
          <span className="block sm:inline">
            <span className="hidden sm:inline"> · </span>
            {formatRange(session.startsAt, session.endsAt)}
          </span>
        </p>
      ) : null}
      {support === "before" ? signpost : null}
      <div className="mt-6">{children}</div>
      {support === "after" ? signpost : null}
    </div>
  );
}

/** A short message in place of the form: used, expired, closed, thank you. */
export function FeedbackMessage({ children, tone = "info" }: { children: ReactNode; tone?: "info" | "success" }) {
  return (
    <div
      role="status"
      className={`rounded-lg p-5 ring-1 ${tone === "success" ? "bg-green-50 text-green-950 ring-green-300" : "bg-white text-slate-900 ring-slate-300"}`}
    >
      {children}
    </div>
  );
}

export function ThankYou({ wantsSupport }: { wantsSupport: boolean }) {
  return (
    <div className="space-y-6">
      <FeedbackMessage tone="success">
        <p className="text-lg font-semibold">Your feedback has been sent.</p>
        <p className="mt-1">Your answers are shared with the trainers and the training coordinator without your name. They help us make the training better.</p>
      </FeedbackMessage>
      {wantsSupport ? <SupportSignpost detailed id="support-after" /> : null}
    </div>
  );
}

function ScaleQuestion({
  meta,
  legend,
  labels,
  optional,
  hint,
}: {
  meta: FieldMetadata<number | undefined>;
  legend: string;
  labels: readonly string[];
  optional?: boolean;
  hint?: string;
}) {
  const initial = meta.initialValue === undefined ? undefined : String(meta.initialValue);
  const hintId = `${meta.id}-hint`;
  const invalid = !!meta.errors?.length;
  return (
    <fieldset id={meta.id} aria-describedby={[hint ? hintId : null, invalid ? meta.errorId : null].filter(Boolean).join(" ") || undefined}>
      <legend className="text-base font-semibold text-slate-900">
        {legend}
        {optional ? <span className="ml-1 font-normal text-slate-600">(optional)</span> : null}
      </legend>
      {hint ? (
        <p id={hintId} className="mt-1 text-sm text-slate-600">
          {hint}
        </p>
      ) : null}
      <FieldErrors id={meta.errorId} errors={meta.errors} />
      {/* A row of five on wider screens; on a phone, one full-width choice per line, easy to tap. */}
      <div className="mt-2 grid gap-2 sm:grid-cols-5">
        {labels.map((label, i) => {
          const value = String(i + 1);
          const id = `${meta.id}-${value}`;
          return (
            <label
              key={value}
              htmlFor={id}
              className={`flex min-h-12 cursor-pointer items-center gap-3 rounded-md bg-white px-3 py-2.5 ring-1 ring-inset has-[:checked]:bg-brand-50 has-[:checked]:ring-2 has-[:checked]:ring-brand-700 has-[:focus-visible]:outline has-[:focus-visible]:outline-3 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-amber-500 sm:flex-col sm:gap-1 sm:px-2 sm:py-3 sm:text-center ${invalid ? "ring-red-700" : "ring-slate-400"}`}
            >
              <input
                id={id}
                type="radio"
                name={meta.name}
                value={value}
                defaultChecked={initial === value}
                key={meta.key}
                className="h-5 w-5 shrink-0 accent-brand-700 focus-visible:outline-none"
              />
              <span className="flex items-baseline gap-2 sm:flex-col sm:items-center sm:gap-0.5">
                <span className="text-lg font-bold text-slate-900">{value}</span> <span className="text-sm text-slate-800">{label}</span>
              </span>
            </label>
          );
        })}
      </div>
    </fieldset>
  );
}

function RecommendQuestion({ meta }: { meta: FieldMetadata<"yes" | "no" | "not_sure"> }) {
  const invalid = !!meta.errors?.length;
  return (
    <fieldset id={meta.id} aria-describedby={invalid ? meta.errorId : undefined}>
      <legend className="text-base font-semibold text-slate-900">Would you recommend this session to a friend?</legend>
      <FieldErrors id={meta.errorId} errors={meta.errors} />
      <div className="mt-2 grid gap-2 sm:max-w-md sm:grid-cols-3">
        {(["yes", "no", "not_sure"] as const).map((value) => {
          const id = `${meta.id}-${value}`;
          return (
            <label
              key={value}
              htmlFor={id}
              className={`flex min-h-12 cursor-pointer items-center gap-3 rounded-md sm:justify-center sm:gap-2 bg-white px-3 py-2.5 font-semibold text-slate-900 ring-1 ring-inset has-[:checked]:bg-brand-50 has-[:checked]:ring-2 has-[:checked]:ring-brand-700 has-[:focus-visible]:outline has-[:focus-visible]:outline-3 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-amber-500 ${invalid ? "ring-red-700" : "ring-slate-400"}`}
            >
              <input
                id={id}
                type="radio"
                name={meta.name}
                value={value}
                defaultChecked={meta.initialValue === value}
                key={meta.key}
                className="h-5 w-5 shrink-0 accent-brand-700 focus-visible:outline-none"
              />
              {RECOMMEND_LABELS[value]}
            </label>
          );
        })}
      </div>
    </fieldset>
  );
}

/**
 * The feedback form, the same for the emailed link and the room's QR code. Ticking "I would like
 * support" only reveals the support details below it (CSS, so it works before any script loads);
 * the server never keeps the choice.
 */
export function FeedbackForm({ lastResult, topic }: { lastResult: SubmissionResult<string[]> | null | undefined; topic: string }) {
  const navigation = useNavigation();
  const [form, fields] = useSchemaForm(FeedbackSchema, {
    id: "feedback",
    lastResult,
    shouldValidate: "onSubmit",
  });
  const support = fields.wantsSupport;
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-8">
      <p className="text-slate-700">
        It takes about two minutes. Your answers do not carry your name, and trainers see them only together with other people&apos;s: a session&apos;s answers
        are shown only once five people who were there have answered by their own emailed link, and until then they count only in the totals for the course.
      </p>
      <FormErrors id={form.errorId} errors={form.errors} />

      <ScaleQuestion meta={fields.rating} legend="Overall, how would you rate the session?" labels={RATING_LABELS} />
      <RecommendQuestion meta={fields.recommend} />

      <div role="group" aria-labelledby="confidence-heading" aria-describedby="confidence-hint" className="space-y-6 rounded-lg bg-slate-100 p-4 sm:p-5">
        <div>
          <p id="confidence-heading" className="text-base font-semibold text-slate-900">
            Your confidence about {topic} <span className="font-normal text-slate-600">(optional)</span>
          </p>
          <p id="confidence-hint" className="mt-1 text-sm text-slate-700">
            If you answer one, please answer both: we compare each person&apos;s before and now.
          </p>
        </div>
        <ScaleQuestion meta={fields.confidenceBefore} legend="Before the session, how confident did you feel?" labels={CONFIDENCE_LABELS} />
        <ScaleQuestion meta={fields.confidenceAfter} legend="Now, how confident do you feel?" labels={CONFIDENCE_LABELS} />
      </div>

      <TextareaField meta={fields.doDifferently} label="What will you do differently after this session?" optional rows={3} />
      <TextareaField
        meta={fields.comments}
        label="Anything else you would like to tell us?"
        optional
        rows={3}
        hint="Please leave out names. This form is not read straight away: to report something that happened, use Report + Support."
      />

      <div className="group/support space-y-4">
        <label
          htmlFor={support.id}
          className="flex min-h-12 cursor-pointer items-start gap-3 rounded-md bg-white p-3 ring-1 ring-inset ring-slate-400 has-[:checked]:ring-2 has-[:checked]:ring-brand-700"
        >
          <input
            id={support.id}
            type="checkbox"
            name={support.name}
            defaultChecked={support.initialValue === "on"}
            key={support.key}
            aria-describedby={`${support.id}-hint`}
            className="mt-0.5 h-5 w-5 shrink-0 accent-brand-700"
          />
          <span>
            <span className="block font-semibold text-slate-900">I would like support</span>
            <span id={`${support.id}-hint`} className="block text-sm text-slate-700">
              Shows you how to reach support, just below. It is not sent to the trainer or kept with your answers.
            </span>
          </span>
        </label>
        <div className="hidden group-has-[:checked]/support:block">
          <SupportSignpost detailed id="support-details" headingLevel={2} />
        </div>
      </div>

      <Button type="submit" className="w-full text-base sm:w-auto" pending={navigation.state === "submitting"}>
        Send feedback
      </Button>
    </Form>
  );
}
