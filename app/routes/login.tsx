import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { assertSameOrigin } from "#app/auth/csrf.server.ts";
import { requireAnonymous } from "#app/auth/guards.server.ts";
import { sessionCookie } from "#app/auth/session.server.ts";
import { signIn } from "#app/auth/sign-in.server.ts";
import { AuthCard } from "#app/components/auth-card.tsx";
import { Button } from "#app/components/button.tsx";
import { FormErrors, TextField } from "#app/components/field.tsx";
import { getDb } from "#app/db.server.ts";
import { formatTime } from "#app/utils/dates.ts";
import { now } from "#app/utils/time.ts";
import { EmailSchema, RedirectToSchema } from "#app/utils/validation.ts";
import { readFormData, SHORT_FORM_MAX_BYTES } from "#app/utils/request-body.server.ts";

const LoginSchema = z.object({
  email: EmailSchema,
  password: z.string({ error: "Enter your password" }).min(1, { error: "Enter your password" }).max(200),
  redirectTo: RedirectToSchema,
});

export const meta: MetaFunction = () => [{ title: "Sign in · NeverOK Training" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const formData = await readFormData(request, { maxBytes: SHORT_FORM_MAX_BYTES });
  const submission = parseWithZod(formData, { schema: LoginSchema });
  if (submission.status !== "success") {
    return data(submission.reply({ hideFields: ["password"] }), { status: 400 });
  }
  const { email, password, redirectTo } = submission.value;
  const result = await signIn(getDb(), { email, password, userAgent: request.headers.get("User-Agent") });
  if (!result.ok) {
    if (result.reason === "locked") {
      const minutes = Math.max(1, Math.ceil((result.lockedUntil.getTime() - now().getTime()) / 60_000));
      return data(
        submission.reply({
          formErrors: [
            `Too many failed attempts to sign in to this account. For your security, signing in is paused until ${formatTime(result.lockedUntil)} (about ${minutes} minutes). You can reset your password instead.`,
          ],
          hideFields: ["password"],
        }),
        { status: 429 },
      );
    }
    return data(
      submission.reply({
        formErrors: ["That email address and password do not match an account. Check them and try again."],
        hideFields: ["password"],
      }),
      { status: 400 },
    );
  }
  return redirect(redirectTo, { headers: { "Set-Cookie": sessionCookie(result.token, result.expiresAt) } });
}

export default function LoginPage() {
  const lastResult = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "login",
    lastResult,
    constraint: getZodConstraint(LoginSchema),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: LoginSchema }),
  });
  return (
    <AuthCard
      title="Sign in"
      intro="For coordinators, trainers, bookers and union officers. Attendees do not need an account."
      footer={
        <p>
          Forgotten your password? <Link to="/forgot-password">Get a link to choose a new one</Link>.
        </p>
      }
    >
      <Form method="post" {...getFormProps(form)} className="space-y-5">
        <FormErrors id={form.errorId} errors={form.errors} />
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? ""} />
        <TextField meta={fields.email} label="Email address" type="email" autoComplete="email" />
        <TextField meta={fields.password} label="Password" type="password" autoComplete="current-password" />
        <Button type="submit" className="w-full" pending={navigation.state === "submitting"}>
          {navigation.state === "submitting" ? "Signing in…" : "Sign in"}
        </Button>
      </Form>
    </AuthCard>
  );
}
