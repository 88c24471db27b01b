import { getEnv, type Env } from "#app/utils/env.server.ts";

/** The checked settings, or the setting's own message and exit 1: a typo in configuration is not a stack trace. */
export function settingsOrExit(): Env {
  try {
    return getEnv();
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
}

/** The settings for serving the production build (`npm start` and its kin): NODE_ENV is production unless set. */
export function productionSettingsOrExit(): Env {
  process.env.NODE_ENV ??= "production";
  return settingsOrExit();
}
