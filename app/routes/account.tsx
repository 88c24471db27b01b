import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { requireUser } from "#app/auth/guards.server.ts";
import { ROLE_DESCRIPTIONS, ROLE_LABELS } from "#app/auth/permissions.ts";
import { Button } from "#app/components/button.tsx";
import { Card, PageHeader } from "#app/components/layout.tsx";
import { getDb } from "#app/db.server.ts";
import { formatDateTime } from "#app/utils/dates.ts";

export const meta: MetaFunction = () => [{ title: "Your account · NeverOK Training" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const sessions = await getDb()
    .selectFrom("auth_sessions")
    .select(["id", "created_at", "last_verified_at", "user_agent"])
    .where("user_id", "=", user.id)
    .orderBy("created_at", "desc")
    .execute();
  return { user, sessionCount: sessions.length, lastSignIn: sessions[0]?.created_at ?? null };
}

export default function AccountPage() {
  const { user, sessionCount, lastSignIn } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader title="Your account" description={`${user.name} · ${user.email}`} />
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Your roles">
          <ul className="space-y-3">
            {user.roles.map((r) => (
              <li key={r}>
                <p className="font-semibold text-slate-900">{ROLE_LABELS[r]}</p>
                <p className="text-sm text-slate-700">{ROLE_DESCRIPTIONS[r]}</p>
              </li>
            ))}
          </ul>
          <p className="mt-4 text-sm text-slate-600">Roles are given by the training coordinator.</p>
        </Card>
        <Card title="Where you are signed in">
          <p className="text-slate-800">
            You are signed in on {sessionCount} {sessionCount === 1 ? "device or browser" : "devices or browsers"}. Sessions end after a
            week without use, and after 30 days in any case.
          </p>
          <Form method="post" action="/logout" className="mt-4 flex flex-wrap gap-3">
            <Button type="submit" name="scope" value="this" variant="secondary">
              Sign out here
            </Button>
            <Button type="submit" name="scope" value="everywhere" variant="danger">
              Sign out everywhere
            </Button>
          </Form>
        </Card>
        <Card title="Password">
          <p className="text-slate-800">
            To change your password, sign out and use “Forgotten your password?”: we email you a link that works once, for an hour.
          </p>
          {lastSignIn ? <p className="mt-2 text-sm text-slate-600">Most recent sign-in: {formatDateTime(lastSignIn)}</p> : null}
        </Card>
      </div>
    </>
  );
}
