/**
 * `npm start`: builds when the sources are newer than the build, migrates, and serves the production
 * build. On this machine (APP_URL unset or localhost) it loads the demo data into an empty database
 * and prints the demo logins; a deployment starts empty (see scripts/lib/start-app.ts).
 */
import { productionSettingsOrExit } from "./lib/settings.ts";
import { startApp } from "./lib/start-app.ts";

await startApp(productionSettingsOrExit());
