import { getFormProps, type Submission } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { requirePermission } from "#app/auth/guards.server.ts";
import { registrationAddresses } from "#app/auth/sso/addresses.ts";
import {
  createSignInProvider,
  getProviderForAdmin,
  removeSignInProvider,
  updateSignInProvider,
  type ProviderForAdmin,
} from "#app/auth/sso/provider-admin.server.ts";
import { RemoveProviderSchema, SignInProviderSchema, type SignInProviderInput } from "#app/auth/sso/schemas.ts";
import { Button, SubmitOrCancel } from "#app/components/button.tsx";
import { CheckboxField, FormErrors, TextField } from "#app/components/field.tsx";
import { Card, PageHeader } from "#app/components/layout.tsx";
import { useSchemaForm } from "#app/components/schema-form.ts";
import { getDb } from "#app/db.server.ts";
import { getEnv } from "#app/utils/env.server.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { redirectWithFlash } from "#app/utils/flash.server.ts";
import { findByParam } from "#app/utils/forms.server.ts";
import { plural } from "#app/utils/plural.ts";
import { readFormData } from "#app/utils/request-body.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.provider?.name ?? "New sign-in provider"} · NeverOK Training` }];

const LIST = "/coordinator/sign-in";
// The secret is never sent back to the browser, not even the one just typed into a refused form.
const HIDDEN = ["clientSecret"];

/** "new" for a blank form, or a provider that is set up: anything else is a 404. */
async function providerFromAddress(param: string | undefined): Promise<ProviderForAdmin | null> {
  if (param === "new") return null;
  return findByParam(param, (id) => getProviderForAdmin(getDb(), id), "That sign-in provider is not set up.");
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "manage:users");
  const provider = await providerFromAddress(params.providerId);
  return { provider, redirectUri: registrationAddresses(getEnv().APP_URL, provider?.slug ?? "short-name").redirectUri };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requirePermission(request, "manage:users");
  const formData = await readFormData(request);
  const provider = await providerFromAddress(params.providerId);
  const intent = formData.get("intent");
  if (provider && intent === "remove") {
    const submission = parseWithZod(formData, { schema: RemoveProviderSchema });
    if (submission.status !== "success") return data({ form: "remove" as const, result: submission.reply() }, { status: 400 });
    try {
      const removed = await removeSignInProvider(getDb(), actor, provider.id);
      return redirectWithFlash(LIST, {
        kind: "success",
        message:
          `Removed ${removed.name}. ${removed.linkedAccounts ? `${plural(removed.linkedAccounts, "account")} no longer sign in through it.` : ""}`.trim(),
      });
    } catch (err) {
      if (err instanceof RuleViolation) return redirectWithFlash(LIST, { kind: "error", message: err.message });
      throw err;
    }
  }
  if (intent !== null) throw data({ message: "We did not understand what you asked for." }, { status: 400 });
  const submission = parseWithZod(formData, { schema: SignInProviderSchema }) as Submission<SignInProviderInput>;
  if (submission.status !== "success") return data({ form: "provider" as const, result: submission.reply({ hideFields: HIDDEN }) }, { status: 400 });
  try {
    if (provider) await updateSignInProvider(getDb(), actor, provider.id, submission.value);
    else await createSignInProvider(getDb(), actor, submission.value);
  } catch (err) {
    if (!(err instanceof RuleViolation)) throw err;
    const result =
      err.field === "form" || err.field === "forbidden"
        ? submission.reply({ formErrors: [err.message], hideFields: HIDDEN })
        : submission.reply({ fieldErrors: { [err.field]: [err.message] }, hideFields: HIDDEN });
    return data({ form: "provider" as const, result }, { status: 400 });
  }
  return redirectWithFlash(LIST, {
    kind: "success",
    message: provider
      ? `Saved the changes to ${submission.value.name}.`
      : `Added ${submission.value.name}. Give the provider's IT team the redirect URI below, then check the connection.`,
  });
}

export default function SignInProviderPage() {
  const { provider, redirectUri } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const [form, fields] = useSchemaForm(SignInProviderSchema, {
    id: `sign-in-provider-${provider?.id ?? "new"}`,
    lastResult: answer?.form === "provider" ? answer.result : undefined,
    defaultValue: provider
      ? {
          name: provider.name,
          slug: provider.slug,
          issuerUrl: provider.issuerUrl,
          clientId: provider.clientId,
          publicClient: !provider.hasClientSecret,
          emailDomains: provider.emailDomains.join(", "),
          ssoRequired: provider.ssoRequired,
          bookersMayJoin: provider.bookersMayJoin,
          trustsProviderSecondFactor: provider.trustsProviderSecondFactor,
          isEnabled: provider.isEnabled,
        }
      : { isEnabled: true },
  });
  const secretHint = !provider
    ? "From the provider's registration of this app; blank only for a public client. It is stored sealed and never shown again."
    : provider.hasClientSecret
      ? "A secret is saved and never shown. Leave this blank to keep it, or type the new one to replace it."
      : "None is saved: this is a public client.";
  return (
    <>
      <PageHeader
        title={provider ? provider.name : "Add a sign-in provider"}
        description="People at its email domains see “Sign in through …” on the sign-in page. Their accounts, roles and organisations stay as you set them here."
      />
      <div className="space-y-6">
        <Card className="max-w-3xl">
          <Form method="post" {...getFormProps(form)} className="space-y-6">
            <FormErrors id={form.errorId} errors={form.errors} />
            <div className="grid gap-5 sm:grid-cols-2">
              <TextField meta={fields.name} label="Name on the button" hint="As people know it: “Sign in through University of Sussex”." />
              <TextField
                meta={fields.slug}
                label="Short name"
                optional
                hint={
                  provider
                    ? `Part of the redirect URI registered at the provider (${redirectUri}). Changing it breaks sign-in until the provider's registration is changed to match; left blank, it stays as it is.`
                    : `Part of the redirect URI (${redirectUri}). Leave it blank and it is made from the name. Lower-case letters, digits and hyphens.`
                }
              />
            </div>
            <TextField
              meta={fields.issuerUrl}
              label="Issuer address"
              type="url"
              placeholder="https://"
              hint="For Entra ID https://login.microsoftonline.com/<tenant id>/v2.0; for Google https://accounts.google.com."
            />
            <div className="grid gap-5 sm:grid-cols-2">
              <TextField meta={fields.clientId} label="Client id" autoComplete="off" />
              <TextField
                meta={fields.clientSecret}
                label="Client secret"
                optional={Boolean(provider)}
                type="password"
                autoComplete="new-password"
                hint={secretHint}
              />
            </div>
            <CheckboxField
              meta={fields.publicClient}
              label="Public client (no secret)"
              hint={provider?.hasClientSecret ? "Tick to remove the saved secret." : "Only if the provider gave no secret: sign-in then relies on PKCE alone."}
            />
            <TextField
              meta={fields.emailDomains}
              label="Email domains"
              hint="The part after the @, separated by commas: sussex.ac.uk, sussexstudent.com. Only people at these domains are sent to this provider."
            />
            <fieldset className="space-y-4">
              <legend className="text-sm font-semibold text-slate-900">What signing in through it allows</legend>
              <CheckboxField
                meta={fields.ssoRequired}
                label="People at these domains must sign in through this provider"
                hint="Their password here is refused. Keep passwords for people outside the institution: venue managers, freelance trainers."
              />
              <CheckboxField
                meta={fields.bookersMayJoin}
                label="Let people at these domains sign in as bookers without an invitation"
                hint="Otherwise only people you have invited can sign in through it."
              />
              <CheckboxField
                meta={fields.trustsProviderSecondFactor}
                label="Do not ask for our second factor when the provider says it checked one"
                hint="Only if the institution requires its own second factor (multi-factor authentication)."
              />
              <CheckboxField meta={fields.isEnabled} label="Show it on the sign-in page" hint="Untick to switch it off without losing its settings." />
            </fieldset>
            <SubmitOrCancel cancelTo={LIST}>{provider ? "Save changes" : "Add provider"}</SubmitOrCancel>
          </Form>
        </Card>
        {provider ? <RemoveProvider provider={provider} lastResult={answer?.form === "remove" ? answer.result : undefined} /> : null}
      </div>
    </>
  );
}

function RemoveProvider({ provider, lastResult }: { provider: ProviderForAdmin; lastResult: Parameters<typeof useSchemaForm>[1]["lastResult"] }) {
  const [form, fields] = useSchemaForm(RemoveProviderSchema, { id: `remove-provider-${provider.id}`, lastResult, shouldValidate: "onSubmit" });
  const domains = provider.emailDomains.join(", ");
  return (
    <Card title="Remove this provider" className="max-w-3xl">
      <div className="space-y-3 text-sm text-slate-800">
        <p>
          {provider.linkedAccounts
            ? `${plural(provider.linkedAccounts, "account")} ${provider.linkedAccounts === 1 ? "is" : "are"} linked to it. Removing it unlinks ${provider.linkedAccounts === 1 ? "it" : "them all"}, and anyone signed in through it is signed out.`
            : "No account is linked to it yet."}{" "}
          To stop it for a while instead, untick “Show it on the sign-in page”.
        </p>
        {provider.ssoRequired ? (
          <p className="rounded-md border border-amber-300 bg-amber-50 p-3 text-amber-950">
            People at {domains} must sign in through this provider
            {provider.linkedWithoutPassword
              ? `, and ${plural(provider.linkedWithoutPassword, { one: "of them has", other: "of them have" })} no password here`
              : ""}
            . Once it is removed they cannot sign in until each is sent a password-reset link, from their page under People.
          </p>
        ) : null}
        <Form method="post" {...getFormProps(form)} className="space-y-4">
          <FormErrors id={form.errorId} errors={form.errors} />
          <CheckboxField
            meta={fields.confirm}
            label={
              provider.linkedAccounts ? `Yes, remove ${provider.name} and unlink ${plural(provider.linkedAccounts, "account")}` : `Yes, remove ${provider.name}`
            }
          />
          <Button type="submit" name="intent" value="remove" variant="danger">
            Remove {provider.name}
          </Button>
        </Form>
      </div>
    </Card>
  );
}
