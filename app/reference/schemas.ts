import { z } from "zod";
import type { OrganisationKind } from "#db/schema.ts";
import { AccessFeatureList } from "#app/scheduling/room-access.ts";
import { NameSchema, OptionalText } from "#app/utils/validation.ts";

const wholeNumber = (label: string, min: number, max: number) =>
  z.coerce
    .number({ error: `Enter the ${label} as a number` })
    .int({ error: `Enter the ${label} as a whole number` })
    .min(min, { error: `The ${label} must be at least ${min}` })
    .max(max, { error: `The ${label} must be at most ${max}` });

export const CourseSchema = z
  .object({
    name: NameSchema,
    description: z
      .string({ error: "Describe the course" })
      .trim()
      .min(1, { error: "Describe the course" })
      .max(2000, { error: "Use at most 2,000 characters" }),
    durationMinutes: wholeNumber("duration", 15, 480),
    defaultGroupSize: wholeNumber("default group size", 1, 500),
    maxGroupSize: wholeNumber("maximum group size", 1, 500),
    trainersNeeded: wholeNumber("number of trainers", 1, 4).default(1),
    colour: z.string({ error: "Choose a colour" }).regex(/^#[0-9a-fA-F]{6}$/, { error: "Choose a colour like #5b21b6" }),
  })
  .refine((c) => c.defaultGroupSize <= c.maxGroupSize, {
    path: ["defaultGroupSize"],
    error: "The default group size cannot be bigger than the maximum",
  });
export type CourseInput = z.infer<typeof CourseSchema>;

export const RoomSchema = z.object({
  name: NameSchema,
  building: z.string({ error: "Enter the building" }).trim().min(1, { error: "Enter the building" }).max(120, { error: "Use at most 120 characters" }),
  capacity: wholeNumber("capacity", 1, 2000),
  accessFeatures: AccessFeatureList,
  accessibilityNotes: OptionalText(1000),
});
export type RoomInput = z.infer<typeof RoomSchema>;

export const ORGANISATION_KINDS: readonly OrganisationKind[] = ["department", "sports_club", "society", "leader_programme", "partner_venue", "staff_team"];

export const ORGANISATION_KIND_LABELS: Record<OrganisationKind, string> = {
  department: "Academic department",
  sports_club: "Sports club",
  society: "Society",
  leader_programme: "Student-leader programme",
  partner_venue: "Partner venue",
  staff_team: "Staff team",
};

export const OrganisationSchema = z.object({
  name: NameSchema,
  kind: z.enum(ORGANISATION_KINDS as [OrganisationKind, ...OrganisationKind[]], { error: "Choose what kind of organisation this is" }),
  contactName: OptionalText(120),
  contactEmail: z
    .string()
    .trim()
    .max(254, { error: "That email address is too long" })
    .optional()
    .transform((v) => (v ? v.toLowerCase() : null))
    .pipe(z.email({ error: "Enter an email address like name@example.ac.uk" }).nullable()),
  contactPhone: z
    .string()
    .trim()
    .max(40, { error: "Use at most 40 characters" })
    .regex(/^[0-9+() -]*$/, { error: "Use digits, spaces and + ( ) - only" })
    .optional()
    .transform((v) => (v ? v : null)),
  /** For a city partnership: the institution it belongs to, found or added by name. */
  institution: OptionalText(120),
  notes: OptionalText(2000),
});
export type OrganisationInput = z.infer<typeof OrganisationSchema>;
