import { parseWithZod } from "@conform-to/zod/v4";
import type { Db } from "#db/schema.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { listCourses } from "#app/reference/reference.server.ts";
import { attempt, type PageFormOutcome } from "#app/roster/page-forms.server.ts";
import { formFieldName } from "#app/roster/requirement-schema.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { seesEveryVenue } from "./access.server.ts";
import { listStaffRoles, saveStaffRole, setStaffRoleArchived, setStaffRoleRequirements } from "./roles.server.ts";
import { venuesOverview } from "./coverage.server.ts";
import { StaffRoleRequirementsSchema, StaffRoleSchema, ThresholdSchema } from "./schemas.ts";
import { saveThresholdPercent } from "./threshold.server.ts";

/** The coordinator's pages for venues: every venue's coverage and the threshold; the staff roles and what each needs. */

export async function staffRolePage(db: Db, actor: SessionUser, roleId: number) {
  if (!seesEveryVenue(actor)) return null;
  const role = (await listStaffRoles(db, { includeArchived: true })).find((r) => r.id === roleId);
  if (!role) return null;
  const required = new Set(role.requirements.map((r) => r.courseId));
  const courses = await listCourses(db, { includeArchived: true });
  return {
    role,
    // Archived courses only where the role still needs one, so it can be seen and removed.
    courses: courses
      .filter((c) => !c.is_archived || required.has(c.id))
      .map((c) => ({ value: String(c.id), label: c.is_archived ? `${c.name} (archived)` : c.name })),
  };
}

export async function staffRolePageAction(db: Db, actor: SessionUser, role: { id: number; name: string }, formData: FormData): Promise<PageFormOutcome | null> {
  const intent = String(formData.get("intent") ?? "");
  if (intent === "archive" || intent === "restore") {
    await setStaffRoleArchived(db, actor, role.id, intent === "archive");
    return {
      flash: {
        kind: "success",
        message: intent === "archive" ? `${role.name} is archived: nobody new takes it. Those in it keep what it needs.` : `${role.name} can be given again.`,
      },
    };
  }
  if (intent === "rename") {
    return attempt(
      intent,
      parseWithZod(formData, { schema: StaffRoleSchema }),
      ["name", "description"],
      (v) => saveStaffRole(db, actor, role.id, { name: v.name, description: v.description ?? undefined }),
      (v) => `Saved ${v.name}.`,
    );
  }
  if (intent !== "requirements") return null;
  const submission = parseWithZod(formData, { schema: StaffRoleRequirementsSchema });
  // Conform's add and remove buttons come back as a form to show again, not an error.
  if (submission.status !== "success") return { refused: { form: intent, result: submission.reply() } };
  try {
    await setStaffRoleRequirements(db, actor, role.id, submission.value);
  } catch (err) {
    if (!(err instanceof RuleViolation)) throw err;
    const field = err.field.startsWith("requirements.") ? formFieldName(err.field) : "";
    return { refused: { form: intent, result: submission.reply(field ? { fieldErrors: { [field]: [err.message] } } : { formErrors: [err.message] }) } };
  }
  return { flash: { kind: "success", message: `Saved what ${role.name} needs. It applies at once to everyone in the role, at every venue.` } };
}

/** The coordinator's list page: every venue's coverage, the threshold, and the staff roles. */
export async function venuesListPage(db: Db, actor: SessionUser) {
  const overview = await venuesOverview(db, actor);
  if (!overview) return null;
  return { ...overview, roles: await listStaffRoles(db, { includeArchived: true }) };
}

/** A form on the list page: the threshold set, or a staff role added. */
export async function venuesListAction(db: Db, actor: SessionUser, formData: FormData): Promise<PageFormOutcome | null> {
  const intent = String(formData.get("intent") ?? "");
  if (intent === "threshold") {
    return attempt(
      intent,
      parseWithZod(formData, { schema: ThresholdSchema }),
      ["thresholdPercent"],
      (v) => saveThresholdPercent(db, actor, v),
      (v) => `Saved: a venue is accredited with ${v.thresholdPercent}% of its staff trained.`,
    );
  }
  if (intent === "add-role") {
    return attempt(
      intent,
      parseWithZod(formData, { schema: StaffRoleSchema }),
      ["name", "description"],
      (v) => saveStaffRole(db, actor, null, { name: v.name, description: v.description ?? undefined }),
      (v) => `Added the staff role ${v.name}. Say what it needs on its page.`,
    );
  }
  return null;
}
