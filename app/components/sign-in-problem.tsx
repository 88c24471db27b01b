import { Link } from "@remix-run/react";
import { AuthCard, OpenSessionsHint } from "./auth-card.tsx";

/** Why signing in through a provider did not work, and the ways on: try the provider again, or the sign-in page. */
export function SignInProblem({ title, text, retry }: { title: string; text: string; retry: { href: string; name: string } | null }) {
  return (
    <AuthCard title={title} footer={<OpenSessionsHint />}>
      <div role="alert" className="rounded-md border border-red-300 bg-red-50 p-4 text-red-900">
        <p>{text}</p>
      </div>
      <ul className="mt-6 space-y-3">
        {retry ? (
          <li>
            <a href={retry.href} className="font-semibold text-brand-800 underline">
              Sign in through {retry.name} again
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
