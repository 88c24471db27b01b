import { z } from "zod";
import type { ImportColumns } from "#app/roster/import.ts";
import { StartYearSchema } from "./schemas.ts";

/** The roster file's columns, shared by the import and the page that explains the file. */

export type RosterField = "name" | "firstName" | "lastName" | "email" | "studentId" | "role" | "group" | "president" | "startedOn";

/** Each column with the headings a union spreadsheet uses for it. */
export const ROSTER_COLUMNS: ImportColumns<RosterField> = {
  name: { label: "Name", headings: ["Name", "Full name", "Leader name", "Student name"], note: "required, or First name and Last name" },
  firstName: { label: "First name", headings: ["First name", "Firstname", "Forename", "Forenames", "Given name", "Preferred name", "Preferred first name"] },
  lastName: { label: "Last name", headings: ["Last name", "Lastname", "Surname", "Family name"] },
  email: {
    label: "Email",
    headings: ["Email", "Email address", "E-mail", "E-mail address", "University email", "Student email", "Uni email"],
    note: "required",
  },
  studentId: {
    label: "Student ID",
    headings: ["Student ID", "StudentID", "Student number", "Student no", "ID number", "Student ID number", "Registration number"],
    note: "optional; an empty cell keeps the one already known",
  },
  role: { label: "Role", headings: ["Role", "Position", "Leader role", "Role type", "Post"], note: "required; the role's name as on the Roles page" },
  group: {
    label: "Group",
    headings: ["Group", "Club/Society", "Club or society", "Club", "Society", "Organisation", "Organization", "Team", "Hall", "Committee", "Group name"],
    note: "the club, society, hall or programme; linked to the organisation of the same name",
  },
  president: {
    label: "President",
    headings: ["President", "Is president", "Chair", "President/Chair", "President or chair", "Is chair"],
    note: "yes or no; empty is no",
  },
  startedOn: {
    label: "Start date",
    headings: ["Start date", "Started on", "Started", "Appointed on", "Date appointed", "From"],
    note: "2026-09-01 or 01/09/2026; empty is the day of the import",
  },
};

/** The values a row can change on a leader already on the roster. */
export type RosterChangeField = "name" | "studentId" | "isPresident" | "startedOn";

export const ROSTER_CHANGE_LABELS: Record<RosterChangeField, string> = {
  name: "Name",
  studentId: "Student ID",
  isPresident: "President",
  startedOn: "Start date",
};

/** Where a roster file goes: the academic year, chosen with the file and sent again with the confirmation. */
export const RosterScopeSchema = z.object({ startYear: StartYearSchema });
