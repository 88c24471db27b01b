/**
 * `npm run bench:compliance [-- leaders]`: builds a throwaway database with 20,000 student
 * leaders (and registers, recorded training, exemptions and reminders at a city-wide scale) and
 * times the officer's dashboard query. Prints milliseconds; deletes the database afterwards
 * (KEEP=1 keeps it, to look at query plans). HISTORY=n sets the earlier years of registers (default 4, 50,000 attendances each); RUNS=n the runs per timing.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import { migrateToLatest, openDatabase } from "#db/connection.ts";
import { complianceForYear } from "#app/compliance/roster.server.ts";
import { leaderDetail } from "#app/compliance/leader-detail.server.ts";
import { nearMisses } from "#app/compliance/near-misses.server.ts";
import { dashboardPage, groupNamesForYear } from "#app/compliance/dashboard.server.ts";
import { nextInductionSessions } from "#app/compliance/reminders.server.ts";
import { listLeaderRoles } from "#app/compliance/roles.server.ts";
import { londonWallTimeToUtc } from "#app/utils/dates.ts";

const LEADERS = Number(process.argv[2] ?? 20_000);
/** Years of earlier registers (50,000 attendances each) behind the current year's, as a city would have. */
const HISTORY_YEARS = Number(process.env.HISTORY ?? 4);
const PER_YEAR = 50_000;
const YEAR = 2026;
const AS_OF = `${YEAR}-11-20`;
const file = path.join(os.tmpdir(), `neverok-bench-${process.pid}.sqlite`);
const at = new Date().toISOString();

async function insertChunked<T extends keyof Database & string>(db: Kysely<Database>, table: T, rows: Record<string, unknown>[]) {
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto(table)
      .values(rows.slice(i, i + 500) as never)
      .execute();
}

async function build(db: Kysely<Database>) {
  await db.transaction().execute(async (trx) => {
    const courseNames = ["Active Bystander", "Handling Disclosures", "Consent"];
    await insertChunked(
      trx,
      "courses",
      courseNames.map((name) => ({
        name,
        description: name,
        duration_minutes: 90,
        default_group_size: 30,
        max_group_size: 200,
        colour: "#6d28d9",
        created_at: at,
        updated_at: at,
      })),
    );
    const [bystander, disclosures, consent] = [1, 2, 3];
    const roles = ["Freshers' Week captain", "Hall rep", "Society committee", "Sports club committee", "Course rep", "Network lead", "Buddy"];
    await insertChunked(
      trx,
      "leader_roles",
      roles.map((name) => ({ name, description: null, created_at: at, updated_at: at })),
    );
    await insertChunked(trx, "leader_role_requirements", [
      ...roles.map((_, i) => ({ role_id: i + 1, course_id: bystander, validity: "academic_year", validity_months: null })),
      { role_id: 1, course_id: consent, validity: "academic_year", validity_months: null },
      { role_id: 2, course_id: disclosures, validity: "months", validity_months: 24 },
    ]);
    await insertChunked(trx, "leader_years", [{ start_year: YEAR, deadline: `${YEAR}-10-31`, created_at: at, updated_at: at }]);

    const people = Array.from({ length: LEADERS }, (_, i) => ({
      name: `Leader ${i} Surname${i % 997}`,
      email: `leader${i}@students.example.ac.uk`,
      student_id: `S${3000000 + i}`,
      created_at: at,
      updated_at: at,
    }));
    await insertChunked(trx, "leader_people", people);
    // One role each, and a second role for one in ten.
    const appointments = [
      ...people.map((_, i) => ({ person_id: i + 1, role_id: (i % 7) + 1, group: `Group ${i % 400}` })),
      ...people.filter((_, i) => i % 10 === 0).map((_, k) => ({ person_id: k * 10 + 1, role_id: ((k + 3) % 7) + 1, group: `Group ${(k * 7) % 400}` })),
    ];
    await insertChunked(
      trx,
      "leader_appointments",
      appointments.map((a, i) => ({
        person_id: a.person_id,
        start_year: YEAR,
        role_id: a.role_id,
        group_name: a.group,
        organisation_id: null,
        is_president: i % 40 === 0 ? 1 : 0,
        started_on: i % 50 === 0 ? `${YEAR}-11-10` : `${YEAR}-09-01`,
        ended_on: i % 97 === 0 ? `${YEAR}-10-15` : null,
        end_reason: i % 97 === 0 ? "Stepped down" : null,
        created_at: at,
        updated_at: at,
      })),
    );

    // 200 delivered sessions over two years, and registers: most leaders present (by email, some by
    // student ID only), some absent, and as many other students again.
    const sessions = Array.from({ length: 200 }, (_, i) => {
      const courseId = i % 10 === 0 ? disclosures : i % 7 === 0 ? consent : bystander;
      // 80 last year, 120 this autumn up to the day of the benchmark.
      const day = (i < 80 ? new Date(Date.UTC(YEAR - 1, 8, 1) + i * 3.5 * 86_400_000) : new Date(Date.UTC(YEAR, 7, 15) + (i - 80) * 0.8 * 86_400_000))
        .toISOString()
        .slice(0, 10);
      const start = londonWallTimeToUtc(day, "18:00");
      return {
        course_id: courseId,
        booking_request_id: null,
        organisation_id: null,
        starts_at: start.toISOString(),
        ends_at: new Date(start.getTime() + 90 * 60_000).toISOString(),
        duration_minutes: 90,
        room_id: null,
        address: "Students' Union",
        capacity: 300,
        status: day < AS_OF ? "delivered" : "scheduled",
        cancel_reason: null,
        ical_uid: `bench-${i}@neverok.example`,
        created_by: null,
        created_at: at,
        updated_at: at,
        kind: "open",
        title: "Leader induction",
      };
    });
    await insertChunked(trx, "sessions", sessions);
    const registrations: Record<string, unknown>[] = [];
    const reg = (session: number, name: string, email: string | null, studentId: string | null, attendance: string) =>
      registrations.push({
        session_id: session,
        name,
        email,
        student_id: studentId,
        accessibility_needs: null,
        answer: null,
        status: "registered",
        attendance,
        manage_token_hash: null,
        created_at: at,
        promoted_at: null,
        cancelled_at: null,
        attendance_marked_at: at,
      });
    people.forEach((p, i) => {
      if (i % 4 === 3) return; // a quarter never came
      const session = 1 + ((i * 37) % 200);
      if (i % 9 === 0) reg(session, p.name, `personal${i}@gmail.example`, p.student_id, "present");
      else if (i % 13 === 0)
        reg(session, p.name, `other${i}@gmail.example`, null, "present"); // near-miss
      else reg(session, p.name, i % 5 === 0 ? p.email.toUpperCase() : p.email, null, i % 11 === 0 ? "absent" : "present");
      if (i % 2 === 0) reg(1 + ((i * 53) % 200), p.name, p.email, p.student_id, "present"); // a second session
    });
    for (let i = 0; i < LEADERS; i++) reg(1 + (i % 200), `Student ${i}`, `student${i}@students.example.ac.uk`, `T${4000000 + i}`, "present");
    await insertChunked(trx, "registrations", registrations);

    // Earlier years: 300 delivered sessions and 50,000 attendances each, some by this year's leaders.
    for (let y = 1; y <= HISTORY_YEARS; y++) {
      const first = 200 + (y - 1) * 300;
      const old = Array.from({ length: 300 }, (_, i) => {
        const start = londonWallTimeToUtc(new Date(Date.UTC(YEAR - 1 - y, 8, 1) + i * 1.1 * 86_400_000).toISOString().slice(0, 10), "18:00");
        return {
          ...sessions[0]!,
          course_id: i % 10 === 0 ? disclosures : i % 7 === 0 ? consent : bystander,
          starts_at: start.toISOString(),
          ends_at: new Date(start.getTime() + 90 * 60_000).toISOString(),
          status: "delivered",
          ical_uid: `bench-old-${y}-${i}@neverok.example`,
        };
      });
      await insertChunked(trx, "sessions", old);
      const rows: Record<string, unknown>[] = [];
      for (let k = 0; k < PER_YEAR; k++) {
        const leader = k % 5 === 0 && k / 5 < LEADERS ? people[(k / 5 + y * 97) % LEADERS]! : null;
        rows.push({
          ...registrations[0]!,
          session_id: first + 1 + (k % 300),
          name: leader?.name ?? `Student ${y}-${k}`,
          email: leader?.email ?? `old${y}-${k}@students.example.ac.uk`,
          student_id: leader ? null : `U${y}${1000000 + k}`,
          attendance: k % 12 === 0 ? "absent" : "present",
        });
      }
      await insertChunked(trx, "registrations", rows);
    }

    // Training recorded elsewhere and exemptions, as loaded in bulk: no officer named, none withdrawn.
    const recordedByNobody = { recorded_by: null, created_at: at, withdrawn_at: null, withdrawn_by: null, withdraw_reason: null };
    await insertChunked(
      trx,
      "leader_completions",
      people
        .filter((_, i) => i % 10 === 7)
        .map((_, k) => ({
          person_id: k * 10 + 8,
          course_id: bystander,
          completed_on: `${YEAR}-09-20`,
          source: "external",
          provider: "Elsewhere",
          evidence_note: null,
          registration_id: null,
          ...recordedByNobody,
        })),
    );
    await insertChunked(
      trx,
      "leader_exemptions",
      Array.from({ length: Math.floor(LEADERS / 200) }, (_, k) => ({
        person_id: k * 200 + 4,
        course_id: null,
        start_year: YEAR,
        reason: "Trains others",
        granted_by: "VP Welfare",
        ...recordedByNobody,
      })),
    );
    await insertChunked(
      trx,
      "leader_reminders",
      Array.from({ length: Math.floor(LEADERS / 4) }, (_, k) => ({
        person_id: k * 4 + 2,
        start_year: YEAR,
        sent_at: `${YEAR}-11-0${1 + (k % 9)}T10:00:00.000Z`,
        sent_by: null,
        email_message_id: null,
      })),
    );
  });
}

async function time<T>(label: string, runs: number, fn: () => Promise<T>): Promise<T> {
  let result = await fn(); // warm up
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    result = await fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  const at = (q: number) => ms[Math.min(ms.length - 1, Math.ceil(q * ms.length) - 1)]!.toFixed(0).padStart(5);
  console.log(`${label.padEnd(48)} median ${at(0.5)} ms   p95 ${at(0.95)} ms   best ${ms[0]!.toFixed(0).padStart(5)} ms   (${runs} runs)`);
  return result;
}

const db = openDatabase(file);
try {
  await migrateToLatest(db);
  const t = performance.now();
  await build(db);
  console.log(
    `Built ${LEADERS.toLocaleString("en-GB")} leaders and ${HISTORY_YEARS} earlier years of registers in ${((performance.now() - t) / 1000).toFixed(1)} s (${file})`,
  );

  const runs = Number(process.env.RUNS ?? 25);
  // What the officer's dashboard loader reads for its first page.
  await time("dashboard loader (first page, counts, filters)", runs, async () => {
    const roles = await listLeaderRoles(db, { includeArchived: true });
    const courseIds = [...new Set(roles.flatMap((r) => r.requirements.map((q) => q.courseId)))];
    return Promise.all([dashboardPage(db, YEAR, { sort: "status" }, 1, { asOf: AS_OF }), groupNamesForYear(db, YEAR), nextInductionSessions(db, courseIds, 3)]);
  });
  await time("dashboard loader, page 50 by name", runs, () => dashboardPage(db, YEAR, { sort: "name" }, 50, { asOf: AS_OF }));
  const report = await time("complianceForYear (all rows, default sort)", runs, () => complianceForYear(db, YEAR, { asOf: AS_OF }));
  await time("complianceForYear (first page of 100)", runs, () => complianceForYear(db, YEAR, { asOf: AS_OF, limit: 100 }));
  await time("complianceForYear (overdue, first 50 by name)", runs, () =>
    complianceForYear(db, YEAR, { asOf: AS_OF, filters: { status: "overdue", sort: "name" }, limit: 50 }),
  );
  await time("complianceForYear (one group)", runs, () => complianceForYear(db, YEAR, { asOf: AS_OF, filters: { group: "Group 7" } }));
  await time("complianceForYear (search, first 100)", runs, () => complianceForYear(db, YEAR, { asOf: AS_OF, filters: { search: "surname12" }, limit: 100 }));
  const misses = await time("nearMisses", runs, () => nearMisses(db, YEAR, { asOf: AS_OF }));
  await time("leaderDetail (one leader)", runs, () => leaderDetail(db, 10, YEAR, { asOf: AS_OF }));
  const o = report.summary.overall;
  console.log(
    `${report.total.toLocaleString("en-GB")} rows; ${o.total.toLocaleString("en-GB")} people: ${o.compliant} compliant (${o.percentCompliant}%), ${o.overdue} overdue, ${o.due_soon} due soon, ${o.due} due, ${o.ended} ended; ${misses.length} near-misses`,
  );
} finally {
  await db.destroy();
  if (!process.env.KEEP) for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(`${file}${suffix}`, { force: true });
}
