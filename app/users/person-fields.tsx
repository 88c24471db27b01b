import type { FieldMetadata } from "@conform-to/react";
import { ROLE_DESCRIPTIONS, ROLE_LABELS } from "#app/auth/permissions.ts";
import { CheckboxGroup } from "#app/components/field.tsx";
import { ROLES } from "#db/schema.ts";

// Conform infers the element types from the schema's input side; the checkboxes only need names and initial values.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type MultiValueField = FieldMetadata<any, any, string[]>;

/** Roles, organisations and qualifications: the same fields when inviting and when editing. */
export function PersonAccessFields({
  roles,
  organisationIds,
  qualificationCourseIds,
  organisations,
  courses,
}: {
  roles: MultiValueField;
  organisationIds: MultiValueField;
  qualificationCourseIds: MultiValueField;
  organisations: { id: number; name: string }[];
  courses: { id: number; name: string }[];
}) {
  return (
    <>
      <CheckboxGroup
        meta={roles}
        legend="Roles"
        hint="A person may hold several."
        options={ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r], description: ROLE_DESCRIPTIONS[r] }))}
      />
      <CheckboxGroup
        meta={organisationIds}
        legend="Books for these organisations"
        hint="Needed for bookers: they see and request sessions for these organisations only."
        options={organisations.map((o) => ({ value: String(o.id), label: o.name }))}
      />
      <CheckboxGroup
        meta={qualificationCourseIds}
        legend="Qualified to deliver"
        hint="For trainers: only qualified trainers are proposed for a course."
        options={courses.map((c) => ({ value: String(c.id), label: c.name }))}
      />
    </>
  );
}
