import { z } from "zod";
import { ROLES, type Role } from "#db/schema.ts";
import { PageParam } from "#app/utils/paging.ts";
import { EmailSchema, NameSchema } from "#app/utils/validation.ts";

const RoleList = z.array(z.enum(ROLES as [Role, ...Role[]], { error: "Choose a role from the list" })).default([]);
const IdList = z.array(z.coerce.number().int().positive()).default([]);

export const InviteSchema = z.object({
  name: NameSchema,
  email: EmailSchema,
  roles: RoleList.refine((r) => r.length > 0, { error: "Choose at least one role" }),
  organisationIds: IdList,
  qualificationCourseIds: IdList,
});
export const PersonSchema = z
  .object({
    name: NameSchema,
    roles: RoleList,
    organisationIds: IdList,
    qualificationCourseIds: IdList,
    isActive: z.enum(["yes", "no"], { error: "Say whether this person may sign in" }),
    weeklyLimit: z.enum(["default", "own"], { error: "Choose the default or a limit of their own" }).optional(),
    maxSessionsPerWeek: z.coerce
      .number({ error: "Enter a number of sessions" })
      .int({ error: "Enter a whole number" })
      .min(1, { error: "At least 1" })
      .max(30, { error: "At most 30" })
      .optional(),
  })
  .refine((v) => v.weeklyLimit !== "own" || v.maxSessionsPerWeek !== undefined, {
    error: "Enter their number of sessions a week",
    path: ["maxSessionsPerWeek"],
  });
export const PeopleFilterSchema = z.object({
  q: z.string().trim().max(100).optional().catch(undefined),
  role: z
    .enum(ROLES as [Role, ...Role[]])
    .optional()
    .catch(undefined),
  page: PageParam,
});
