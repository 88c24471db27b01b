/**
 * `npm run create-coordinator -- --email … --name …`: a coordinator account with no password, and a
 * single-use link (printed here, never emailed or logged) for them to choose one. How a deployment,
 * which starts with no accounts, gets its first coordinator.
 */
import { migrateToLatest } from "#db/connection.ts";
import { openConfiguredDatabase } from "#app/db.server.ts";
import { runCreateCoordinator } from "./lib/create-coordinator.ts";
import { settingsOrExit } from "./lib/settings.ts";

const env = settingsOrExit();
const db = openConfiguredDatabase(env);
await migrateToLatest(db);
const { code, output } = await runCreateCoordinator(process.argv.slice(2), db, env.APP_URL);
await db.destroy();
(code === 0 ? console.log : console.error)(output);
process.exit(code);
