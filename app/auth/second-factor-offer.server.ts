import { isDemoInstance } from "#app/utils/env.server.ts";
import { getSession } from "./guards.server.ts";
import { secondFactorRequiredFor } from "./second-factor.server.ts";
import { awaitsSecondFactor } from "./session.server.ts";

/** Set by "Not now": the offer stays away until the browser is closed. */
export const SECOND_FACTOR_LATER_COOKIE = "neverok_second_factor_later";

/**
 * On a local demo a coordinator or union officer without a second factor is offered one on every
 * page (on a deployment they cannot get past setting it up), until they choose "Not now".
 */
export async function offersSecondFactor(request: Request): Promise<boolean> {
  const session = await getSession(request);
  if (!session || awaitsSecondFactor(session) || session.secondFactor.enrolled) return false;
  if (!secondFactorRequiredFor(session.user.roles) || !isDemoInstance()) return false;
  const cookies = request.headers.get("Cookie") ?? "";
  return !cookies.split(";").some((c) => c.trim().startsWith(`${SECOND_FACTOR_LATER_COOKIE}=`));
}
