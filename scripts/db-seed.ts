/**
 * `npm run db:seed`: the demo data into an empty database.
 * `npm run db:seed -- --scale city [--years 5] [--path data/city-5y.sqlite]`: a fresh database at that
 * path (or the configured database: DATABASE_URL, else DATABASE_PATH), emptied first, with the demo data and five institutions' worth of years on top.
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { databaseLabel, emptyDatabase, migrateToLatest, openDatabase } from "#db/connection.ts";
import { formatCityCounts, seedCity } from "#seed/city.ts";
import { formatDemoLogins, isDatabaseEmpty, seedDemoData } from "#seed/demo.ts";
import { databaseTarget, getEnv, isDemoInstance } from "#app/utils/env.server.ts";
import { demoDataRefusal } from "./lib/start-plan.ts";

const Args = z.object({
  scale: z.enum(["demo", "city"], { error: 'scale must be "demo" or "city"' }).default("demo"),
  years: z.coerce
    .number()
    .int()
    .min(1, { error: "years must be a whole number from 1 to 10" })
    .max(10, { error: "years must be a whole number from 1 to 10" })
    .default(5),
  path: z.string().min(1).optional(),
});

let args: z.infer<typeof Args>;
try {
  const { values } = parseArgs({ options: { scale: { type: "string" }, years: { type: "string" }, path: { type: "string" } } });
  args = Args.parse(values);
} catch (err) {
  const message = err instanceof z.ZodError ? err.issues.map((i) => i.message).join("; ") : (err as Error).message;
  console.error(`${message}\nUsage: npm run db:seed [-- --scale city [--years N] [--path file.sqlite]]`);
  process.exit(1);
}

const env = getEnv();
const file = args.path ?? databaseTarget(env);
const label = databaseLabel(file);
const refusal = demoDataRefusal({ demoInstance: isDemoInstance(env), appUrl: env.APP_URL });
if (refusal) {
  console.error(refusal);
  process.exit(1);
}

if (args.scale === "city") {
  await emptyDatabase(file);
  const db = openDatabase(file);
  await migrateToLatest(db);
  console.log(`Building the city-scale data set (${args.years} years) in ${label}…`);
  const counts = await seedCity(db, { years: args.years });
  console.log(formatCityCounts(counts));
  console.log(formatDemoLogins(env.APP_URL));
  if (file !== databaseTarget(env)) console.log(`Start the app on it with ${/^postgres(ql)?:/i.test(file) ? "DATABASE_URL" : "DATABASE_PATH"}=${file}`);
  await db.destroy();
} else {
  const db = openDatabase(file);
  await migrateToLatest(db);
  if (await isDatabaseEmpty(db)) {
    await seedDemoData(db);
    console.log(`Demo data loaded into ${label}.`);
  } else {
    console.log(`${label} already has data; nothing was added. Use "npm run db:reset" to start again.`);
  }
  console.log(formatDemoLogins(env.APP_URL));
  await db.destroy();
}
