import { sql, type Kysely } from "kysely";
import { onPostgres } from "./portable.ts";

// Frozen in time: this file never imports application code.

/**
 * One record version per feature instead of one for everything. A cached figure is kept against the
 * versions of the features it reads, so a sign-up no longer throws away the leader compliance roster,
 * and several app processes writing different things no longer queue for one row.
 *
 * Each watched table raises its feature's version on every insert, update and delete, with three
 * refinements that keep everyday writes from reaching figures that never show them:
 * - registrations raise `registrations` on every write (places, the waiting list), and `attendance`
 *   only when the row was or becomes marked present, the one thing the reports and the compliance
 *   figures read of them;
 * - a session's calendar SEQUENCE, raised whenever anyone is sent a copy of its event (each sign-up
 *   is), raises `calendar` alone; every other column of a session raises `sessions`;
 * - of a person's account, only a change to the name, address or whether it is active (signing in
 *   touches other columns).
 */
const FEATURES = {
  sessions: ["sessions", "session_trainers", "booking_requests"],
  registrations: ["registrations"],
  feedback: ["feedback_responses"],
  leaders: [
    "leader_roles",
    "leader_role_requirements",
    "leader_years",
    "leader_people",
    "leader_appointments",
    "leader_completions",
    "leader_exemptions",
    "leader_match_dismissals",
    "leader_reminders",
  ],
  staff: ["staff_roles", "staff_role_requirements", "staff_members", "staff_completions", "staff_exemptions"],
  reference: ["organisations", "institutions", "courses", "rooms", "support_services"],
  accounts: ["users", "user_roles"],
} as const;

const EVENTS = ["insert", "update", "delete"] as const;
type Event = (typeof EVENTS)[number];

/** The columns of a session as they stand here, all but the SEQUENCE. */
const SESSION_COLUMNS = [
  "id",
  "course_id",
  "booking_request_id",
  "organisation_id",
  "starts_at",
  "ends_at",
  "duration_minutes",
  "room_id",
  "address",
  "capacity",
  "trainers_needed",
  "status",
  "cancel_reason",
  "ical_uid",
  "created_by",
  "created_at",
  "updated_at",
  "kind",
  "title",
  "signup_deadline",
  "signup_policy",
  "signup_domain",
  "asks_student_id",
  "question",
  "promotion_cutoff_hours",
  "register_closed_at",
  "head_count",
  "feedback_code",
];

interface Watch {
  table: string;
  feature: string;
  events: readonly Event[];
  /** Only updates that set one of these columns. */
  updateOf?: readonly string[];
  /** Only writes to a registration that was or becomes marked present. */
  presentOnly?: boolean;
}

const WATCHES: Watch[] = [
  ...Object.entries(FEATURES).flatMap(([feature, tables]) =>
    tables.map((table): Watch => {
      if (table === "users") return { table, feature, events: EVENTS, updateOf: ["name", "email", "is_active"] };
      if (table === "sessions") return { table, feature, events: EVENTS, updateOf: SESSION_COLUMNS };
      return { table, feature, events: EVENTS };
    }),
  ),
  { table: "registrations", feature: "attendance", events: EVENTS, presentOnly: true },
  { table: "sessions", feature: "calendar", events: ["update"], updateOf: ["ical_sequence"] },
];

const onEvent = (w: Watch, event: Event) => (event === "update" && w.updateOf ? `update of ${w.updateOf.join(", ")}` : event);
const triggerName = (w: Watch, event: Event) => `${w.table}_${event}_bumps_${w.feature}`;

/** The tables migrations 0007, 0008, 0010, 0011 and 0015 watched, all raising the one version named 'records': the same tables. */
const EARLIER = Object.values(FEATURES).flat();

const run = (db: Kysely<any>, statement: string) => sql.raw(statement).execute(db);

export async function up(db: Kysely<any>): Promise<void> {
  const postgres = onPostgres(db);
  if (!postgres) for (const table of EARLIER) for (const event of EVENTS) await run(db, `drop trigger if exists ${table}_${event}_bumps_version`);
  await db.deleteFrom("record_versions").where("name", "=", "records").execute();
  const features = [...new Set(WATCHES.map((w) => w.feature))];
  await db
    .insertInto("record_versions")
    .values(features.map((name) => ({ name, version: 0 })))
    .execute();
  if (postgres) await createPostgresTriggers(db);
  else await createSqliteTriggers(db);
}

async function createSqliteTriggers(db: Kysely<any>): Promise<void> {
  for (const w of WATCHES) {
    for (const event of w.events) {
      const when = !w.presentOnly
        ? ""
        : event === "insert"
          ? "when new.attendance = 'present' "
          : event === "delete"
            ? "when old.attendance = 'present' "
            : "when old.attendance = 'present' or new.attendance = 'present' ";
      await run(
        db,
        `create trigger ${triggerName(w, event)} after ${onEvent(w, event)} on ${w.table} ${when}` +
          `begin update record_versions set version = version + 1 where name = '${w.feature}'; end`,
      );
    }
  }
}

/**
 * PostgreSQL raises a version once per statement, not once per row: a register closed for thirty
 * people is one write to the feature's row. Whether a statement touched anyone marked present is read
 * from its transition tables (the rows before and after).
 */
async function createPostgresTriggers(db: Kysely<any>): Promise<void> {
  await run(
    db,
    `create function bump_record_version() returns trigger language plpgsql as $$
begin
  update record_versions set version = version + 1 where name = tg_argv[0];
  return null;
end
$$`,
  );
  await run(
    db,
    `create function bump_record_version_if_present() returns trigger language plpgsql as $$
declare
  present boolean := false;
begin
  -- Each transition table exists only for the events that have it, so each is read in its own statement.
  if tg_op <> 'DELETE' then
    present := exists (select 1 from new_rows where attendance = 'present');
  end if;
  if not present and tg_op <> 'INSERT' then
    present := exists (select 1 from old_rows where attendance = 'present');
  end if;
  if present then
    update record_versions set version = version + 1 where name = tg_argv[0];
  end if;
  return null;
end
$$`,
  );
  for (const w of WATCHES) {
    for (const event of w.events) {
      const name = triggerName(w, event);
      if (!w.presentOnly) {
        await run(
          db,
          `create trigger ${name} after ${onEvent(w, event)} on ${w.table} for each statement execute function bump_record_version('${w.feature}')`,
        );
        continue;
      }
      const rows = event === "insert" ? "new table as new_rows" : event === "delete" ? "old table as old_rows" : "old table as old_rows new table as new_rows";
      await run(
        db,
        `create trigger ${name} after ${event} on ${w.table} referencing ${rows} for each statement execute function bump_record_version_if_present('${w.feature}')`,
      );
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  const postgres = onPostgres(db);
  for (const w of WATCHES) {
    for (const event of w.events) await run(db, `drop trigger if exists ${triggerName(w, event)}${postgres ? ` on ${w.table}` : ""}`);
  }
  if (postgres) {
    await run(db, "drop function if exists bump_record_version_if_present()");
    await run(db, "drop function if exists bump_record_version()");
  }
  await db.deleteFrom("record_versions").execute();
  await db.insertInto("record_versions").values({ name: "records", version: 0 }).execute();
  if (postgres) return;
  for (const table of EARLIER) {
    for (const event of EVENTS) {
      await run(
        db,
        `create trigger ${table}_${event}_bumps_version after ${table === "users" && event === "update" ? "update of name, email, is_active" : event} on ${table} ` +
          `begin update record_versions set version = version + 1 where name = 'records'; end`,
      );
    }
  }
}
