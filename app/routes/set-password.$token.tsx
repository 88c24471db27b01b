import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { assertSameOrigin } from "#app/auth/csrf.server.ts";
import { lookupEmailToken } from "#app/auth/email-tokens.server.ts";
import { providerRequiredFor } from "#app/auth/sso/providers.server.ts";
import { SetPasswordSchema } from "#app/auth/schemas.ts";
import { sessionCookie } from "#app/auth/session.server.ts";
import { setPasswordWithToken } from "#app/auth/sign-in.server.ts";
import { AuthCard } from "#app/components/auth-card.tsx";
import { Button, ButtonLink } from "#app/components/button.tsx";
import { FormErrors, TextField } from "#app/components/field.tsx";
import { getDb } from "#app/db.server.ts";
import { flashHeader } from "#app/utils/flash.server.ts";
import { NEW_PASSWORD_HINT } from "#app/auth/password-advice.ts";
import { useSchemaForm } from "#app/components/schema-form.ts";
import { readFormData, SHORT_FORM_MAX_BYTES } from "#app/utils/request-body.server.ts";
import { TOKEN_PAGE_HEADERS, tokenPageHeaders, tokenPageMeta } from "#app/utils/token-page.ts";

export const headers = tokenPageHeaders;
export const meta: MetaFunction = () => tokenPageMeta("Choose a password · NeverOK Training");

// Opening the link only looks the token up: mail scanners open links before people do.
export async function loader({ params }: LoaderFunctionArgs) {
  const found = await lookupEmailToken(getDb(), params.token ?? "");
  if (found.status !== "valid") return data({ status: found.status, purpose: null, email: null, signsInThrough: null }, { headers: TOKEN_PAGE_HEADERS });
  // People whose provider must sign them in choose no password here; the link says where to go instead.
  const required = await providerRequiredFor(getDb(), found.email);
  return data(
    { status: "valid" as const, purpose: found.purpose, email: found.email, signsInThrough: required ? { slug: required.slug, name: required.name } : null },
    { headers: TOKEN_PAGE_HEADERS },
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const submission = parseWithZod(await readFormData(request, { maxBytes: SHORT_FORM_MAX_BYTES }), { schema: SetPasswordSchema });
  if (submission.status !== "success") {
    return data(submission.reply({ hideFields: ["password", "confirm"] }), { status: 400 });
  }
  const result = await setPasswordWithToken(getDb(), {
    token: params.token ?? "",
    password: submission.value.password,
    userAgent: request.headers.get("User-Agent"),
  });
  if (!result.ok) {
    if (result.reason === "sso_required") {
      return data(
        submission.reply({
          formErrors: [`You sign in through ${result.provider}, so there is no password to choose here.`],
          hideFields: ["password", "confirm"],
        }),
        { status: 403 },
      );
    }
    if (result.reason === "weak") {
      return data(submission.reply({ fieldErrors: { password: [result.message] }, hideFields: ["password", "confirm"] }), { status: 400 });
    }
    return data(
      submission.reply({
        formErrors: ["This link has already been used or has expired. Ask for a new one below."],
        hideFields: ["password", "confirm"],
      }),
      { status: 410 },
    );
  }
  const headers = new Headers(TOKEN_PAGE_HEADERS);
  headers.append("Set-Cookie", sessionCookie(result.token, result.expiresAt));
  if (result.awaitsSecondFactor) {
    headers.append(
      "Set-Cookie",
      await flashHeader({ kind: "success", message: "Your password is set. Enter a code from your authenticator app to finish signing in." }),
    );
    return redirect("/verify", { headers });
  }
  headers.append("Set-Cookie", await flashHeader({ kind: "success", message: "Your password is set and you are signed in." }));
  return redirect("/", { headers });
}

const PROBLEMS = {
  expired: "This link has expired. Links to choose a password work for a limited time; ask for a new one.",
  used: "This link has already been used. Each link works once; if you still need to choose a password, ask for a new one.",
  unknown: "This link is not valid. Check that you copied the whole address from the email, or ask for a new one.",
};

export default function SetPasswordPage() {
  const loaderData = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useSchemaForm(SetPasswordSchema, {
    id: "set-password",
    lastResult,
  });

  if (loaderData.status !== "valid") {
    return (
      <AuthCard title="This link cannot be used" footer={<Link to="/login">Back to sign in</Link>}>
        <p className="text-slate-800">{PROBLEMS[loaderData.status]}</p>
        <ButtonLink to="/forgot-password" className="mt-6">
          Get a new link
        </ButtonLink>
      </AuthCard>
    );
  }
  const welcome = loaderData.purpose === "invitation";
  if (loaderData.signsInThrough) {
    const { slug, name } = loaderData.signsInThrough;
    return (
      <AuthCard title={welcome ? "Welcome to NeverOK Training" : "No password to choose"} footer={<Link to="/login">Back to sign in</Link>}>
        <p className="text-slate-800">
          <strong>{loaderData.email}</strong> signs in through {name}, with the account and password you already have there. There is no password to choose
          here.
        </p>
        <a
          href={`/auth/sso/${slug}`}
          className="mt-6 flex min-h-11 w-full items-center justify-center rounded-md bg-brand-800 px-4 py-2 font-semibold text-white no-underline hover:bg-brand-900"
        >
          Sign in through {name}
        </a>
      </AuthCard>
    );
  }
  return (
    <AuthCard
      title={welcome ? "Welcome: choose your password" : "Choose a new password"}
      intro={
        <p>
          For <strong>{loaderData.email}</strong>.
        </p>
      }
    >
      <Form method="post" {...getFormProps(form)} className="space-y-5">
        <FormErrors id={form.errorId} errors={form.errors} />
        <input type="text" name="username" autoComplete="username" value={loaderData.email ?? ""} readOnly hidden />
        <TextField meta={fields.password} label="New password" type="password" autoComplete="new-password" hint={NEW_PASSWORD_HINT} />
        <TextField meta={fields.confirm} label="New password again" type="password" autoComplete="new-password" />
        <Button type="submit" className="w-full" pending={navigation.state === "submitting"}>
          Save password and sign in
        </Button>
      </Form>
    </AuthCard>
  );
}
