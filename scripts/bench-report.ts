/**
 * How long the impact report takes for a year with 50,000 attendances and four years of history
 * before it, from the database to finished HTML. Prints figures; asserts nothing.
 *
 *   npx tsx scripts/bench-report.ts            (ATTENDANCES=n a year, YEARS=n years; KEEP=1 keeps the database)
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { sql } from "kysely";
import { migrateToLatest, openDatabase } from "#db/connection.ts";
import { loadImpactReport } from "#app/reports/impact-page.server.ts";
import { ReportBody } from "#app/reports/report-view.tsx";

const file = path.join(os.tmpdir(), `neverok-bench-report-${process.pid}.sqlite`);
const db = openDatabase(file);
await migrateToLatest(db);

let seed = 42;
const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
const at = new Date().toISOString();

const kinds = ["department", "sports_club", "society", "leader_programme", "partner_venue", "staff_team"] as const;
const orgIds: number[] = [];
for (let i = 0; i < 200; i++) {
  const r = await db
    .insertInto("organisations")
    .values({
      name: `Organisation ${i}`,
      kind: pick(kinds),
      contact_name: null,
      contact_email: null,
      contact_phone: null,
      notes: null,
      created_at: at,
      updated_at: at,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  orgIds.push(r.id);
}
const courseIds: number[] = [];
for (const name of ["Active Bystander", "Consent", "Handling Disclosures", "Unconscious Bias"]) {
  const r = await db
    .insertInto("courses")
    .values({ name, description: name, duration_minutes: 90, default_group_size: 30, max_group_size: 40, colour: "#5b21b6", created_at: at, updated_at: at })
    .returning("id")
    .executeTakeFirstOrThrow();
  courseIds.push(r.id);
}
const trainerIds: number[] = [];
for (let i = 0; i < 20; i++) {
  const r = await db
    .insertInto("users")
    .values({ email: `trainer${i}@bench.example`, name: `Trainer ${i}`, password_hash: null, created_at: at, updated_at: at })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db.insertInto("user_roles").values({ user_id: r.id, role: "trainer", granted_at: at }).execute();
  trainerIds.push(r.id);
}

/** One academic year: booked sessions with head counts and open sessions with named registers, ~`target` attendances. */
async function year(startYear: number, target: number) {
  const start = Date.UTC(startYear, 7, 1, 9);
  let attendances = 0;
  let n = 0;
  await db.transaction().execute(async (trx) => {
    while (attendances < target) {
      n++;
      const open = n % 4 === 0;
      const startsAt = new Date(start + Math.floor(rand() * 360) * 86_400_000 + Math.floor(rand() * 8) * 3_600_000);
      const size = 15 + Math.floor(rand() * 30);
      const s = await trx
        .insertInto("sessions")
        .values({
          course_id: pick(courseIds),
          organisation_id: open ? null : pick(orgIds),
          starts_at: startsAt.toISOString(),
          ends_at: new Date(startsAt.getTime() + 90 * 60_000).toISOString(),
          duration_minutes: 90,
          room_id: null,
          address: "Somewhere",
          capacity: 40,
          status: rand() < 0.05 ? "cancelled" : "delivered",
          cancel_reason: null,
          ical_uid: `bench-${startYear}-${n}@bench.example`,
          created_by: null,
          created_at: at,
          updated_at: at,
          kind: open ? "open" : "booked",
          head_count: open ? null : size,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await trx
        .insertInto("session_trainers")
        .values({
          session_id: s.id,
          trainer_id: pick(trainerIds),
          status: "accepted",
          assigned_by: null,
          assigned_at: at,
          responded_at: at,
          decline_reason: null,
          override_reason: null,
        })
        .execute();
      if (open) {
        await trx
          .insertInto("registrations")
          .values(
            Array.from({ length: size }, (_, i) => ({
              session_id: s.id,
              name: `Person ${i}`,
              email: `person${Math.floor(rand() * 20_000)}@students.bench.example`,
              student_id: null,
              accessibility_needs: null,
              answer: null,
              status: "registered" as const,
              attendance: rand() < 0.85 ? ("present" as const) : ("absent" as const),
              created_at: at,
              promoted_at: null,
              cancelled_at: null,
              attendance_marked_at: null,
            })),
          )
          .onConflict((oc) => oc.doNothing())
          .execute();
      }
      attendances += size;
      const answers = Math.floor(size * 0.5);
      await trx
        .insertInto("feedback_responses")
        .values(
          Array.from({ length: answers }, () => {
            const before = 1 + Math.floor(rand() * 3);
            return {
              session_id: s.id,
              source: "qr" as const,
              rating: 4,
              recommend: rand() < 0.89 ? ("yes" as const) : ("not_sure" as const),
              confidence_before: rand() < 0.9 ? before : null,
              confidence_after: before + Math.floor(rand() * 3),
              do_differently: null,
              comments: null,
              created_at: startsAt.toISOString(),
            };
          }),
        )
        .execute();
    }
  });
}

const ATTENDANCES = Number(process.env.ATTENDANCES ?? 50_000);
const YEARS = Number(process.env.YEARS ?? 5);
const t0 = performance.now();
for (let y = 2025 - YEARS + 1; y <= 2025; y++) await year(y, ATTENDANCES);
await sql`analyze`.execute(db);
const built = performance.now() - t0;
const counts = await db
  .selectFrom("sessions")
  .select((eb) => [eb.fn.countAll<number>().as("sessions"), eb.fn.sum<number>("head_count").as("headCounts")])
  .executeTakeFirstOrThrow();
const registrations = await db
  .selectFrom("registrations")
  .select((eb) => eb.fn.countAll<number>().as("n"))
  .executeTakeFirstOrThrow();

const params = new URLSearchParams("year=2025");
const runs: number[] = [];
const queryRuns: number[] = [];
let html = "";
for (let i = 0; i < 30; i++) {
  const a = performance.now();
  const page = await loadImpactReport(db, params);
  const b = performance.now();
  html = renderToString(createElement(ReportBody, { report: page.report, exportHref: (t: string) => `/x?table=${t}` }));
  runs.push(performance.now() - a);
  queryRuns.push(b - a);
}
const sorted = (xs: number[]) => [...xs].sort((x, y) => x - y);
const pct = (xs: number[], p: number) => sorted(xs)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const last = await loadImpactReport(db, params);

console.log(`Impact report benchmark (${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version})`);
console.log(`  data: ${counts.sessions} sessions, ${registrations.n} registrations, built in ${(built / 1000).toFixed(1)} s`);
console.log(`  2025–26 headline: ${last.report.headlines[0]}`);
console.log(`  queries (both years): median ${pct(queryRuns, 50).toFixed(1)} ms, p95 ${pct(queryRuns, 95).toFixed(1)} ms`);
console.log(
  `  queries + HTML (${(html.length / 1024).toFixed(0)} KB): median ${pct(runs, 50).toFixed(1)} ms, p95 ${pct(runs, 95).toFixed(1)} ms, first ${runs[0]!.toFixed(1)} ms`,
);

await db.destroy();
if (process.env.KEEP) console.log(`  kept ${file}`);
else for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(`${file}${suffix}`, { force: true });
