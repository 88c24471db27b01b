import type { Migration } from "kysely";
import * as m0001 from "./0001_foundation.ts";
import * as m0002 from "./0002_bookings_and_sessions.ts";
import * as m0003 from "./0003_open_signup_register_feedback.ts";
import * as m0004 from "./0004_leader_compliance.ts";
import * as m0005 from "./0005_privacy.ts";
import * as m0006 from "./0006_indexes_for_scale.ts";
import * as m0007 from "./0007_record_version.ts";
import * as m0008 from "./0008_lookup_indexes_and_rooms_watched.ts";
import * as m0009 from "./0009_second_factor_and_client_throttle.ts";
import * as m0010 from "./0010_staff_coverage.ts";
import * as m0011 from "./0011_support_directory.ts";
import * as m0012 from "./0012_booking_changes.ts";
import * as m0013 from "./0013_room_features.ts";
import * as m0014 from "./0014_trainer_limit_follows_default.ts";
import * as m0015 from "./0015_institutions.ts";
import * as m0016 from "./0016_single_sign_on.ts";
import * as m0017 from "./0017_record_versions_by_feature.ts";
import * as m0018 from "./0018_job_lease.ts";

/** Every migration, listed by hand so a bundler can never lose one. Append only. */
export const migrations: Record<string, Migration> = {
  "0001_foundation": m0001,
  "0002_bookings_and_sessions": m0002,
  "0003_open_signup_register_feedback": m0003,
  "0004_leader_compliance": m0004,
  "0005_privacy": m0005,
  "0006_indexes_for_scale": m0006,
  "0007_record_version": m0007,
  "0008_lookup_indexes_and_rooms_watched": m0008,
  "0009_second_factor_and_client_throttle": m0009,
  "0010_staff_coverage": m0010,
  "0011_support_directory": m0011,
  "0012_booking_changes": m0012,
  "0013_room_features": m0013,
  "0014_trainer_limit_follows_default": m0014,
  "0015_institutions": m0015,
  "0016_single_sign_on": m0016,
  "0017_record_versions_by_feature": m0017,
  "0018_job_lease": m0018,
};
