import { parseArgs } from "node:util";
import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import { createCoordinatorFromCommand } from "#app/auth/create-coordinator.server.ts";
import { formatDateTime } from "#app/utils/dates.ts";
import { RuleViolation } from "#app/utils/errors.ts";

export const USAGE = 'Usage: npm run create-coordinator -- --email you@example.ac.uk --name "Your Name"';

/** `npm run create-coordinator`: what it prints and its exit code, apart from opening the database. */
export async function runCreateCoordinator(argv: string[], db: Kysely<Database>, appUrl: string): Promise<{ code: number; output: string }> {
  let values: { email?: string; name?: string };
  try {
    ({ values } = parseArgs({ args: argv, options: { email: { type: "string" }, name: { type: "string" } }, strict: true }));
  } catch (err) {
    return { code: 2, output: `${(err as Error).message}\n${USAGE}` };
  }
  if (!values.email || !values.name) return { code: 2, output: `Give both --email and --name.\n${USAGE}` };
  try {
    const made = await createCoordinatorFromCommand(db, { email: values.email, name: values.name }, appUrl);
    return {
      code: 0,
      output: [
        `Created a coordinator account for ${made.email}.`,
        "Open this link to choose a password. It works once, until " + `${formatDateTime(made.expiresAt)}; pass it on only to that person:`,
        `  ${made.setPasswordUrl}`,
      ].join("\n"),
    };
  } catch (err) {
    if (err instanceof RuleViolation) return { code: 1, output: `${err.message}\n${USAGE}` };
    throw err;
  }
}
