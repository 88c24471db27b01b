import { Link } from "@remix-run/react";
import { AuthCard, NoAccountNeeded } from "./auth-card.tsx";

/**
 * Why signing in through a provider did not work, and the way on: start again at the provider, or
 * (when the provider vouched for the wrong person) sign out there to come back as another account.
 */
export function SignInProblem({
  title,
  text,
  provider,
  next,
}: {
  title: string;
  text: string;
  provider: { name: string; slug: string } | null;
  next: "start_again" | "switch_account" | null;
}) {
  return (
    <AuthCard title={title} footer={<NoAccountNeeded />}>
      <div role="alert" className="rounded-md border border-red-300 bg-red-50 p-4 text-red-900">
        <p>{text}</p>
      </div>
      <ul className="mt-6 space-y-3">
        {provider && next === "start_again" ? (
          <li>
            <a href={`/auth/sso/${provider.slug}`} className="font-semibold text-brand-800 underline">
              Sign in through {provider.name} again
            </a>
          </li>
        ) : null}
        {provider && next === "switch_account" ? (
          <li>
            <a href={`/auth/sso/${provider.slug}/sign-out`} className="font-semibold text-brand-800 underline">
              Sign out of {provider.name}, to sign in there with another account
            </a>
          </li>
        ) : null}
        <li>
          <Link to="/login" className="font-semibold text-brand-800 underline">
            Back to signing in
          </Link>
        </li>
      </ul>
    </AuthCard>
  );
}
