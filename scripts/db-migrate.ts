import { migrateToLatest, openDatabase } from "#db/connection.ts";
import { getEnv } from "#app/utils/env.server.ts";

const db = openDatabase(getEnv().DATABASE_PATH);
const applied = await migrateToLatest(db);
console.log(applied.length ? `Applied migrations: ${applied.join(", ")}` : "The database is up to date.");
await db.destroy();
