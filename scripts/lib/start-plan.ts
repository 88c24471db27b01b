/**
 * What `npm start` does with the database it is given. The demo accounts share a published
 * password, so they are loaded only for a local demo (APP_URL on this machine); a deployment starts
 * empty, its first coordinator made by `npm run create-coordinator`, and it refuses to serve a
 * database that holds the demo accounts.
 */
export interface StartFacts {
  /** APP_URL is this machine (isDemoInstance). */
  demoInstance: boolean;
  appUrl: string;
  databasePath: string;
  /** No accounts yet. */
  databaseEmpty: boolean;
  /** A demo account with the published password is in the database. */
  holdsDemoAccounts: boolean;
}

export type StartPlan = { action: "refuse"; message: string } | { action: "serve"; loadDemo: boolean; showDemoLogins: boolean; notes: string[] };

export const CREATE_COORDINATOR_HINT = 'npm run create-coordinator -- --email you@example.ac.uk --name "Your Name"';

export function planStart(facts: StartFacts): StartPlan {
  if (facts.demoInstance) {
    return { action: "serve", loadDemo: facts.databaseEmpty, showDemoLogins: facts.databaseEmpty || facts.holdsDemoAccounts, notes: [] };
  }
  if (facts.holdsDemoAccounts) {
    return {
      action: "refuse",
      message: [
        `${facts.databasePath} holds the demo accounts, whose password is published, so it will not be served at ${facts.appUrl}.`,
        "For a deployment, start on a new, empty database (set DATABASE_PATH to a file that does not exist yet) and create the first coordinator with:",
        `  ${CREATE_COORDINATOR_HINT}`,
        "To try the demo instead, leave APP_URL unset (it then runs on http://localhost).",
      ].join("\n"),
    };
  }
  return {
    action: "serve",
    loadDemo: false,
    showDemoLogins: false,
    notes: facts.databaseEmpty
      ? ["The database has no accounts yet. Create the first coordinator, who then invites everyone else:", `  ${CREATE_COORDINATOR_HINT}`]
      : [],
  };
}

/** Loading the demo by hand (db:seed, db:reset, dev) is refused on a deployment for the same reason; null when allowed. */
export function demoDataRefusal(facts: Pick<StartFacts, "demoInstance" | "appUrl">): string | null {
  if (facts.demoInstance) return null;
  return `The demo data has accounts with a published password, so it is only loaded for a local demo, not at ${facts.appUrl}. Leave APP_URL unset to use the demo; for a deployment, create the first coordinator with:\n  ${CREATE_COORDINATOR_HINT}`;
}
