import type { Insertable, Kysely } from "kysely";
import type { Database, FeedbackResponsesTable, OrganisationKind, Role } from "#db/schema.ts";
import { hashPassword } from "#app/auth/password.server.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { nowIso } from "#app/utils/time.ts";
import { resetEnvCache } from "#app/utils/env.server.ts";

let counter = 0;
const next = () => `${Date.now()}${++counter}`;

export const TEST_PASSWORD = "correct horse battery";
let passwordHash: Promise<string> | undefined;

export async function createUser(
  db: Kysely<Database>,
  opts: { name?: string; email?: string; roles?: Role[]; organisationIds?: number[]; password?: string | null } = {},
): Promise<SessionUser> {
  const at = nowIso();
  const id = next();
  const email = (opts.email ?? `person-${id}@example.ac.uk`).toLowerCase();
  const name = opts.name ?? `Person ${id}`;
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const hash = opts.password === null ? null : opts.password ? await hashPassword(opts.password) : await passwordHash;
  const row = await db
    .insertInto("users")
    .values({ email, name, password_hash: hash, created_at: at, updated_at: at })
    .returning("id")
    .executeTakeFirstOrThrow();
  const roles = opts.roles ?? [];
  if (roles.length)
    await db
      .insertInto("user_roles")
      .values(roles.map((role) => ({ user_id: row.id, role, granted_at: at })))
      .execute();
  for (const organisation_id of opts.organisationIds ?? []) {
    await db.insertInto("organisation_members").values({ organisation_id, user_id: row.id, added_at: at }).execute();
  }
  return { id: row.id, email, name, roles };
}

export async function createOrganisation(db: Kysely<Database>, opts: { name?: string; kind?: OrganisationKind } = {}) {
  const at = nowIso();
  const row = await db
    .insertInto("organisations")
    .values({
      name: opts.name ?? `Organisation ${next()}`,
      kind: opts.kind ?? "department",
      contact_name: null,
      contact_email: null,
      contact_phone: null,
      notes: null,
      created_at: at,
      updated_at: at,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function createCourse(
  db: Kysely<Database>,
  opts: { name?: string; maxGroupSize?: number; durationMinutes?: number; trainersNeeded?: number } = {},
) {
  const at = nowIso();
  const row = await db
    .insertInto("courses")
    .values({
      name: opts.name ?? `Course ${next()}`,
      description: "A course",
      duration_minutes: opts.durationMinutes ?? 90,
      default_group_size: Math.min(20, opts.maxGroupSize ?? 30),
      max_group_size: opts.maxGroupSize ?? 30,
      colour: "#6d28d9",
      ...(opts.trainersNeeded ? { trainers_needed: opts.trainersNeeded } : {}),
      created_at: at,
      updated_at: at,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A Request as a browser on this site would send it. */
export function sameSiteRequest(url: string, init: RequestInit & { cookie?: string } = {}) {
  const headers = new Headers(init.headers);
  headers.set("Sec-Fetch-Site", "same-origin");
  headers.set("Origin", "http://localhost:3000");
  if (init.cookie) headers.set("Cookie", init.cookie);
  return new Request(new URL(url, "http://localhost:3000"), { ...init, headers });
}

/** A form as a browser posts it (URL-encoded), with a field given several times as an array. */
export function formBody(values: Record<string, string | string[]>) {
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) for (const item of Array.isArray(v) ? v : [v]) form.append(k, item);
  return form;
}

/**
 * Sets environment variables (undefined removes one) and makes getEnv() read them again.
 * Returns a function that puts every one of them back; call it in afterEach or finally.
 */
export function setEnvForTest(values: Record<string, string | undefined>): () => void {
  const env = process.env as Record<string, string | undefined>;
  const saved = Object.fromEntries(Object.keys(values).map((k) => [k, env[k]]));
  const apply = (vals: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(vals)) {
      if (v === undefined) delete env[k];
      else env[k] = v;
    }
    resetEnvCache();
  };
  apply(values);
  return () => apply(saved);
}

/**
 * Feedback answers written straight to the table, for tests of the figures made from them: by the
 * room's QR code unless told. Returns their ids.
 */
export async function insertFeedbackResponses(
  db: Kysely<Database>,
  sessionId: number,
  answers: Partial<Omit<Insertable<FeedbackResponsesTable>, "id" | "session_id">>[],
): Promise<number[]> {
  if (!answers.length) return [];
  const rows = await db
    .insertInto("feedback_responses")
    .values(
      answers.map((a) => ({
        source: "qr" as const,
        rating: 4,
        recommend: "yes" as const,
        confidence_before: null,
        confidence_after: null,
        do_differently: null,
        comments: null,
        created_at: nowIso(),
        ...a,
        session_id: sessionId,
      })),
    )
    .returning("id")
    .execute();
  return rows.map((r) => r.id);
}
