import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { providerSignOutUrl } from "#app/auth/sso/oidc.server.ts";
import { getSignInProviderBySlug } from "#app/auth/sso/providers.server.ts";
import { getDb } from "#app/db.server.ts";
import { secureResource } from "#app/utils/security-headers.server.ts";

/** On to the provider's own sign-out, after signing out here; to the front door when it offers none. */
export const loader = secureResource(async ({ params }: LoaderFunctionArgs) => {
  const provider = await getSignInProviderBySlug(getDb(), params.provider ?? "");
  const url = provider?.isEnabled ? await providerSignOutUrl(getDb(), provider) : null;
  return redirect(url ?? "/", { headers: { "Cache-Control": "no-store" } });
});
