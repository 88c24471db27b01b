import type { Kysely } from "kysely";
import type { Database, Db } from "#db/schema.ts";
import { nowIso } from "#app/utils/time.ts";

/** An institution of a city partnership (a university, a college, a students' union). */
export interface Institution {
  id: number;
  name: string;
}

export async function listInstitutions(db: Db): Promise<Institution[]> {
  return db.selectFrom("institutions").select(["id", "name"]).orderBy("name").execute();
}

/** Adds an institution of the partnership by name, or finds the one already called that. */
export async function ensureInstitution(db: Kysely<Database>, name: string): Promise<number> {
  const found = await db.selectFrom("institutions").select("id").where("name", "=", name).executeTakeFirst();
  if (found) return found.id;
  const row = await db.insertInto("institutions").values({ name, created_at: nowIso() }).returning("id").executeTakeFirstOrThrow();
  return row.id;
}
