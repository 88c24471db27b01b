import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { getUser } from "#app/auth/guards.server.ts";
import { ROLE_HOME } from "#app/auth/permissions.ts";
import { secureResource } from "#app/utils/security-headers.server.ts";

/** Everyone lands on the home page of their first role; people without an account sign in. */
export const loader = secureResource(async ({ request }: LoaderFunctionArgs) => {
  const user = await getUser(request);
  if (!user) return redirect("/login");
  const first = user.roles[0];
  return redirect(first ? ROLE_HOME[first] : "/account");
});
