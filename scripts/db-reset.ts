import { databaseLabel, emptyDatabase, migrateToLatest, openDatabase } from "#db/connection.ts";
import { formatDemoLogins, seedDemoData } from "#seed/demo.ts";
import { databaseTarget, getEnv, isDemoInstance } from "#app/utils/env.server.ts";
import { demoDataRefusal } from "./lib/start-plan.ts";

const env = getEnv();
const refusal = demoDataRefusal({ demoInstance: isDemoInstance(env), appUrl: env.APP_URL });
if (refusal) {
  console.error(refusal);
  process.exit(1);
}
const target = databaseTarget(env);
await emptyDatabase(target);
const db = openDatabase(target);
await migrateToLatest(db);
await seedDemoData(db);
console.log(`${databaseLabel(target)} was emptied, migrated and loaded with demo data.`);
console.log(formatDemoLogins(env.APP_URL));
await db.destroy();
