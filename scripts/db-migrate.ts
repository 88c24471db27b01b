import { migrateToLatest } from "#db/connection.ts";
import { openConfiguredDatabase } from "#app/db.server.ts";

const db = openConfiguredDatabase();
const applied = await migrateToLatest(db);
console.log(applied.length ? `Applied migrations: ${applied.join(", ")}` : "The database is up to date.");
await db.destroy();
