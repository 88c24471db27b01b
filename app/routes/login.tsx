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
import { AuthCard, NoAccountNeeded } from "#app/components/auth-card.tsx";
import { Button } from "#app/components/button.tsx";
import { FormErrors, TextField } from "#app/components/field.tsx";
import { useSchemaForm } from "#app/components/schema-form.ts";
import { listSignInProviders } from "#app/auth/sso/providers.server.ts";
import { getDb } from "#app/db.server.ts";
import { clientAddressOf } from "#app/utils/client-address.server.ts";
import { readFormData, SHORT_FORM_MAX_BYTES } from "#app/utils/request-body.server.ts";
import { safeRedirect } from "#app/utils/safe-redirect.ts";

export const meta: MetaFunction = () => [{ title: "Sign in · NeverOK Training" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  const url = new URL(request.url);
  const providers = (await listSignInProviders(getDb(), { enabledOnly: true })).map((p) => ({ slug: p.slug, name: p.name }));
  // After signing out of a session that came through a provider: its own sign-out, one step away.
  const signedOutOf = providers.find((p) => p.slug === url.searchParams.get("signedOutOf")) ?? null;
  return { redirectTo: safeRedirect(url.searchParams.get("redirectTo")), providers, signedOutOf };
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
    if (result.reason === "sso_required") {
      const { provider, domain } = result;
      return data(
        submission.reply({
          fieldErrors: {
            email: [`People at ${domain} sign in through ${provider.name}, not with a password here. Use "Sign in through ${provider.name}" above.`],
          },
          hideFields: ["password"],
        }),
        { status: 400 },
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
  const { redirectTo, providers, signedOutOf } = useLoaderData<typeof loader>();
  const query = redirectTo === "/" ? "" : `?${new URLSearchParams({ redirectTo })}`;
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
          <NoAccountNeeded className="mt-2" />
        </>
      }
    >
      {signedOutOf ? (
        <div role="status" className="mb-6 rounded-md border border-amber-300 bg-amber-50 p-4 text-amber-950">
          <p>You may still be signed in to {signedOutOf.name} on this device, which would sign you straight back in here.</p>
          <p className="mt-2">
            <a href={`/auth/sso/${signedOutOf.slug}/sign-out`} className="font-semibold underline">
              Sign out of {signedOutOf.name} too
            </a>
          </p>
        </div>
      ) : null}
      {providers.length > 0 ? (
        <div className="mb-6">
          <ul className="space-y-3">
            {providers.map((p) => (
              <li key={p.slug}>
                {/* A link, not a form: it leads to the provider's own sign-in page. */}
                <a
                  href={`/auth/sso/${p.slug}${query}`}
                  className="flex min-h-11 w-full items-center justify-center rounded-md border-2 border-brand-800 bg-white px-4 py-2 text-center font-semibold text-brand-800 no-underline hover:bg-brand-50 focus-visible:outline-3 focus-visible:outline-offset-2 focus-visible:outline-amber-600"
                >
                  Sign in through {p.name}
                </a>
              </li>
            ))}
          </ul>
          <p className="mt-6 flex items-center gap-3 text-center text-sm text-slate-700">
            <span aria-hidden="true" className="h-px min-w-6 flex-1 bg-slate-300" />
            or sign in with your password
            <span aria-hidden="true" className="h-px min-w-6 flex-1 bg-slate-300" />
          </p>
        </div>
      ) : null}
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
