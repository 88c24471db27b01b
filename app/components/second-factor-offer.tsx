import { Form, useLocation } from "@remix-run/react";
import { Button, ButtonLink } from "./button.tsx";

/** The local demo's offer of a second factor to coordinators and union officers, which they may put off. */
export function SecondFactorOffer() {
  const location = useLocation();
  if (location.pathname.startsWith("/account/second-factor")) return null;
  const here = location.pathname + location.search;
  return (
    <div className="no-print mb-6 flex flex-col gap-3 rounded-md border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950 sm:flex-row sm:items-center sm:justify-between">
      <p>
        <strong>Protect your account with a second factor:</strong> a code from an app on your phone as well as your password. A real deployment requires one
        for coordinators and union officers.
      </p>
      <div className="flex shrink-0 flex-wrap gap-2">
        <ButtonLink to={`/account/second-factor?${new URLSearchParams({ redirectTo: here })}`}>Set up a second factor</ButtonLink>
        <Form method="post" action="/account/second-factor">
          <input type="hidden" name="intent" value="later" />
          <input type="hidden" name="redirectTo" value={here} />
          <Button type="submit" variant="secondary">
            Not now
          </Button>
        </Form>
      </div>
    </div>
  );
}
