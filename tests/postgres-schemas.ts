import crypto from "node:crypto";
import pg from "pg";

/** `url` with its connections' search_path set to `schema`, so every table the app names is that schema's. */
export function urlForSchema(url: string, schema: string): string {
  // Spelt out rather than through URLSearchParams, whose "+" for a space pg would not read back.
  const options = `options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  return url.includes("?") ? `${url}&${options}` : `${url}?${options}`;
}

async function withClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** A new, empty schema in the database at `url`, and the URL whose connections use it. */
export async function createTestSchema(url: string): Promise<{ name: string; url: string }> {
  const name = `test_${process.pid}_${crypto.randomBytes(6).toString("hex")}`;
  await withClient(url, (client) => client.query(`create schema ${name}`));
  return { name, url: urlForSchema(url, name) };
}

export async function dropTestSchema(url: string, name: string): Promise<void> {
  await withClient(url, (client) => client.query(`drop schema if exists ${name} cascade`));
}
