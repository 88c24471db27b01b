import { ensureInstitution } from "#app/reference/institutions.server.ts";
import { writeTransaction } from "#db/transaction.ts";
import type { Kysely } from "kysely";
import { hash, verify } from "@node-rs/argon2";
import type { Database, OrganisationKind, Role } from "#db/schema.ts";
import { storeAccessSet, type AccessFeature } from "#app/scheduling/room-access.ts";
import { seedDemoHistory } from "./demo-history.ts";
import { seedDemoCompliance } from "./demo-compliance.ts";
import { seedDemoSupport } from "./demo-support.ts";
import { seedDemoTerm } from "./demo-term.ts";
import { seedDemoVenues } from "./demo-venues.ts";

/** The one password every demo account shares; printed by the start command and listed in the README. */
export const DEMO_PASSWORD = "neverok-demo-2026";

export interface DemoLogin {
  role: string;
  name: string;
  email: string;
}

export const DEMO_LOGINS: DemoLogin[] = [
  { role: "Coordinator", name: "Alex Morgan", email: "coordinator@neverok.example" },
  { role: "Trainer", name: "Sam Okafor", email: "trainer@neverok.example" },
  { role: "Booker", name: "Priya Shah", email: "booker@neverok.example" },
  { role: "Union officer", name: "Jordan Ellis", email: "officer@neverok.example" },
];

const COURSES = [
  {
    name: "Active Bystander",
    description:
      "How to notice, and safely act on, harassment and discriminatory behaviour: the four Ds (direct, distract, delegate, delay) practised through real campus and night-time scenarios.",
    duration_minutes: 90,
    default_group_size: 30,
    max_group_size: 40,
    colour: "#6d28d9",
  },
  {
    name: "Consent",
    description: "What consent is and is not, how to ask and how to listen, and where to find support. Interactive and discussion-based.",
    duration_minutes: 90,
    default_group_size: 25,
    max_group_size: 35,
    colour: "#be185d",
  },
  {
    name: "Handling Disclosures",
    description:
      "For people someone may confide in: how to receive a disclosure of harassment or sexual violence with care, what to say and not say, and how to refer on. Co-delivered by two trainers.",
    duration_minutes: 120,
    default_group_size: 16,
    max_group_size: 20,
    colour: "#0f766e",
    trainers_needed: 2,
  },
  {
    name: "Unconscious Bias",
    description: "Where bias comes from, how it shows up in study, sport and work, and practical habits that reduce its effect.",
    duration_minutes: 120,
    default_group_size: 25,
    max_group_size: 40,
    colour: "#b45309",
  },
] as const;

const ROOMS: { name: string; building: string; capacity: number; features: AccessFeature[]; accessibility_notes: string | null }[] = [
  {
    name: "Seminar Room 1.14",
    building: "East Building",
    capacity: 40,
    features: ["step_free", "hearing_loop"],
    accessibility_notes: "Step-free via the east entrance.",
  },
  {
    name: "Lecture Theatre 2",
    building: "Chancellors' Building",
    capacity: 120,
    features: ["step_free", "hearing_loop", "accessible_toilet"],
    accessibility_notes: "Wheelchair spaces in the front row.",
  },
  { name: "Meeting Room 3", building: "Students' Union", capacity: 20, features: ["step_free", "quiet_room"], accessibility_notes: "First floor, by lift." },
  { name: "Training Room", building: "Library", capacity: 24, features: ["step_free", "quiet_room"], accessibility_notes: "Adjustable desks." },
  {
    name: "The Forum Suite",
    building: "Students' Union",
    capacity: 60,
    features: ["step_free", "hearing_loop", "accessible_toilet", "quiet_room"],
    accessibility_notes: "Ground floor; the accessible toilet is next door.",
  },
  { name: "Room 4.02", building: "Wessex House", capacity: 16, features: [], accessibility_notes: null },
];

const ORGANISATIONS: { name: string; kind: OrganisationKind; contact_name: string; contact_email: string; contact_phone?: string }[] = [
  { name: "Department of Psychology", kind: "department", contact_name: "Dr Helen Carter", contact_email: "psychology-office@neverok.example" },
  { name: "School of Management", kind: "department", contact_name: "Mark Lewis", contact_email: "management-ug@neverok.example" },
  { name: "Department of Computer Science", kind: "department", contact_name: "Dr Nia Jones", contact_email: "cs-office@neverok.example" },
  { name: "Department of Health", kind: "department", contact_name: "Ruth Adeyemi", contact_email: "health-office@neverok.example" },
  { name: "Rugby Club", kind: "sports_club", contact_name: "Ollie Grant (President)", contact_email: "rugby@neverok.example" },
  { name: "Netball Club", kind: "sports_club", contact_name: "Hannah Wu (President)", contact_email: "netball@neverok.example" },
  { name: "Drama Society", kind: "society", contact_name: "Leo Martin", contact_email: "drama@neverok.example" },
  { name: "Freshers' Week Captains", kind: "leader_programme", contact_name: "Jordan Ellis", contact_email: "officer@neverok.example" },
  { name: "Hall Reps", kind: "leader_programme", contact_name: "Jordan Ellis", contact_email: "officer@neverok.example" },
  { name: "Moles", kind: "partner_venue", contact_name: "Dan Price (Manager)", contact_email: "manager@moles.example", contact_phone: "01225 000 001" },
  { name: "Komedia", kind: "partner_venue", contact_name: "Sophie Hall (Bar Manager)", contact_email: "bar@komedia.example", contact_phone: "01225 000 002" },
  {
    name: "The Plug (Students' Union venue) and its security team",
    kind: "partner_venue",
    contact_name: "Chris Doyle",
    contact_email: "venue@neverok.example",
  },
  { name: "Advice and Support Centre", kind: "staff_team", contact_name: "Fatima Noor", contact_email: "advice@neverok.example" },
];

const TRAINERS: { name: string; email: string; courses: string[] }[] = [
  { name: "Sam Okafor", email: "trainer@neverok.example", courses: ["Active Bystander", "Consent", "Handling Disclosures"] },
  { name: "Chloe Bennett", email: "chloe.bennett@neverok.example", courses: ["Active Bystander", "Unconscious Bias"] },
  { name: "Marcus Reid", email: "marcus.reid@neverok.example", courses: ["Handling Disclosures", "Consent"] },
  { name: "Aisha Rahman", email: "aisha.rahman@neverok.example", courses: ["Unconscious Bias", "Active Bystander", "Handling Disclosures"] },
  { name: "Tom Hughes", email: "tom.hughes@neverok.example", courses: ["Active Bystander"] },
];

const OTHER_PEOPLE: { name: string; email: string; roles: Role[]; organisations: string[] }[] = [
  { name: "Alex Morgan", email: "coordinator@neverok.example", roles: ["coordinator"], organisations: [] },
  { name: "Priya Shah", email: "booker@neverok.example", roles: ["booker"], organisations: ["Department of Psychology"] },
  { name: "Jordan Ellis", email: "officer@neverok.example", roles: ["officer"], organisations: [] },
  { name: "Ollie Grant", email: "rugby@neverok.example", roles: ["booker"], organisations: ["Rugby Club"] },
  { name: "Dan Price", email: "manager@moles.example", roles: ["booker"], organisations: ["Moles"] },
  { name: "Mark Lewis", email: "management-ug@neverok.example", roles: ["booker"], organisations: ["School of Management"] },
];

/** Everyone the demo gives an account with the published password: its logins, the other trainers and bookers. */
export function demoPeople(): { name: string; email: string }[] {
  return [...OTHER_PEOPLE, ...TRAINERS].map(({ name, email }) => ({ name, email }));
}

export async function isDatabaseEmpty(db: Kysely<Database>): Promise<boolean> {
  const row = await db.selectFrom("users").select("id").limit(1).executeTakeFirst();
  return !row;
}

/**
 * Whether any of the demo's accounts is here with the published password: such a database must never
 * serve a deployment. The demo's accounts share one stored hash, so this checks a handful at most.
 */
export async function holdsDemoAccounts(db: Kysely<Database>): Promise<boolean> {
  const emails = demoPeople().map((p) => p.email);
  const rows = await db.selectFrom("users").select("password_hash").distinct().where("email", "in", emails).where("password_hash", "is not", null).execute();
  for (const { password_hash } of rows) {
    if (await verify(password_hash!, DEMO_PASSWORD).catch(() => false)) return true;
  }
  return false;
}

/** Writes the demo data in one transaction: all of it or none. */
export async function seedDemoData(db: Kysely<Database>, at = new Date()): Promise<void> {
  const iso = at.toISOString();
  const passwordHash = await hash(DEMO_PASSWORD, { memoryCost: 19_456, timeCost: 2, parallelism: 1, outputLen: 32 });
  await writeTransaction(db, async (trx) => {
    const courseIds = new Map<string, number>();
    for (const c of COURSES) {
      const row = await trx
        .insertInto("courses")
        .values({ ...c, created_at: iso, updated_at: iso })
        .returning("id")
        .executeTakeFirstOrThrow();
      courseIds.set(c.name, row.id);
    }
    await trx
      .insertInto("rooms")
      .values(ROOMS.map(({ features, ...r }) => ({ ...r, access_features: storeAccessSet(features), created_at: iso, updated_at: iso })))
      .execute();
    const orgIds = new Map<string, number>();
    // The two institutions of the partnership, so the impact report can compare them.
    const university = await ensureInstitution(trx, "The University");
    const union = await ensureInstitution(trx, "The Students' Union");
    const institutionOf = (kind: OrganisationKind) =>
      kind === "department" ? university : ["sports_club", "society", "leader_programme"].includes(kind) ? union : null;
    for (const o of ORGANISATIONS) {
      const row = await trx
        .insertInto("organisations")
        .values({ ...o, contact_phone: o.contact_phone ?? null, institution_id: institutionOf(o.kind), notes: null, created_at: iso, updated_at: iso })
        .returning("id")
        .executeTakeFirstOrThrow();
      orgIds.set(o.name, row.id);
    }
    const addUser = async (name: string, email: string, roles: Role[]) => {
      const row = await trx
        .insertInto("users")
        .values({ name, email, password_hash: passwordHash, created_at: iso, updated_at: iso })
        .returning("id")
        .executeTakeFirstOrThrow();
      await trx
        .insertInto("user_roles")
        .values(roles.map((role) => ({ user_id: row.id, role, granted_at: iso })))
        .execute();
      return row.id;
    };
    for (const p of OTHER_PEOPLE) {
      const id = await addUser(p.name, p.email, p.roles);
      for (const org of p.organisations) {
        await trx
          .insertInto("organisation_members")
          .values({ organisation_id: orgIds.get(org)!, user_id: id, added_at: iso })
          .execute();
      }
    }
    for (const t of TRAINERS) {
      const id = await addUser(t.name, t.email, ["trainer"]);
      await trx
        .insertInto("trainer_qualifications")
        .values(t.courses.map((c) => ({ user_id: id, course_id: courseIds.get(c)!, qualified_at: iso })))
        .execute();
    }
    await trx
      .insertInto("audit_events")
      .values({
        actor_user_id: null,
        action: "demo.seeded",
        entity_type: "system",
        entity_id: null,
        summary: "Demo data loaded",
        detail_json: null,
        created_at: iso,
      })
      .execute();
  });
  // Before the term, whose reminders list the support services.
  await seedDemoSupport(db);
  await seedDemoTerm(db, at);
  // After the term, so the history can stop a week before the term's first session.
  await seedDemoHistory(db, at);
  await seedDemoCompliance(db, at);
  await seedDemoVenues(db, at);
}

export function formatDemoLogins(appUrl: string): string {
  const width = Math.max(...DEMO_LOGINS.map((l) => l.email.length));
  return [
    `Demo logins for ${appUrl} (password for all: ${DEMO_PASSWORD})`,
    ...DEMO_LOGINS.map((l) => `  ${l.role.padEnd(14)} ${l.email.padEnd(width)}  ${l.name}`),
  ].join("\n");
}
