import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requirePermission } from "#app/auth/guards.server.ts";
import { registrationAddresses } from "#app/auth/sso/addresses.ts";
import { checkProviderConnection, listProvidersForAdmin, type ProviderForAdmin } from "#app/auth/sso/provider-admin.server.ts";
import { getSignInProvider } from "#app/auth/sso/providers.server.ts";
import { Button, ButtonLink } from "#app/components/button.tsx";
import { CopyableCode } from "#app/components/copyable-code.tsx";
import { Badge, Card, EmptyState, PageHeader } from "#app/components/layout.tsx";
import { getDb } from "#app/db.server.ts";
import { getEnv } from "#app/utils/env.server.ts";
import { parseId } from "#app/utils/forms.server.ts";
import { plural } from "#app/utils/plural.ts";
import { readFormData } from "#app/utils/request-body.server.ts";

export const meta: MetaFunction = () => [{ title: "Sign-in providers · NeverOK Training" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "manage:users");
  const appUrl = getEnv().APP_URL;
  const providers = await listProvidersForAdmin(getDb());
  return {
    providers: providers.map((p) => ({ ...p, ...registrationAddresses(appUrl, p.slug) })),
    exampleRedirectUri: registrationAddresses(appUrl, "<short-name>").redirectUri,
  };
}

/** Checks that a provider answers; the result is shown beside it and nothing is saved. */
export async function action({ request }: ActionFunctionArgs) {
  await requirePermission(request, "manage:users");
  const formData = await readFormData(request);
  if (formData.get("intent") !== "check") throw data({ message: "We did not understand what you asked for." }, { status: 400 });
  const id = parseId(String(formData.get("providerId") ?? ""));
  const provider = id ? await getSignInProvider(getDb(), id) : null;
  if (!provider) throw data({ message: "That sign-in provider is no longer set up." }, { status: 404 });
  return { check: { providerId: provider.id, ...(await checkProviderConnection(provider)) } };
}

type ProviderRow = ProviderForAdmin & { redirectUri: string; postLogoutRedirectUri: string };

export default function SignInProvidersPage() {
  const { providers, exampleRedirectUri } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title="Sign-in providers"
        description="Let people sign in with their own institution's account (Microsoft Entra ID, Google Workspace, or any OpenID Connect provider). Accounts stay ours: a provider only proves who someone is, and roles are still given here."
        actions={<ButtonLink to="/coordinator/sign-in/new">Add a provider</ButtonLink>}
      />
      <div className="space-y-6">
        {providers.length === 0 ? (
          <EmptyState>No provider is set up: everyone signs in with a password of ours. Add one to offer “Sign in through …” on the sign-in page.</EmptyState>
        ) : (
          <ul className="space-y-4">
            {providers.map((p) => (
              <ProviderCard key={p.id} provider={p} />
            ))}
          </ul>
        )}
        <HowToRegister exampleRedirectUri={exampleRedirectUri} />
      </div>
    </>
  );
}

function ProviderCard({ provider: p }: { provider: ProviderRow }) {
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const checking = navigation.state === "submitting" && navigation.formData?.get("providerId") === String(p.id);
  const check = result?.check.providerId === p.id ? result.check : null;
  const headingId = `provider-${p.id}`;
  const domains = p.emailDomains.join(", ");
  return (
    <li className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
      <div className="flex flex-wrap items-center gap-2">
        <h2 id={headingId} className="text-lg font-semibold text-slate-900">
          <Link to={`/coordinator/sign-in/${p.id}`}>{p.name}</Link>
        </h2>
        {p.isEnabled ? <Badge tone="green">On the sign-in page</Badge> : <Badge tone="slate">Switched off</Badge>}
      </div>
      {p.clientSecretUnreadable ? (
        <p className="mt-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950">
          Its client secret can no longer be read, because the app’s SESSION_SECRET has changed: sign-in through it fails until you{" "}
          <Link to={`/coordinator/sign-in/${p.id}`}>enter the secret again</Link>.
        </p>
      ) : null}
      <dl className="mt-3 grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[12rem_1fr]">
        <dt className="font-semibold text-slate-700">Issuer</dt>
        <dd className="break-all">{p.issuerUrl}</dd>
        <dt className="font-semibold text-slate-700">Email domains</dt>
        <dd>{domains}</dd>
        <dt className="font-semibold text-slate-700">Passwords</dt>
        <dd>
          {p.ssoRequired
            ? `People at ${domains} must sign in through ${p.name}: a password of ours is refused.`
            : "People may also sign in with a password of ours."}
        </dd>
        <dt className="font-semibold text-slate-700">New people</dt>
        <dd>
          {p.bookersMayJoin
            ? `Anyone at ${domains} may sign in as a booker without an invitation.`
            : "Only people already invited (or with an account) may sign in through it."}
        </dd>
        <dt className="font-semibold text-slate-700">Second factor</dt>
        <dd>{p.trustsProviderSecondFactor ? "Not asked again when the provider says it checked one." : "Asked as usual, whatever the provider checked."}</dd>
        <dt className="font-semibold text-slate-700">Linked accounts</dt>
        <dd>{p.linkedAccounts ? `${plural(p.linkedAccounts, "account")} ${p.linkedAccounts === 1 ? "signs" : "sign"} in through it.` : "None yet."}</dd>
        <dt className="font-semibold text-slate-700">Redirect URI</dt>
        <dd>
          <CopyableCode label={`redirect URI for ${p.name}`} value={p.redirectUri} />
        </dd>
        <dt className="font-semibold text-slate-700">Post-logout redirect URI</dt>
        <dd>
          <CopyableCode label={`post-logout redirect URI for ${p.name}`} value={p.postLogoutRedirectUri} />
        </dd>
      </dl>
      <div className="mt-4 flex flex-wrap items-center gap-3">
        <Form method="post">
          <input type="hidden" name="providerId" value={p.id} />
          <Button type="submit" name="intent" value="check" variant="secondary" pending={checking}>
            Check the connection<span className="sr-only"> to {p.name}</span>
          </Button>
        </Form>
        <ButtonLink to={`/coordinator/sign-in/${p.id}`} variant="secondary">
          Change<span className="sr-only"> {p.name}</span>
        </ButtonLink>
      </div>
      <p role="status" className={check ? `mt-3 rounded-md p-3 text-sm ${check.ok ? "bg-green-50 text-green-900" : "bg-red-50 text-red-900"}` : "sr-only"}>
        {check ? (
          <>
            <span className="font-semibold">{check.ok ? "Connected. " : "Not connected. "}</span>
            {check.message}
          </>
        ) : null}
      </p>
    </li>
  );
}

function HowToRegister({ exampleRedirectUri }: { exampleRedirectUri: string }) {
  return (
    <Card title="How to register the app with the provider">
      <div className="space-y-4 text-sm text-slate-800">
        <p>
          The university’s IT team registers this app once. They need the redirect URI shown with each provider above (when adding one, it is{" "}
          <code className="break-all">{exampleRedirectUri}</code>, with the short name you choose) and give you back an issuer address, a client id and a client
          secret.
        </p>
        <section aria-labelledby="register-entra">
          <h3 id="register-entra" className="font-semibold text-slate-900">
            Microsoft Entra ID (Office 365)
          </h3>
          <ol className="mt-1 list-decimal space-y-1 pl-5">
            <li>In the Entra admin centre: App registrations → New registration. Under Redirect URI choose “Web” and paste the redirect URI.</li>
            <li>
              The issuer is <code className="break-all">https://login.microsoftonline.com/&lt;tenant id&gt;/v2.0</code>, with the Directory (tenant) id from the
              app’s Overview page; the client id is its Application (client) id.
            </li>
            <li>Under Certificates &amp; secrets, add a client secret and copy its Value (shown only once). Note when it expires.</li>
            <li>The scopes asked for are openid, email and profile; no admin consent is needed for them.</li>
          </ol>
        </section>
        <section aria-labelledby="register-google">
          <h3 id="register-google" className="font-semibold text-slate-900">
            Google Workspace
          </h3>
          <ol className="mt-1 list-decimal space-y-1 pl-5">
            <li>In the Google Cloud console: APIs &amp; Services → Credentials → Create credentials → OAuth client ID → Web application.</li>
            <li>Paste the redirect URI under Authorised redirect URIs, then copy the client id and client secret.</li>
            <li>
              The issuer is <code>https://accounts.google.com</code>. Set the consent screen to Internal so only your Workspace’s accounts can use it.
            </li>
          </ol>
        </section>
        <p>After saving, use “Check the connection” to see that the provider answers before anyone tries to sign in.</p>
      </div>
    </Card>
  );
}
