import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { getUser } from "#app/auth/guards.server.ts";
import { ROLE_HOME } from "#app/auth/permissions.ts";

/** Everyone lands on the home page of their first role; people without an account sign in. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  if (!user) return redirect("/login");
  const first = user.roles[0];
  return redirect(first ? ROLE_HOME[first] : "/account");
}
