import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { notFound, requirePermission } from "#app/auth/guards.server.ts";
import { Button } from "#app/components/button.tsx";
import { DataTable, Td, Th } from "#app/components/data-table.tsx";
import { FormErrors, TextareaField, TextField } from "#app/components/field.tsx";
import { Badge, Card, EmptyState, PageHeader } from "#app/components/layout.tsx";
import { getDb } from "#app/db.server.ts";
import { resultFor } from "#app/roster/record-forms.tsx";
import { formatDay } from "#app/utils/dates.ts";
import { redirectWithFlash } from "#app/utils/flash.server.ts";
import { readFormData } from "#app/utils/request-body.server.ts";
import { staffValidityText } from "#app/venues/coverage.ts";
import { venuesListAction, venuesListPage } from "#app/venues/roles-page.server.ts";
import { StaffRoleSchema, ThresholdSchema } from "#app/venues/schemas.ts";
import { AccreditationBadge } from "#app/venues/venue-view.tsx";

/** Every partner venue and staff team: how much of its staff is trained, whether it is accredited and until when. */

export const meta: MetaFunction = () => [{ title: "Venues and staff teams · NeverOK Training" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, "manage:venues");
  const page = await venuesListPage(getDb(), actor);
  if (!page) throw notFound();
  return page;
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requirePermission(request, "manage:venues");
  const outcome = await venuesListAction(getDb(), actor, await readFormData(request));
  if (!outcome) throw data({ message: "We did not understand what you asked for." }, { status: 400 });
  if ("refused" in outcome) return data(outcome.refused, { status: 400 });
  return redirectWithFlash("/coordinator/venues", outcome.flash);
}

export default function VenuesPage() {
  const { venues, thresholdPercent, roles } = useLoaderData<typeof loader>();
  const accredited = venues.filter((v) => v.accredited).length;
  return (
    <>
      <PageHeader
        title="Venues and staff teams"
        description={`The share of each partner venue's and staff team's staff with up-to-date #NeverOK training. ${accredited} of ${venues.length} ${venues.length === 1 ? "is" : "are"} accredited (${thresholdPercent}% or more trained).`}
      />
      <div className="space-y-8">
        {venues.length === 0 ? (
          <EmptyState>
            No partner venue or staff team yet. Add one under <Link to="/coordinator/organisations">Organisations</Link> with the kind “Partner venue” or “Staff
            team”.
          </EmptyState>
        ) : (
          <DataTable
            caption="Venues and staff teams by trained share"
            head={
              <>
                <Th>Venue or team</Th>
                <Th className="text-right">Trained</Th>
                <Th>Accreditation</Th>
                <Th>Next training to lapse</Th>
              </>
            }
          >
            {venues.map((v) => (
              <tr key={v.id}>
                <Td>
                  <Link to={`/venues/${v.id}`} className="font-medium">
                    {v.name}
                  </Link>
                  <span className="block text-slate-600">{v.kind === "partner_venue" ? "Partner venue" : "Staff team"}</span>
                </Td>
                <Td className="text-right tabular-nums">
                  <span className="font-semibold">{v.share === null ? "–" : `${v.share}%`}</span>
                  <span className="block text-slate-600">
                    {v.trained} of {v.counted}
                  </span>
                </Td>
                <Td>
                  <AccreditationBadge accreditation={{ accredited: v.accredited, until: v.accreditedUntil }} />
                  {v.accredited && v.accreditedUntil ? <span className="block text-slate-700">until {formatDay(v.accreditedUntil)}</span> : null}
                  {!v.accredited && v.needTraining ? <span className="block text-slate-700">{v.needTraining} need training</span> : null}
                </Td>
                <Td>{v.nextLapse ? formatDay(v.nextLapse) : "–"}</Td>
              </tr>
            ))}
          </DataTable>
        )}
        <div className="grid gap-6 lg:grid-cols-2">
          <ThresholdCard thresholdPercent={thresholdPercent} />
          <RolesCard roles={roles} />
        </div>
      </div>
    </>
  );
}

function ThresholdCard({ thresholdPercent }: { thresholdPercent: number }) {
  const refused = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "threshold",
    lastResult: resultFor(refused, "threshold"),
    constraint: getZodConstraint(ThresholdSchema),
    shouldValidate: "onBlur",
    defaultValue: { thresholdPercent: String(thresholdPercent) },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ThresholdSchema }),
  });
  return (
    <Card title="Accreditation threshold">
      <Form method="post" {...getFormProps(form)} className="space-y-4">
        <input type="hidden" name="intent" value="threshold" />
        <FormErrors id={form.errorId} errors={form.errors} />
        <TextField
          meta={fields.thresholdPercent}
          label="Share of staff trained (%)"
          type="number"
          inputMode="numeric"
          hint="A venue or staff team with at least this share trained is accredited, until enough of its staff's training lapses."
        />
        <Button type="submit" variant="secondary" pending={navigation.formData?.get("intent") === "threshold"}>
          Save threshold
        </Button>
      </Form>
    </Card>
  );
}

function RolesCard({
  roles,
}: {
  roles: {
    id: number;
    name: string;
    isArchived: boolean;
    requirements: { courseId: number; courseName: string; validity: string; validityMonths: number | null }[];
  }[];
}) {
  const refused = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "add-role",
    lastResult: resultFor(refused, "add-role"),
    constraint: getZodConstraint(StaffRoleSchema),
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: StaffRoleSchema }),
  });
  return (
    <section id="roles" aria-labelledby="roles-title" className="scroll-mt-4 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
      <h2 id="roles-title" className="mb-3 text-lg font-semibold text-slate-900">
        Staff roles
      </h2>
      <p className="text-sm text-slate-700">The same roles at every venue and staff team, each with the courses it needs.</p>
      {roles.length ? (
        <ul className="mt-3 divide-y divide-slate-100 text-sm">
          {roles.map((r) => (
            <li key={r.id} className="py-2">
              <Link to={`/coordinator/venues/roles/${r.id}`} className="font-medium">
                {r.name}
              </Link>{" "}
              {r.isArchived ? <Badge>Archived</Badge> : null}
              <span className="block text-slate-700">
                {r.requirements.map((q) => `${q.courseName} (${staffValidityText(q)})`).join(", ") || "Needs no training"}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      <Form method="post" {...getFormProps(form)} className="mt-4 space-y-4 border-t border-slate-100 pt-4">
        <input type="hidden" name="intent" value="add-role" />
        <FormErrors id={form.errorId} errors={form.errors} />
        <TextField meta={fields.name} label="New role" hint="For example: Door supervisor, Bar staff, Contracted security." />
        <TextareaField meta={fields.description} label="What the role is" optional rows={2} />
        <Button type="submit" variant="secondary" pending={navigation.formData?.get("intent") === "add-role"}>
          Add role
        </Button>
      </Form>
    </section>
  );
}
