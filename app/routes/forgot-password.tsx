import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { assertSameOrigin } from "#app/auth/csrf.server.ts";
import { PasswordResetRequestSchema } from "#app/auth/schemas.ts";
import { requestPasswordReset } from "#app/auth/sign-in.server.ts";
import { AuthCard } from "#app/components/auth-card.tsx";
import { Button } from "#app/components/button.tsx";
import { FormErrors, TextField } from "#app/components/field.tsx";
import { useSchemaForm } from "#app/components/schema-form.ts";
import { getDb } from "#app/db.server.ts";
import { readFormData, SHORT_FORM_MAX_BYTES } from "#app/utils/request-body.server.ts";
import { answerAfter } from "#app/utils/steady-answer.server.ts";

export const meta: MetaFunction = () => [{ title: "Forgotten password · NeverOK Training" }];

export async function action({ request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const submission = parseWithZod(await readFormData(request, { maxBytes: SHORT_FORM_MAX_BYTES }), { schema: PasswordResetRequestSchema });
  if (submission.status !== "success") return data({ result: submission.reply(), sentTo: null }, { status: 400 });
  // The same answer, in the same time, whether or not the address has an account: a link is written only for one that has.
  const { signsInThrough } = await answerAfter(() => requestPasswordReset(getDb(), submission.value.email));
  if (signsInThrough) {
    // Said of the whole domain, whether or not this address has an account.
    const message = `Addresses at ${submission.value.email.split("@").pop()} sign in through ${signsInThrough}, so there is no password here to reset. Go back to sign in and choose "Sign in through ${signsInThrough}"; your password there is reset by your IT service desk.`;
    return data({ result: submission.reply({ fieldErrors: { email: [message] } }), sentTo: null }, { status: 400 });
  }
  return { result: submission.reply({ resetForm: true }), sentTo: submission.value.email };
}

export default function ForgotPasswordPage() {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useSchemaForm(PasswordResetRequestSchema, {
    id: "forgot-password",
    lastResult: actionData?.result,
    shouldValidate: "onSubmit",
    shouldRevalidate: "onSubmit",
  });
  if (actionData?.sentTo) {
    return (
      <AuthCard title="Check your email" footer={<Link to="/login">Back to sign in</Link>}>
        <div role="status" className="space-y-3 text-slate-800">
          <p>
            If <strong>{actionData.sentTo}</strong> has an account, we have sent it a link to choose a new password.
          </p>
          <p>The link works once and expires in one hour. If nothing arrives, check your junk folder or ask the training coordinator.</p>
        </div>
      </AuthCard>
    );
  }
  return (
    <AuthCard
      title="Forgotten your password?"
      intro="Enter the email address you sign in with and we will send you a link to choose a new password."
      footer={<Link to="/login">Back to sign in</Link>}
    >
      <Form method="post" {...getFormProps(form)} className="space-y-5">
        <FormErrors id={form.errorId} errors={form.errors} />
        <TextField meta={fields.email} label="Email address" type="email" autoComplete="email" />
        <Button type="submit" className="w-full" pending={navigation.state === "submitting"}>
          Send me a link
        </Button>
      </Form>
    </AuthCard>
  );
}
