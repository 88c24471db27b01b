import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { newSessionUid } from "#app/calendar/ical.server.ts";
import { addDays, londonDateOf, londonWallTimeToUtc } from "#app/utils/dates.ts";
import { DAY, MINUTE } from "#app/utils/time.ts";
import { addStaffMember, endStaffMember, recordStaffCompletion, recordStaffExemption } from "#app/venues/members.server.ts";
import { saveStaffRole, setStaffRoleRequirements } from "#app/venues/roles.server.ts";
import type { StaffRequirementInput } from "#app/venues/schemas.ts";

/**
 * Partner venues' and staff teams' staff lists, through the same functions the pages use. Moles is
 * accredited (nine in ten trained); the Residential Life team is accredited only until next month,
 * when two advisers' Handling Disclosures lapses; Komedia and The Plug are part of the way there; the
 * Forum, the union's own venue with its contracted Shield Security door team, trained everyone last
 * year and has let it lapse: only those at this term's sessions count again. The Advice and Support
 * Centre is fully trained. Attendance is on the registers of this term's venue-staff sessions, matched
 * by email (and one door supervisor by SIA licence number); the rest is training recorded by hand.
 */

const ROLES: { name: string; description: string; needs: [course: string, months: number | null][] }[] = [
  { name: "Bar and floor staff", description: "Serves, clears and looks after customers on the floor.", needs: [["Active Bystander", 12]] },
  {
    name: "Door supervisor",
    description: "SIA-licensed door and security staff, the venue's own or contracted.",
    needs: [
      ["Active Bystander", 12],
      ["Handling Disclosures", 24],
    ],
  },
  {
    name: "Venue manager",
    description: "Duty and general managers: the person a disclosure is escalated to on the night.",
    needs: [
      ["Active Bystander", 12],
      ["Handling Disclosures", 24],
      ["Consent", 24],
    ],
  },
  {
    name: "Support adviser",
    description: "Advises students who come forward.",
    needs: [
      ["Handling Disclosures", 24],
      ["Consent", null],
    ],
  },
  { name: "Residential life adviser", description: "On-call staff in the halls of residence.", needs: [["Handling Disclosures", 24]] },
];

/**
 * Each list: who is on it and what they did. a, b: at this term's first or second Active Bystander
 * session for venue staff · d: at the Handling Disclosures session · R: Active Bystander recorded
 * thirteen months ago with the previous provider (lapsed) · H: Handling Disclosures recorded by hand
 * 23 months ago (lapsing within weeks) · h: Handling Disclosures recorded 8 months ago · C: Consent
 * recorded · X: exempt · L: left last month · none: nothing yet.
 */
type Staff = [name: string, role: string, did: string, employer?: string];
const SHIELD = "Shield Security Ltd";
const LISTS: { venue: string; kind: "partner_venue" | "staff_team"; domain: string; staff: Staff[] }[] = [
  {
    venue: "Moles",
    domain: "moles.example",
    kind: "partner_venue",
    staff: [
      ["Dan Price", "Venue manager", "adC"],
      ["Gemma Ruiz", "Bar and floor staff", "a"],
      ["Harry Blake", "Bar and floor staff", "a"],
      ["Ines Costa", "Bar and floor staff", "a"],
      ["Jack Moran", "Bar and floor staff", "b"],
      ["Kat Nowak", "Bar and floor staff", "b"],
      ["Liam O'Neill", "Bar and floor staff", "b"],
      ["Mo Farouk", "Door supervisor", "ad", "Bath Door Services Ltd"],
      ["Nadia Lewis", "Door supervisor", "bd", "Bath Door Services Ltd"],
      ["Owen Shaw", "Bar and floor staff", ""],
    ],
  },
  {
    venue: "Komedia",
    domain: "komedia.example",
    kind: "partner_venue",
    staff: [
      ["Sophie Hall", "Venue manager", "adC"],
      ["Ravi Patel", "Bar and floor staff", "a"],
      ["Tess Green", "Bar and floor staff", "b"],
      ["Uma Singh", "Bar and floor staff", "X"],
      ["Vic Adams", "Bar and floor staff", ""],
      ["Will Carr", "Bar and floor staff", ""],
      ["Xan Doyle", "Door supervisor", "bd", SHIELD],
      ["Yara Haddad", "Door supervisor", "", SHIELD],
      ["Zac Frost", "Bar and floor staff", "L"],
    ],
  },
  {
    venue: "The Forum (Students' Union venue)",
    domain: "forum.neverok.example",
    kind: "partner_venue",
    staff: [
      ["Chris Doyle", "Venue manager", "RhaC"],
      ["Amara Obi", "Bar and floor staff", "Rb"],
      ["Ben Hartley", "Bar and floor staff", "R"],
      ["Cerys Evans", "Bar and floor staff", "R"],
      ["Dev Mistry", "Bar and floor staff", "R"],
      ["Ella Byrne", "Bar and floor staff", "Ra"],
      ["Finn Walsh", "Bar and floor staff", "R"],
      ["Grace Kim", "Bar and floor staff", ""],
      ["Hamza Ali", "Door supervisor", "Rh", SHIELD],
      ["Isla Reid", "Door supervisor", "Rh", SHIELD],
      ["Jonah Pike", "Door supervisor", "Rh", SHIELD],
      ["Kofi Mensah", "Door supervisor", "Rbd", SHIELD],
      ["Lena Fischer", "Door supervisor", "Rh", SHIELD],
      ["Marc Dupont", "Door supervisor", "", SHIELD],
    ],
  },
  {
    venue: "The Plug (Students' Union venue) and its security team",
    domain: "plug.neverok.example",
    kind: "partner_venue",
    staff: [
      ["Nia Rowe", "Bar and floor staff", "a"],
      ["Omar Said", "Bar and floor staff", "b"],
      ["Priti Nair", "Bar and floor staff", ""],
      ["Quinn Lowe", "Door supervisor", "", SHIELD],
    ],
  },
  {
    venue: "Advice and Support Centre",
    domain: "neverok.example",
    kind: "staff_team",
    staff: [
      ["Fatima Noor", "Support adviser", "hC"],
      ["Gareth Price", "Support adviser", "dC"],
      ["Helen Yu", "Support adviser", "hC"],
      ["Ibrahim Khan", "Support adviser", "dC"],
    ],
  },
  {
    venue: "Residential Life team",
    domain: "neverok.example",
    kind: "staff_team",
    staff: [
      ["Owen Fletcher", "Residential life adviser", "H"],
      ["Paula Jensen", "Residential life adviser", "H"],
      ["Rob Tate", "Residential life adviser", "d"],
      ["Sara Quinn", "Residential life adviser", "h"],
      ["Theo Grant", "Residential life adviser", "h"],
      ["Vera Long", "Residential life adviser", ""],
    ],
  },
];

/** Contractors' addresses are their employer's. */
const EMPLOYER_DOMAINS: Record<string, string> = { [SHIELD]: "shieldsecurity.example", "Bath Door Services Ltd": "bathdoorservices.example" };
const emailOf = (name: string, domain: string, employer?: string) =>
  `${name.toLowerCase().replace(/[^a-z]+/g, ".")}@${employer ? EMPLOYER_DOMAINS[employer] : domain}`;

/** The weekday on or before `date`, at `time` London time. */
function weekdayBefore(date: string, time: string): Date {
  let d = date;
  while ([0, 6].includes(new Date(`${d}T12:00:00Z`).getUTCDay())) d = addDays(d, -1);
  return londonWallTimeToUtc(d, time);
}

export async function seedDemoVenues(db: Kysely<Database>, now: Date): Promise<void> {
  const today = londonDateOf(now);
  const row = await db.selectFrom("users").select(["id", "name", "email"]).where("email", "=", "coordinator@neverok.example").executeTakeFirstOrThrow();
  const coordinator: SessionUser = { ...row, roles: ["coordinator"] };
  const courses = new Map((await db.selectFrom("courses").select(["id", "name", "duration_minutes"]).execute()).map((c) => [c.name, c]));
  const forumSuite = await db.selectFrom("rooms").select("id").where("name", "=", "The Forum Suite").executeTakeFirstOrThrow();

  const roleIds = new Map<string, number>();
  for (const r of ROLES) {
    const id = await saveStaffRole(db, coordinator, null, { name: r.name, description: r.description });
    const requirements: StaffRequirementInput[] = r.needs.map(([course, months]) => ({
      courseId: courses.get(course)!.id,
      validity: months === null ? "once" : "months",
      validityMonths: months,
    }));
    await setStaffRoleRequirements(db, coordinator, id, { requirements });
    roleIds.set(r.name, id);
  }

  // This term's sessions for venue staff, already delivered (registers closed).
  const sessionSpecs = { a: ["Active Bystander", 60], b: ["Active Bystander", 25], d: ["Handling Disclosures", 40] } as const;
  const sessions = new Map<string, { id: number; startsAt: Date }>();
  for (const [key, [course, daysAgo]] of Object.entries(sessionSpecs)) {
    const c = courses.get(course)!;
    const start = weekdayBefore(addDays(today, -daysAgo), "10:00");
    const end = new Date(start.getTime() + c.duration_minutes * MINUTE);
    const { id } = await db
      .insertInto("sessions")
      .values({
        course_id: c.id,
        booking_request_id: null,
        organisation_id: null,
        starts_at: start.toISOString(),
        ends_at: end.toISOString(),
        duration_minutes: c.duration_minutes,
        room_id: forumSuite.id,
        address: null,
        capacity: 40,
        status: "delivered",
        cancel_reason: null,
        ical_uid: newSessionUid(),
        created_by: coordinator.id,
        created_at: new Date(start.getTime() - 21 * DAY).toISOString(),
        updated_at: end.toISOString(),
        kind: "open",
        title: `${course} for venue and security staff`,
        signup_deadline: null,
        signup_policy: "anyone",
        signup_domain: null,
        asks_student_id: 1,
        question: null,
        register_closed_at: end.toISOString(),
        head_count: null,
        feedback_code: `venues${key}${start.getTime().toString(36)}`,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    sessions.set(key, { id, startsAt: start });
  }

  const organisations = new Map((await db.selectFrom("organisations").select(["id", "name"]).execute()).map((o) => [o.name, o.id]));
  const at = now.toISOString();
  for (const list of LISTS) {
    let organisationId = organisations.get(list.venue);
    if (!organisationId) {
      organisationId = (
        await db
          .insertInto("organisations")
          .values({
            name: list.venue,
            kind: list.kind,
            contact_name: "Chris Doyle (Venue Manager)",
            contact_email: "forum@neverok.example",
            contact_phone: null,
            notes: "The union's main venue. Door staff are contracted from Shield Security Ltd.",
            created_at: at,
            updated_at: at,
          })
          .returning("id")
          .executeTakeFirstOrThrow()
      ).id;
    }
    for (const [i, [name, role, did, employer]] of list.staff.entries()) {
      const email = name === "Dan Price" ? "manager@moles.example" : emailOf(name, list.domain, employer);
      // One door supervisor signed up under a personal address and gave their SIA licence number.
      const staffNumber = employer ? `SIA${1014_0000 + organisationId * 100 + i}` : null;
      const memberId = await addStaffMember(db, coordinator, {
        organisationId,
        name,
        email,
        staffNumber,
        employer,
        roleId: String(roleIds.get(role)),
        startedOn: addDays(today, did === "" ? -14 : -500 + i * 7),
      });
      const member = String(memberId);
      const record = (course: string, daysAgo: number, provider: string) =>
        recordStaffCompletion(db, coordinator, {
          organisationId,
          memberId: member,
          courseId: String(courses.get(course)!.id),
          completedOn: addDays(today, -daysAgo),
          provider,
        });
      for (const step of did) {
        const session = sessions.get(step);
        if (session) {
          const byNumber = name === "Kofi Mensah";
          await db
            .insertInto("registrations")
            .values({
              session_id: session.id,
              name,
              email: byNumber ? "kofi.m@personal.example" : email,
              student_id: byNumber ? staffNumber : null,
              accessibility_needs: null,
              answer: null,
              status: "registered",
              attendance: "present",
              manage_token_hash: null,
              created_at: new Date(session.startsAt.getTime() - 10 * DAY).toISOString(),
              promoted_at: null,
              cancelled_at: null,
              attendance_marked_at: session.startsAt.toISOString(),
            })
            .execute();
        }
        if (step === "R") await record("Active Bystander", 395, "Previous venue-safety training provider");
        if (step === "H") await record("Handling Disclosures", 700, "Rape Crisis England & Wales");
        if (step === "h") await record("Handling Disclosures", 240, "Rape Crisis England & Wales");
        if (step === "C") await record("Consent", 300, "Brook");
        if (step === "X") {
          await recordStaffExemption(db, coordinator, {
            organisationId,
            memberId: member,
            courseId: "all",
            reason: "Works only in the box office, away from the bar and the door.",
            grantedBy: "Alex Morgan, training coordinator",
          });
        }
        if (step === "L") await endStaffMember(db, coordinator, { organisationId, memberId: member, endedOn: addDays(today, -30), reason: "Moved away" });
      }
    }
  }
}
