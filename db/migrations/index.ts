import type { Migration } from "kysely";
import * as m0001 from "./0001_foundation.ts";
import * as m0002 from "./0002_bookings_and_sessions.ts";

/** Every migration, listed by hand so a bundler can never lose one. Append only. */
export const migrations: Record<string, Migration> = {
  "0001_foundation": m0001,
  "0002_bookings_and_sessions": m0002,
};
