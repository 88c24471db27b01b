import { data, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import { requirePermission } from "#app/auth/guards.server.ts";
import { Button, ButtonLink } from "#app/components/button.tsx";
import { Badge, Card, EmptyState, PageHeader } from "#app/components/layout.tsx";
import { confirmMatch, dismissMatch, nearMisses } from "#app/compliance/compliance.server.ts";
import { yearFromQuery } from "#app/compliance/page-year.server.ts";
import { listLeaderYears } from "#app/compliance/roles.server.ts";
import { whyShown } from "#app/compliance/near-miss.ts";
import { Pager } from "#app/components/pager.tsx";
import { pageWindow } from "#app/utils/paging.ts";
import { academicYearLabel } from "#app/compliance/rules.ts";
import { MatchSchema } from "#app/compliance/schemas.ts";
import { getDb } from "#app/db.server.ts";
import { formatDay } from "#app/utils/dates.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { redirectWithFlash } from "#app/utils/flash.server.ts";
import { readFormData } from "#app/utils/request-body.server.ts";

const PAGE_HEADERS = { "Cache-Control": "no-store" };
export const headers: HeadersFunction = () => PAGE_HEADERS;
export const meta: MetaFunction = () => [{ title: "Possible matches · NeverOK Training" }];

/** Near-misses a page: a city's registers can hold thousands, each a card with two forms. */
const MATCHES_PAGE_SIZE = 25;

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "manage:leaders");
  const db = getDb();
  const year = await yearFromQuery(db, request);
  const years = (await listLeaderYears(db)).map((y) => ({ startYear: y.startYear, label: y.label }));
  if (!year)
    return data(
      { year: null, years, misses: [], page: pageWindow(0, 1, MATCHES_PAGE_SIZE), rolesByPerson: {} as Record<number, string[]> },
      { headers: PAGE_HEADERS },
    );
  // Worked out for the whole roster once for each record version; a page is a slice of it.
  const all = await nearMisses(db, year.startYear);
  const asked = Number(new URL(request.url).searchParams.get("page"));
  const page = pageWindow(all.length, Number.isInteger(asked) && asked > 0 ? asked : 1, MATCHES_PAGE_SIZE);
  const misses = all.slice(page.offset, page.offset + MATCHES_PAGE_SIZE);
  const personIds = [...new Set(misses.map((m) => m.personId))];
  const roles = personIds.length
    ? await db
        .selectFrom("leader_appointments as a")
        .innerJoin("leader_roles as r", "r.id", "a.role_id")
        .select(["a.person_id", "r.name", "a.group_name", "a.ended_on"])
        .where("a.start_year", "=", year.startYear)
        .where("a.person_id", "in", personIds)
        .orderBy("r.name")
        .execute()
    : [];
  const rolesByPerson: Record<number, string[]> = {};
  for (const r of roles) {
    if (r.ended_on) continue;
    (rolesByPerson[r.person_id] ??= []).push(r.group_name ? `${r.name}, ${r.group_name}` : r.name);
  }
  return data(
    {
      year: { ...year, label: academicYearLabel(year.startYear) },
      years,
      misses: misses.map((m) => ({ ...m, why: whyShown(m) })),
      page,
      rolesByPerson,
    },
    { headers: PAGE_HEADERS },
  );
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requirePermission(request, "manage:leaders");
  const url = new URL(request.url);
  const here = `/officer/matches${url.search}`;
  const formData = await readFormData(request);
  const intent = formData.get("intent");
  const match = MatchSchema.safeParse({
    personId: formData.get("personId"),
    registrationId: formData.get("registrationId"),
  });
  if ((intent !== "confirm" && intent !== "dismiss") || !match.success) {
    return redirectWithFlash(here, {
      kind: "error",
      message: "We could not tell which match you meant. Please try again.",
    });
  }
  const db = getDb();
  const who = await db.selectFrom("leader_people").select("name").where("id", "=", match.data.personId).executeTakeFirst();
  try {
    if (intent === "confirm") {
      await confirmMatch(db, actor, match.data);
      return redirectWithFlash(here, {
        kind: "success",
        message: `Confirmed. The attendance now counts as ${who?.name ?? "the leader"}'s training.`,
      });
    }
    await dismissMatch(db, actor, match.data);
    return redirectWithFlash(here, {
      kind: "success",
      message: `Noted: not ${who?.name ?? "the leader"}. It will not be shown for them again.`,
    });
  } catch (err) {
    if (err instanceof RuleViolation) return redirectWithFlash(here, { kind: "error", message: err.message });
    throw err;
  }
}

export default function MatchesPage() {
  const { year, years, misses, page, rolesByPerson } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const pendingKey = navigation.state === "submitting" ? `${navigation.formData?.get("personId")}:${navigation.formData?.get("registrationId")}` : null;
  return (
    <>
      <PageHeader
        title="Possible matches"
        description={
          <>
            Attendance counts by itself when the register has the leader's email address or student ID. When only the name is the same, it is listed here for
            you to decide{year ? ` (${year.label})` : ""}.
          </>
        }
        actions={
          <>
            {year && years.length > 1 ? (
              <nav aria-label="Roster years" className="flex flex-wrap items-center gap-2 text-sm">
                {years.map((y) =>
                  y.startYear === year.startYear ? (
                    <span key={y.startYear} aria-current="page" className="rounded-md bg-brand-100 px-3 py-1.5 font-semibold text-brand-900">
                      {y.label}
                    </span>
                  ) : (
                    <Link key={y.startYear} to={`?year=${y.startYear}`} className="rounded-md px-3 py-1.5 ring-1 ring-slate-300">
                      {y.label}
                    </Link>
                  ),
                )}
              </nav>
            ) : null}
            <ButtonLink to={year ? `/officer/leaders?year=${year.startYear}` : "/officer/leaders"} variant="secondary">
              Back to leaders
            </ButtonLink>
          </>
        }
      />
      {!year ? (
        <EmptyState>
          No roster year is set up yet.{" "}
          <Link to="/officer/roles" className="underline">
            Set one up
          </Link>{" "}
          and import the roster first.
        </EmptyState>
      ) : page.total === 0 ? (
        <EmptyState>Nothing to check in {year.label}: nobody has attended under a leader&apos;s name without their email address or student ID.</EmptyState>
      ) : (
        <>
          <p className="mb-4 text-slate-700">
            {page.total.toLocaleString("en-GB")} {page.total === 1 ? "attendance" : "attendances"} to check, most recent first. Confirm and it counts as the
            leader's training; say not them and it is not shown again for that leader.
          </p>
          <ul className="space-y-4">
            {misses.map((m) => {
              const key = `${m.personId}:${m.registrationId}`;
              const headingId = `match-${m.personId}-${m.registrationId}`;
              return (
                <li key={key}>
                  <Card>
                    <h2 id={headingId} className="flex flex-wrap items-center gap-2 text-lg font-semibold text-slate-900">
                      {m.personName} <span className="text-base font-normal text-slate-700">needs {m.courseName}</span>
                    </h2>
                    <p className="mt-1">
                      <Badge tone="amber">{m.why}</Badge>
                    </p>
                    <div className="mt-4 grid gap-4 sm:grid-cols-2">
                      <section aria-label="On the roster" className="min-w-0 rounded-md bg-slate-50 p-3 ring-1 ring-slate-200">
                        <p className="text-xs font-semibold uppercase tracking-wide text-slate-700">On the roster</p>
                        <dl className="mt-2 space-y-1 text-sm">
                          <Row label="Name">
                            <Link to={`/officer/leaders/${m.personId}?year=${year.startYear}`}>{m.personName}</Link>
                          </Row>
                          <Row label="Email">{m.personEmail}</Row>
                          <Row label="Student ID">{m.personStudentId ?? "None"}</Row>
                          <Row label="Role">{(rolesByPerson[m.personId] ?? []).join("; ") || "None live"}</Row>
                        </dl>
                      </section>
                      <section aria-label="On the register" className="min-w-0 rounded-md bg-amber-50 p-3 ring-1 ring-amber-200">
                        <p className="text-xs font-semibold uppercase tracking-wide text-amber-900">On the register</p>
                        <dl className="mt-2 space-y-1 text-sm">
                          <Row label="Name">{m.registeredName}</Row>
                          <Row label="Email">{m.registeredEmail ?? "None given"}</Row>
                          <Row label="Student ID">{m.registeredStudentId ?? "None given"}</Row>
                          <Row label="Session">
                            {sessionName(m)}, {formatDay(m.attendedOn)}
                          </Row>
                        </dl>
                      </section>
                    </div>
                    <div className="mt-4 flex flex-wrap gap-2">
                      <Form method="post">
                        <input type="hidden" name="intent" value="confirm" />
                        <input type="hidden" name="personId" value={m.personId} />
                        <input type="hidden" name="registrationId" value={m.registrationId} />
                        <Button type="submit" pending={pendingKey === key} aria-describedby={headingId}>
                          Confirm: it was {m.personName}
                        </Button>
                      </Form>
                      <Form method="post">
                        <input type="hidden" name="intent" value="dismiss" />
                        <input type="hidden" name="personId" value={m.personId} />
                        <input type="hidden" name="registrationId" value={m.registrationId} />
                        <Button type="submit" variant="secondary" pending={pendingKey === key} aria-describedby={headingId}>
                          Not them
                        </Button>
                      </Form>
                    </div>
                  </Card>
                </li>
              );
            })}
          </ul>
          <Pager page={page} noun="attendances" className="no-print" hrefFor={(p) => `?year=${year.startYear}${p > 1 ? `&page=${p}` : ""}`} />
        </>
      )}
    </>
  );
}

/** The session's title, with its course when the title does not say it. */
function sessionName(m: { sessionTitle: string; courseName: string }) {
  return m.sessionTitle.includes(m.courseName) ? m.sessionTitle : `${m.sessionTitle} (${m.courseName})`;
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="flex gap-2">
      <dt className="w-24 shrink-0 text-slate-600">{label}</dt>
      <dd className="min-w-0 wrap-anywhere text-slate-900">{children}</dd>
    </div>
  );
}
