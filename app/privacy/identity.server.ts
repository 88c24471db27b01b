import { sql, type SqlBool } from "kysely";
import type { Db } from "#db/schema.ts";

/**
 * Who an email address is in this database: the account, roster entry and staff-list entries with
 * that address, the registrations made with it, and the registrations made with another address but
 * one of the same student IDs or staff numbers (the registers count those as the same person, so they
 * are treated as theirs).
 */
export interface PersonIdentity {
  email: string;
  userId: number | null;
  leaderId: number | null;
  /** Their entries on venues' and staff teams' staff lists: one per venue they work at. */
  staffMemberIds: number[];
  registrationIds: number[];
  /** Upper-case student IDs (and staff numbers) seen on their registrations, roster entry or staff entries. */
  studentIds: string[];
  /** Every name they are held under, for finding mentions in free text. */
  names: string[];
  /** The addresses as stored, when a stored copy differs from the lower-case search (older rows). */
  emailSpellings: string[];
}

export const lowerEq = (column: string, value: string) => sql<SqlBool>`lower(${sql.ref(column)}) = ${value}`;

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function identifyPerson(db: Db, rawEmail: string): Promise<PersonIdentity> {
  const email = normaliseEmail(rawEmail);
  const [user, leader, staff, byEmail] = await Promise.all([
    db.selectFrom("users").select(["id", "name", "email"]).where(lowerEq("email", email)).executeTakeFirst(),
    db.selectFrom("leader_people").select(["id", "name", "email", "student_id"]).where(lowerEq("email", email)).executeTakeFirst(),
    db.selectFrom("staff_members").select(["id", "name", "email", "staff_number as student_id"]).where("email", "=", email).orderBy("id").execute(),
    db.selectFrom("registrations").select(["id", "name", "email", "student_id"]).where(lowerEq("email", email)).execute(),
  ]);
  const studentIds = new Set<string>();
  for (const r of [...byEmail, ...staff]) if (r.student_id) studentIds.add(r.student_id.toUpperCase());
  if (leader?.student_id) studentIds.add(leader.student_id.toUpperCase());
  const bySid = studentIds.size
    ? await db
        .selectFrom("registrations")
        .select(["id", "name", "email", "student_id"])
        .where(sql<string>`upper(student_id)`, "in", [...studentIds])
        .execute()
    : [];
  const registrations = new Map([...byEmail, ...bySid].map((r) => [r.id, r]));
  const names = new Set<string>();
  const spellings = new Set<string>();
  for (const row of [user, leader, ...staff, ...registrations.values()]) {
    if (!row) continue;
    if (row.name.trim()) names.add(row.name.trim());
    if (row.email && normaliseEmail(row.email) === email && row.email !== email) spellings.add(row.email);
  }
  return {
    email,
    userId: user?.id ?? null,
    leaderId: leader?.id ?? null,
    staffMemberIds: staff.map((s) => s.id),
    registrationIds: [...registrations.keys()].sort((a, b) => a - b),
    studentIds: [...studentIds].sort(),
    names: [...names],
    emailSpellings: [...spellings],
  };
}
