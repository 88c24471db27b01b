import fs from "node:fs";
import { migrateToLatest, openDatabase } from "#db/connection.ts";
import { formatDemoLogins, seedDemoData } from "#seed/demo.ts";
import { getEnv, isDemoInstance } from "#app/utils/env.server.ts";
import { demoDataRefusal } from "./lib/start-plan.ts";

const env = getEnv();
const refusal = demoDataRefusal({ demoInstance: isDemoInstance(env), appUrl: env.APP_URL });
if (refusal) {
  console.error(refusal);
  process.exit(1);
}
for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(`${env.DATABASE_PATH}${suffix}`, { force: true });
const db = openDatabase(env.DATABASE_PATH);
await migrateToLatest(db);
await seedDemoData(db);
console.log(`${env.DATABASE_PATH} was emptied, migrated and loaded with demo data.`);
console.log(formatDemoLogins(env.APP_URL));
await db.destroy();
