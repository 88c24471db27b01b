import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { changePassword } from "#app/auth/change-password.server.ts";
import { providerRequiredFor } from "#app/auth/sso/providers.server.ts";
import { getSession, requireUser } from "#app/auth/guards.server.ts";
import { NEW_PASSWORD_HINT } from "#app/auth/password-advice.ts";
import { ROLE_DESCRIPTIONS, ROLE_LABELS } from "#app/auth/permissions.ts";
import { ChangePasswordSchema } from "#app/auth/schemas.ts";
import { secondFactorRequiredFor, secondFactorStatus } from "#app/auth/second-factor.server.ts";
import { signedInSessions } from "#app/auth/session.server.ts";
import { Button, ButtonLink } from "#app/components/button.tsx";
import { FormErrors, TextField } from "#app/components/field.tsx";
import { Card, PageHeader } from "#app/components/layout.tsx";
import { useSchemaForm } from "#app/components/schema-form.ts";
import { getDb } from "#app/db.server.ts";
import { clientAddressOf } from "#app/utils/client-address.server.ts";
import { formatDateTime } from "#app/utils/dates.ts";
import { isDemoInstance } from "#app/utils/env.server.ts";
import { redirectWithFlash } from "#app/utils/flash.server.ts";
import { readFormData } from "#app/utils/request-body.server.ts";
import { plural } from "#app/utils/plural.ts";

const PASSWORD_FIELDS = ["currentPassword", "newPassword", "confirmNewPassword"];

export const meta: MetaFunction = () => [{ title: "Your account · NeverOK Training" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const [sessions, secondFactor, required] = await Promise.all([
    signedInSessions(db, user.id),
    secondFactorStatus(db, user.id),
    providerRequiredFor(db, user.email),
  ]);
  return {
    user,
    sessionCount: sessions.count,
    lastSignIn: sessions.lastSignIn,
    secondFactor,
    secondFactorRequired: secondFactorRequiredFor(user.roles),
    demo: isDemoInstance(),
    signsInThrough: required?.name ?? null,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const session = (await getSession(request))!;
  const submission = parseWithZod(await readFormData(request), { schema: ChangePasswordSchema });
  if (submission.status !== "success") return data(submission.reply({ hideFields: PASSWORD_FIELDS }), { status: 400 });
  const result = await changePassword(getDb(), user, {
    currentPassword: submission.value.currentPassword,
    newPassword: submission.value.newPassword,
    sessionId: session.sessionId,
    client: clientAddressOf(context),
  });
  if (!result.ok) {
    const reply =
      result.field === "form"
        ? submission.reply({ formErrors: [result.message], hideFields: PASSWORD_FIELDS })
        : submission.reply({ fieldErrors: { [result.field]: [result.message] }, hideFields: PASSWORD_FIELDS });
    return data(reply, { status: result.status });
  }
  const others = result.otherSessionsEnded;
  return redirectWithFlash("/account", {
    kind: "success",
    message: `Your password is changed.${others ? ` You were signed out on ${plural(others, "other device")}.` : ""} We have emailed you to say so.`,
  });
}

export default function AccountPage() {
  const { user, sessionCount, lastSignIn, secondFactor, secondFactorRequired, demo, signsInThrough } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader title="Your account" description={`${user.name} · ${user.email}`} />
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Your roles">
          <ul className="space-y-3">
            {user.roles.map((r) => (
              <li key={r}>
                <p className="font-semibold text-slate-900">{ROLE_LABELS[r]}</p>
                <p className="text-sm text-slate-700">{ROLE_DESCRIPTIONS[r]}</p>
              </li>
            ))}
          </ul>
          <p className="mt-4 text-sm text-slate-600">Roles are given by the training coordinator.</p>
        </Card>
        <Card title="Where you are signed in">
          <p className="text-slate-800">
            You are signed in on {plural(sessionCount, { one: "device or browser", other: "devices or browsers" })}. Sessions end after a week without use, and
            after 30 days in any case.
          </p>
          {lastSignIn ? <p className="mt-2 text-sm text-slate-600">Most recent sign-in: {formatDateTime(lastSignIn)}</p> : null}
          <Form method="post" action="/logout" className="mt-4 flex flex-wrap gap-3">
            <Button type="submit" name="scope" value="this" variant="secondary">
              Sign out here
            </Button>
            <Button type="submit" name="scope" value="everywhere" variant="danger">
              Sign out everywhere
            </Button>
          </Form>
        </Card>
        {signsInThrough ? (
          <Card title="How you sign in">
            <p className="text-slate-800">
              You sign in through {signsInThrough}, with the account and password you have there. To change that password, use {signsInThrough}&apos;s own pages
              or ask your IT service desk.
            </p>
          </Card>
        ) : (
          <ChangePasswordCard email={user.email} />
        )}
        <Card title="Second factor">
          {secondFactor.enrolled ? (
            <>
              <p className="text-slate-800">
                On since {formatDateTime(secondFactor.confirmedAt)}: signing in asks for a code from your authenticator app as well as your password. You have{" "}
                {plural(secondFactor.recoveryCodesLeft, "unused recovery code")}.
              </p>
              <div className="mt-4 flex flex-wrap gap-3">
                <ButtonLink to="/account/second-factor" variant="secondary">
                  Set up a new phone
                </ButtonLink>
                <Form method="post" action="/account/second-factor">
                  <input type="hidden" name="intent" value="recovery-codes" />
                  <Button type="submit" variant="secondary">
                    Make new recovery codes
                  </Button>
                </Form>
              </div>
            </>
          ) : (
            <>
              <p className="text-slate-800">
                A second factor asks for a code from an app on your phone as well as your password, so a password that leaks is not enough to get in.
                {secondFactorRequired
                  ? demo
                    ? " Coordinators and union officers must have one on a real deployment; on this demo it is up to you."
                    : " Coordinators and union officers must have one."
                  : ""}
              </p>
              <ButtonLink to="/account/second-factor" className="mt-4">
                Set up a second factor
              </ButtonLink>
            </>
          )}
        </Card>
      </div>
    </>
  );
}

function ChangePasswordCard({ email }: { email: string }) {
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useSchemaForm(ChangePasswordSchema, {
    id: "change-password",
    lastResult,
    shouldValidate: "onSubmit",
  });
  return (
    <Card title="Change your password">
      <p className="mb-4 text-sm text-slate-700">Every other device signed in to your account is signed out, and we email you to say the password changed.</p>
      <Form method="post" {...getFormProps(form)} className="space-y-4">
        <FormErrors id={form.errorId} errors={form.errors} />
        <input type="text" name="username" autoComplete="username" value={email} readOnly hidden />
        <TextField meta={fields.currentPassword} label="Current password" type="password" autoComplete="current-password" />
        <TextField meta={fields.newPassword} label="New password" type="password" autoComplete="new-password" hint={NEW_PASSWORD_HINT} />
        <TextField meta={fields.confirmNewPassword} label="New password again" type="password" autoComplete="new-password" />
        <Button type="submit" pending={navigation.state === "submitting" && navigation.formAction === "/account"}>
          Change password
        </Button>
      </Form>
    </Card>
  );
}
