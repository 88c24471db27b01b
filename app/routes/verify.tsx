import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { assertSameOrigin } from "#app/auth/csrf.server.ts";
import { getSession } from "#app/auth/guards.server.ts";
import { SecondFactorCodeSchema } from "#app/auth/schemas.ts";
import { proveSecondFactor } from "#app/auth/second-factor.server.ts";
import { awaitsSecondFactor, sessionCookie } from "#app/auth/session.server.ts";
import { retryAfterHeader, tryAgain } from "#app/auth/sign-in-throttle.server.ts";
import { AuthCard } from "#app/components/auth-card.tsx";
import { Button } from "#app/components/button.tsx";
import { FormErrors, TextField } from "#app/components/field.tsx";
import { useSchemaForm } from "#app/components/schema-form.ts";
import { getDb } from "#app/db.server.ts";
import { clientAddressOf } from "#app/utils/client-address.server.ts";
import { flashHeader } from "#app/utils/flash.server.ts";
import { readFormData } from "#app/utils/request-body.server.ts";
import { safeRedirect } from "#app/utils/safe-redirect.ts";

export const meta: MetaFunction = () => [{ title: "Enter your code · NeverOK Training" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await getSession(request);
  const redirectTo = safeRedirect(new URL(request.url).searchParams.get("redirectTo"));
  if (!session) throw redirect(redirectTo === "/" ? "/login" : `/login?${new URLSearchParams({ redirectTo })}`);
  // Nothing to ask for: an account without a second factor goes straight on.
  if (!session.secondFactor.enrolled) throw redirect(redirectTo);
  return { signingIn: awaitsSecondFactor(session), redirectTo, email: session.user.email, viaProvider: session.ssoProviderId !== null };
}

export async function action({ request, context }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const session = await getSession(request);
  if (!session) throw redirect("/login");
  const submission = parseWithZod(await readFormData(request), { schema: SecondFactorCodeSchema });
  if (submission.status !== "success") return data(submission.reply({ hideFields: ["code"] }), { status: 400 });
  const result = await proveSecondFactor(getDb(), session, {
    code: submission.value.code,
    userAgent: request.headers.get("User-Agent"),
    client: clientAddressOf(context),
  });
  if (!result.ok) {
    if (result.reason === "throttled") {
      return data(
        submission.reply({ formErrors: [`Too many wrong codes, so codes are paused for a while. ${tryAgain(result.retryAt)}`], hideFields: ["code"] }),
        { status: 429, headers: retryAfterHeader(result.retryAt) },
      );
    }
    const message = `That code is not right, or has been used already. Enter the six digits your app shows now, or one of your recovery codes.${result.retryAt ? ` ${tryAgain(result.retryAt)}` : ""}`;
    return data(submission.reply({ fieldErrors: { code: [message] }, hideFields: ["code"] }), { status: 400 });
  }
  const headers = new Headers();
  if (result.newSession) headers.append("Set-Cookie", sessionCookie(result.newSession.token, result.newSession.expiresAt));
  if (result.method === "recovery code") {
    const left = result.recoveryCodesLeft;
    headers.append(
      "Set-Cookie",
      await flashHeader({
        kind: "info",
        message: `You used a recovery code; it will not work again, and you have ${left} left. If you have lost your phone, set up your authenticator again under Your account.`,
      }),
    );
  }
  return redirect(submission.value.redirectTo, { headers });
}

export default function VerifyPage() {
  const { signingIn, redirectTo, email, viaProvider } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useSchemaForm(SecondFactorCodeSchema, {
    id: "verify",
    lastResult,
    shouldValidate: "onSubmit",
    shouldRevalidate: "onSubmit",
  });
  return (
    <AuthCard
      title={signingIn ? "Enter your code" : "Confirm it is you"}
      intro={
        <p>
          {signingIn
            ? `${viaProvider ? "Your identity provider has signed you in." : "Your password was right."} To finish signing in as ${email}, open your authenticator app and enter the code it shows for NeverOK Training.`
            : "This needs a fresh code from your authenticator app, because it shows or removes a person's data."}
        </p>
      }
      footer={
        <Form method="post" action="/logout">
          <p>
            Lost your phone? Enter one of the recovery codes you saved instead. Not you?{" "}
            <button type="submit" className="font-semibold text-brand-800 underline">
              Sign out
            </button>
          </p>
        </Form>
      }
    >
      <Form method="post" {...getFormProps(form)} className="space-y-5">
        <FormErrors id={form.errorId} errors={form.errors} />
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <TextField
          meta={fields.code}
          label="Code"
          hint="Six digits from the app, or a recovery code such as abcd-efgh-jkmn-pqrs."
          autoComplete="one-time-code"
        />
        <Button type="submit" className="w-full" pending={navigation.state === "submitting"}>
          {signingIn ? "Sign in" : "Continue"}
        </Button>
      </Form>
    </AuthCard>
  );
}
