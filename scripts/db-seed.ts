import { migrateToLatest, openDatabase } from "#db/connection.ts";
import { formatDemoLogins, isDatabaseEmpty, seedDemoData } from "#db/seed/demo.ts";
import { getEnv } from "#app/utils/env.server.ts";

const env = getEnv();
const db = openDatabase(env.DATABASE_PATH);
await migrateToLatest(db);
if (await isDatabaseEmpty(db)) {
  await seedDemoData(db);
  console.log(`Demo data loaded into ${env.DATABASE_PATH}.`);
} else {
  console.log(`${env.DATABASE_PATH} already has data; nothing was added. Use "npm run db:reset" to start again.`);
}
console.log(formatDemoLogins(env.APP_URL));
await db.destroy();
