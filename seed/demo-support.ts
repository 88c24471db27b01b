import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { saveSupportService } from "#app/support/support.server.ts";
import type { SupportServiceInput } from "#app/support/schemas.ts";

/**
 * The services the campaign's own pages name, in their words. Every installation already lists 999
 * and 101. The campaign's pages give no web addresses or numbers for the rest, so these point to
 * example.ac.uk: a deployment's coordinator puts in the real ones.
 */
export const DEMO_SUPPORT_SERVICES: SupportServiceInput[] = [
  {
    name: "Report + Support",
    purpose:
      "Report an incident online to the University, named or anonymously. Student Services monitor incident reports and will be in contact within one working day to discuss the incident and offer you support. You can also find out about the external support available.",
    url: "https://reportandsupport.example.ac.uk/",
    phone: null,
    hours: "Online at any time",
    urgent: false,
  },
  {
    name: "The Advice and Support Centre",
    purpose:
      "In the Students' Union: advice, support and guidance, including through the University's and the Union's disciplinary proceedings. Advisers can refer you to external support services.",
    url: "https://su.example.ac.uk/advice-and-support-centre",
    phone: null,
    hours: null,
    urgent: false,
  },
  {
    name: "Sexual Violence Liaison Officers",
    purpose: "Specially trained staff who support students through the reporting process.",
    url: "https://www.example.ac.uk/support/sexual-violence-liaison-officers",
    phone: null,
    hours: null,
    urgent: false,
  },
  {
    name: "Student Services",
    purpose: "The University's support for students. They read the reports made through Report + Support and can offer you support.",
    url: "https://www.example.ac.uk/student-services",
    phone: null,
    hours: null,
    urgent: false,
  },
  {
    name: "Wellbeing Service",
    purpose: "The University's Wellbeing Service, if you need support or would like to talk to someone.",
    url: "https://www.example.ac.uk/wellbeing",
    phone: null,
    hours: null,
    urgent: false,
  },
];

/** The demo's support directory, added by its coordinator as a coordinator would, each audited. */
export async function seedDemoSupport(db: Kysely<Database>): Promise<void> {
  const rows = await db
    .selectFrom("users")
    .innerJoin("user_roles", "user_roles.user_id", "users.id")
    .select(["users.id", "users.email", "users.name", "user_roles.role"])
    .where("users.email", "=", "coordinator@neverok.example")
    .execute();
  if (!rows.length) throw new Error("Demo coordinator is missing");
  const coordinator: SessionUser = { id: rows[0]!.id, email: rows[0]!.email, name: rows[0]!.name, roles: rows.map((r) => r.role) };
  for (const service of DEMO_SUPPORT_SERVICES) await saveSupportService(db, coordinator, null, service);
}
