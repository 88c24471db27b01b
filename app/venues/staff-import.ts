import { z } from "zod";
import type { ImportColumns } from "#app/roster/import.ts";

/** The staff list file's columns, shared by the import and the page that explains the file. */

export type StaffField = "name" | "firstName" | "lastName" | "email" | "staffNumber" | "role" | "employer" | "startedOn";

export const STAFF_COLUMNS: ImportColumns<StaffField> = {
  name: { label: "Name", headings: ["Name", "Full name", "Staff name", "Employee name"], note: "required, or First name and Last name" },
  firstName: { label: "First name", headings: ["First name", "Firstname", "Forename", "Forenames", "Given name", "Preferred name"] },
  lastName: { label: "Last name", headings: ["Last name", "Lastname", "Surname", "Family name"] },
  email: { label: "Email", headings: ["Email", "Email address", "E-mail", "E-mail address", "Work email"], note: "required" },
  staffNumber: {
    label: "Staff number",
    headings: ["Staff number", "Staff no", "Staff ID", "Employee number", "Employee ID", "Payroll number", "SIA licence", "Badge number"],
    note: "optional; an empty cell keeps the one already known",
  },
  role: { label: "Role", headings: ["Role", "Job title", "Position", "Job", "Post"], note: "required; the role's name as on the Staff roles page" },
  employer: {
    label: "Employer",
    headings: ["Employer", "Contractor", "Company", "Agency", "Employed by"],
    note: "for contracted staff, the firm that employs them (the security company); empty for the venue's own staff",
  },
  startedOn: {
    label: "Start date",
    headings: ["Start date", "Started on", "Started", "Date started", "From"],
    note: "2026-09-01 or 01/09/2026; empty is the day of the import",
  },
};

/** The values a row can change on someone already on the list. */
export type StaffChangeField = "name" | "staffNumber" | "role" | "employer" | "startedOn";

export const STAFF_CHANGE_LABELS: Record<StaffChangeField, string> = {
  name: "Name",
  staffNumber: "Staff number",
  role: "Role",
  employer: "Employer",
  startedOn: "Start date",
};

/** The upload form has no fields besides the file: the venue is the page's. */
export const StaffScopeSchema = z.object({});
