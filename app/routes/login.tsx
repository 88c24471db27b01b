import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { assertSameOrigin } from "#app/auth/csrf.server.ts";
import { requireAnonymous } from "#app/auth/guards.server.ts";
import { SignInSchema } from "#app/auth/schemas.ts";
import { sessionCookie } from "#app/auth/session.server.ts";
import { signIn } from "#app/auth/sign-in.server.ts";
import { retryAfterHeader, tryAgain } from "#app/auth/sign-in-throttle.server.ts";
import { AuthCard } from "#app/components/auth-card.tsx";
import { Button } from "#app/components/button.tsx";
import { FormErrors, TextField } from "#app/components/field.tsx";
import { useSchemaForm } from "#app/components/schema-form.ts";
import { getDb } from "#app/db.server.ts";
import { clientAddressOf } from "#app/utils/client-address.server.ts";
import { readFormData, SHORT_FORM_MAX_BYTES } from "#app/utils/request-body.server.ts";
import { safeRedirect } from "#app/utils/safe-redirect.ts";

export const meta: MetaFunction = () => [{ title: "Sign in · NeverOK Training" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  return { redirectTo: safeRedirect(new URL(request.url).searchParams.get("redirectTo")) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const formData = await readFormData(request, { maxBytes: SHORT_FORM_MAX_BYTES });
  const submission = parseWithZod(formData, { schema: SignInSchema });
  if (submission.status !== "success") {
    return data(submission.reply({ hideFields: ["password"] }), { status: 400 });
  }
  const { email, password, redirectTo } = submission.value;
  const result = await signIn(getDb(), { email, password, userAgent: request.headers.get("User-Agent"), client: clientAddressOf(context) });
  if (!result.ok) {
    if (result.reason === "throttled") {
      return data(
        submission.reply({
          formErrors: [
            `Too many failed attempts to sign in, to this account or from this network. For your security, signing in is paused for a short while. ${tryAgain(result.retryAt)} If you have forgotten your password, choose a new one instead.`,
          ],
          hideFields: ["password"],
        }),
        { status: 429, headers: retryAfterHeader(result.retryAt) },
      );
    }
    return data(
      submission.reply({
        formErrors: [
          `That email address and password do not match an account. Check them and try again.${result.retryAt ? ` ${tryAgain(result.retryAt)}` : ""}`,
        ],
        hideFields: ["password"],
      }),
      { status: 400 },
    );
  }
  const headers = { "Set-Cookie": sessionCookie(result.token, result.expiresAt) };
  if (result.awaitsSecondFactor) return redirect(redirectTo === "/" ? "/verify" : `/verify?${new URLSearchParams({ redirectTo })}`, { headers });
  return redirect(redirectTo, { headers });
}

export default function LoginPage() {
  const lastResult = useActionData<typeof action>();
  const { redirectTo } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const [form, fields] = useSchemaForm(SignInSchema, {
    id: "login",
    lastResult,
    shouldValidate: "onSubmit",
  });
  return (
    <AuthCard
      title="Sign in"
      intro="For coordinators, trainers, bookers and union officers. Attendees do not need an account."
      footer={
        <>
          <p>
            Forgotten your password? <Link to="/forgot-password">Get a link to choose a new one</Link>.
          </p>
          <p className="mt-2">
            Coming to a session?{" "}
            <Link to="/sessions/open" className="underline">
              See the open sessions and sign up
            </Link>
            : no account needed.
          </p>
        </>
      }
    >
      <Form method="post" {...getFormProps(form)} className="space-y-5">
        <FormErrors id={form.errorId} errors={form.errors} />
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <TextField meta={fields.email} label="Email address" type="email" autoComplete="email" />
        <TextField meta={fields.password} label="Password" type="password" autoComplete="current-password" />
        <Button type="submit" className="w-full" pending={navigation.state === "submitting"}>
          {navigation.state === "submitting" ? "Signing in…" : "Sign in"}
        </Button>
      </Form>
    </AuthCard>
  );
}
