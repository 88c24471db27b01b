import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { getSession, mustSetUpSecondFactor, requireUser, returnAddress } from "#app/auth/guards.server.ts";
import {
  beginSecondFactorSetup,
  confirmSecondFactorSetup,
  ISSUER,
  provedRecently,
  replaceRecoveryCodes,
  secondFactorRequiredFor,
} from "#app/auth/second-factor.server.ts";
import { ConfirmSecondFactorSchema } from "#app/auth/schemas.ts";
import { SECOND_FACTOR_LATER_COOKIE } from "#app/auth/second-factor-offer.server.ts";
import { Button, ButtonLink } from "#app/components/button.tsx";
import { FormErrors, TextField } from "#app/components/field.tsx";
import { Card, PageHeader } from "#app/components/layout.tsx";
import { useSchemaForm } from "#app/components/schema-form.ts";
import { getSignInProvider } from "#app/auth/sso/providers.server.ts";
import { getDb } from "#app/db.server.ts";
import { clientAddressOf } from "#app/utils/client-address.server.ts";
import { isDemoInstance } from "#app/utils/env.server.ts";
import { qrCodeSvg } from "#app/utils/qr-code.server.ts";
import { readFormData } from "#app/utils/request-body.server.ts";
import { safeRedirect } from "#app/utils/safe-redirect.ts";

// The secret and the recovery codes are on this page: never kept by a browser or a proxy.
const NO_STORE = { "Cache-Control": "no-store" };
export const headers: HeadersFunction = () => NO_STORE;
export const meta: MetaFunction = () => [{ title: "Second factor · NeverOK Training" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, { beforeSecondFactor: true });
  const session = (await getSession(request))!;
  // Setting up a new phone in place of one in use needs a code from the one in use.
  if (session.secondFactor.enrolled && !provedRecently(session)) {
    throw redirect(`/verify?${new URLSearchParams({ redirectTo: returnAddress(request) })}`);
  }
  const setup = await beginSecondFactorSetup(getDb(), user);
  const provider = session.ssoProviderId ? await getSignInProvider(getDb(), session.ssoProviderId) : null;
  const required = secondFactorRequiredFor(user.roles);
  return data(
    {
      email: user.email,
      issuer: ISSUER,
      secretGroups: setup.secret.match(/.{1,4}/g) ?? [],
      qrSvg: await qrCodeSvg(setup.uri, "QR code to add NeverOK Training to your authenticator app"),
      replacing: session.secondFactor.enrolled,
      mustSetUp: mustSetUpSecondFactor(session),
      mayPutOff: required && isDemoInstance() && !session.secondFactor.enrolled,
      redirectTo: safeRedirect(new URL(request.url).searchParams.get("redirectTo")),
      // Signed in through a provider: that sign-in stands for the password, which they may not have here.
      viaProvider: provider ? { name: provider.name, slug: provider.slug } : null,
    },
    { headers: NO_STORE },
  );
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requireUser(request, { beforeSecondFactor: true });
  const session = (await getSession(request))!;
  const formData = await readFormData(request);
  const intent = formData.get("intent");

  if (intent === "later") {
    // Only offered, never required, on a local demo: hide the offer until the browser closes.
    const back = safeRedirect(String(formData.get("redirectTo") ?? ""), returnAddress(request));
    if (mustSetUpSecondFactor(session)) throw redirect("/account/second-factor");
    return redirect(back, { headers: { "Set-Cookie": `${SECOND_FACTOR_LATER_COOKIE}=1; Path=/; HttpOnly; SameSite=Lax` } });
  }

  if (intent === "recovery-codes") {
    if (!provedRecently(session)) throw redirect(`/verify?${new URLSearchParams({ redirectTo: "/account" })}`);
    const replaced = await replaceRecoveryCodes(getDb(), session);
    if (!replaced.ok) return data({ form: "recovery-codes" as const, message: replaced.message }, { status: 409, headers: NO_STORE });
    return data({ form: "done" as const, recoveryCodes: replaced.recoveryCodes, redirectTo: "/account", fresh: true }, { headers: NO_STORE });
  }

  const submission = parseWithZod(formData, { schema: ConfirmSecondFactorSchema });
  if (submission.status !== "success") {
    return data({ form: "confirm" as const, result: submission.reply({ hideFields: ["code", "currentPassword"] }) }, { status: 400, headers: NO_STORE });
  }
  const result = await confirmSecondFactorSetup(getDb(), session, {
    code: submission.value.code,
    currentPassword: submission.value.currentPassword ?? null,
    client: clientAddressOf(context),
  });
  if (!result.ok) {
    const reply =
      result.field === "form"
        ? submission.reply({ formErrors: [result.message], hideFields: ["code", "currentPassword"] })
        : submission.reply({ fieldErrors: { [result.field]: [result.message] }, hideFields: ["code", "currentPassword"] });
    return data({ form: "confirm" as const, result: reply }, { status: result.status, headers: NO_STORE });
  }
  return data({ form: "done" as const, recoveryCodes: result.recoveryCodes, redirectTo: submission.value.redirectTo, fresh: false }, { headers: NO_STORE });
}

export default function SecondFactorPage() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  if (actionData?.form === "done") return <RecoveryCodes codes={actionData.recoveryCodes} next={actionData.redirectTo} fresh={actionData.fresh} />;
  return <SetUp {...loaderData} confirmResult={actionData?.form === "confirm" ? actionData.result : undefined} />;
}

function SetUp({
  email,
  issuer,
  secretGroups,
  qrSvg,
  replacing,
  mustSetUp,
  mayPutOff,
  redirectTo,
  viaProvider,
  confirmResult,
}: ReturnType<typeof useLoaderData<typeof loader>> & { confirmResult?: SubmissionResult<string[]> }) {
  const navigation = useNavigation();
  const [form, fields] = useSchemaForm(ConfirmSecondFactorSchema, {
    id: "confirm-second-factor",
    lastResult: confirmResult,
    shouldValidate: "onSubmit",
    shouldRevalidate: "onSubmit",
  });
  return (
    <>
      <PageHeader
        title={replacing ? "Set up a new phone" : "Set up a second factor"}
        description={
          mustSetUp
            ? "Coordinators and union officers see personal data about many people, so their accounts need a code from a phone as well as a password. Set it up to carry on."
            : "Signing in will ask for a code from an app on your phone as well as your password, so a password that leaks is not enough to get in."
        }
      />
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="1. Add NeverOK Training to an authenticator app">
          <p className="text-slate-800">
            Use any authenticator app (for example Microsoft Authenticator, Google Authenticator, 1Password or Bitwarden). Scan this QR code with it:
          </p>
          <figure className="mx-auto mt-4 w-56 max-w-full" aria-labelledby="qr-caption">
            <div className="rounded-md bg-white ring-1 ring-slate-200" dangerouslySetInnerHTML={{ __html: qrSvg }} />
            <figcaption id="qr-caption" className="mt-2 text-center text-sm text-slate-600">
              {issuer} · {email}
            </figcaption>
          </figure>
          <p className="mt-4 text-slate-800">Or, if the app cannot scan, choose to type a key and enter this one (time-based, six digits):</p>
          <p className="mt-2 break-all rounded-md bg-slate-100 p-3 font-mono text-lg tracking-wider text-slate-900" aria-label="Key to type into the app">
            <span data-secret={secretGroups.join("")}>{secretGroups.join(" ")}</span>
          </p>
        </Card>
        <Card title="2. Confirm with the first code">
          <Form method="post" {...getFormProps(form)} className="space-y-4">
            <FormErrors id={form.errorId} errors={form.errors} />
            <input type="hidden" name="intent" value="confirm" />
            <input type="hidden" name="redirectTo" value={redirectTo} />
            <input type="text" name="username" autoComplete="username" value={email} readOnly hidden />
            <TextField meta={fields.code} label="Code from the app" hint="The six digits it shows now." autoComplete="one-time-code" inputMode="numeric" />
            {viaProvider ? (
              <p className="text-sm text-slate-700">
                You signed in through {viaProvider.name}, which stands for your password here if it was in the last 15 minutes. Otherwise{" "}
                <a href={`/auth/sso/${viaProvider.slug}?${new URLSearchParams({ reauth: "1", redirectTo: "/account/second-factor" })}`} className="underline">
                  sign in through {viaProvider.name} again
                </a>{" "}
                first.
              </p>
            ) : (
              <TextField meta={fields.currentPassword} label="Your current password" type="password" autoComplete="current-password" />
            )}
            <Button type="submit" pending={navigation.state === "submitting"}>
              {replacing ? "Use this phone from now on" : "Turn on the second factor"}
            </Button>
          </Form>
          {mayPutOff ? (
            <Form method="post" className="mt-6 border-t border-slate-200 pt-4">
              <input type="hidden" name="intent" value="later" />
              <input type="hidden" name="redirectTo" value={redirectTo} />
              <p className="text-sm text-slate-700">This is a local demo, so a second factor is offered, not required.</p>
              <Button type="submit" variant="secondary" className="mt-2">
                Not now
              </Button>
            </Form>
          ) : replacing ? (
            <p className="mt-6 text-sm">
              <Link to="/account">Keep the phone you have</Link>
            </p>
          ) : null}
        </Card>
      </div>
    </>
  );
}

function RecoveryCodes({ codes, next, fresh }: { codes: string[]; next: string; fresh: boolean }) {
  return (
    <>
      <PageHeader
        title={fresh ? "Your new recovery codes" : "The second factor is on"}
        description="If you lose your phone, each of these codes signs you in once in place of a code from the app."
      />
      <Card>
        <div role="status" className="space-y-3 text-slate-800">
          <p className="font-semibold">Save these recovery codes now: they are shown only this once.</p>
          <p>Keep them in a password manager or print them and keep them somewhere safe. Each works once.{fresh ? " The old ones no longer work." : ""}</p>
        </div>
        <ol aria-label="Recovery codes" className="mt-4 grid gap-2 font-mono text-lg text-slate-900 sm:grid-cols-2">
          {codes.map((c) => (
            <li key={c} className="rounded-md bg-slate-100 px-3 py-2">
              {c}
            </li>
          ))}
        </ol>
        <ButtonLink to={next} className="mt-6">
          I have saved them, carry on
        </ButtonLink>
      </Card>
    </>
  );
}
