import crypto from "node:crypto";
import { urlForSchema, withPostgresClient as withClient } from "#db/dialects/postgres.ts";

/** What every schema of one `npm run test:pg` run is named after. */
export const schemaPrefix = (run: string) => `test_${run}_`;

/**
 * A new, empty schema in the database at `url` for this run, and the URL whose connections use it.
 * The schemas are dropped together once the whole run is over (dropRunSchemas), not file by file:
 * PostgreSQL's catalog, which the migrator and the privacy tools read, would otherwise show a file
 * a table that another file's schema was dropping at that moment.
 */
export async function createTestSchema(url: string): Promise<{ name: string; url: string }> {
  const name = `${schemaPrefix(process.env.NEVEROK_TEST_RUN ?? "solo")}${process.pid}_${crypto.randomBytes(6).toString("hex")}`;
  await withClient(url, (client) => client.query(`create schema ${name}`));
  return { name, url: urlForSchema(url, name) };
}

/** Drops every schema this run made. */
export async function dropRunSchemas(url: string, run: string): Promise<number> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ name: string }>("select nspname as name from pg_namespace where starts_with(nspname, $1)", [schemaPrefix(run)]);
    for (const { name } of rows) await client.query(`drop schema if exists ${name} cascade`);
    return rows.length;
  });
}
