import { beforeAll, describe, expect, it } from "vitest";
import type { Kysely } from "kysely";
import type { Database, Recommend } from "#db/schema.ts";
import { getDb } from "#app/db.server.ts";
import { createCourse, createOrganisation, insertFeedbackResponses } from "#tests/factories.ts";
import { tableCsv } from "./export.ts";
import { formatFigure, SUPPRESSED } from "./figures.ts";
import { ensureInstitution } from "#app/reference/institutions.server.ts";
import { compareInstitutions, COMPARISON_COLUMNS } from "./institutions.server.ts";

/** 2021–22, long before any test's clock, so nothing else lands in it. */
const YEAR = 2021;
let db: Kysely<Database>;
const ids = {} as Record<string, number>;
const stamp = Date.now();

async function session(opts: { org: number | null; at: string; headCount: number; status?: "delivered" | "cancelled" }) {
  const start = new Date(opts.at);
  const row = await db
    .insertInto("sessions")
    .values({
      course_id: ids.course!,
      booking_request_id: null,
      organisation_id: opts.org,
      starts_at: start.toISOString(),
      ends_at: new Date(start.getTime() + 90 * 60_000).toISOString(),
      duration_minutes: 90,
      room_id: null,
      address: "1 High Street",
      capacity: 40,
      status: opts.status ?? "delivered",
      cancel_reason: null,
      ical_uid: `institutions-${crypto.randomUUID()}@neverok.example`,
      created_by: null,
      created_at: "2021-01-01T00:00:00.000Z",
      updated_at: "2021-01-01T00:00:00.000Z",
      kind: opts.org ? "booked" : "open",
      head_count: opts.headCount,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

async function feedback(sessionId: number, answers: Recommend[]) {
  await insertFeedbackResponses(
    db,
    sessionId,
    answers.map((recommend) => ({ recommend, confidence_before: 2, confidence_after: 4, created_at: "2021-11-01T00:00:00.000Z" })),
  );
}

async function orgIn(institution: number | null, name: string) {
  const id = await createOrganisation(db, { name: `${name} ${stamp}`, kind: "department" });
  await db.updateTable("organisations").set({ institution_id: institution }).where("id", "=", id).execute();
  return id;
}

beforeAll(async () => {
  db = getDb();
  ids.course = await createCourse(db, { name: `Comparison course ${stamp}` });
  ids.big = await ensureInstitution(db, `Avonport University ${stamp}`);
  ids.small = await ensureInstitution(db, `Harbour College ${stamp}`);
  ids.empty = await ensureInstitution(db, `Quay Institute ${stamp}`);
  const bigA = await orgIn(ids.big, "Department of History");
  const bigB = await orgIn(ids.big, "Department of Law");
  const small = await orgIn(ids.small, "School of Art");
  const none = await orgIn(null, "Department of Elsewhere");
  // The big one: 20 + 10 people in two delivered sessions; a cancelled one counts for nothing.
  const first = await session({ org: bigA, at: "2021-10-12T13:00:00Z", headCount: 20 });
  await session({ org: bigB, at: "2021-11-09T13:00:00Z", headCount: 10 });
  await session({ org: bigA, at: "2021-11-16T13:00:00Z", headCount: 15, status: "cancelled" });
  await feedback(first, ["yes", "yes", "yes", "yes", "yes", "no"]);
  // The small one: 3 people and 2 answers, both under the small-number rule.
  const tiny = await session({ org: small, at: "2021-10-20T13:00:00Z", headCount: 3 });
  await feedback(tiny, ["yes", "no"]);
  // Neither an organisation outside the partnership nor an open session belongs to an institution.
  await session({ org: none, at: "2021-10-21T13:00:00Z", headCount: 12 });
  await session({ org: null, at: "2021-10-22T13:00:00Z", headCount: 8 });
});

const rowFor = (table: { rows: { kind: string; text?: string }[][] }, name: string) => {
  const row = table.rows.find((r) => r[0]!.kind === "text" && r[0]!.text?.startsWith(name));
  return row?.map((f) => formatFigure(f as never));
};

describe("comparing the institutions of a partnership", () => {
  it("gives each institution its sessions, people and feedback, from its own organisations' sessions only", async () => {
    const c = await compareInstitutions(db, new URLSearchParams(`year=${YEAR}`));
    expect(c.table.columns).toEqual(COMPARISON_COLUMNS);
    expect(rowFor(c.table, "Avonport University")).toEqual([`Avonport University ${stamp}`, "2", "30", "no roster", "6", "83%", "100%"]);
    expect(rowFor(c.table, "Quay Institute")).toEqual([`Quay Institute ${stamp}`, "0", "0", "no roster", "0", "–", "–"]);
  });

  it("hides every figure that rests on fewer than 5 people", async () => {
    const c = await compareInstitutions(db, new URLSearchParams(`year=${YEAR}`));
    expect(rowFor(c.table, "Harbour College")).toEqual([`Harbour College ${stamp}`, "1", SUPPRESSED, "no roster", SUPPRESSED, SUPPRESSED, SUPPRESSED]);
    const csv = tableCsv(c.table, c.scope.period.label).body;
    expect(csv).toContain(`Harbour College ${stamp}`);
    expect(csv).not.toMatch(new RegExp(`Harbour College ${stamp}[^\\n]*,3,`));
  });

  it("compares only the institutions chosen, ignoring ids that are not institutions", async () => {
    const c = await compareInstitutions(
      db,
      new URLSearchParams(`year=${YEAR}&institution=${ids.small}&institution=${ids.big}&institution=999999&institution=x`),
    );
    expect(c.chosen.sort()).toEqual([ids.big, ids.small].sort());
    expect(c.table.rows.map((r) => formatFigure(r[0]!))).toEqual([`Avonport University ${stamp}`, `Harbour College ${stamp}`]);
  });

  it("compares every institution when none is chosen", async () => {
    const c = await compareInstitutions(db, new URLSearchParams(`year=${YEAR}&institution=999999`));
    expect(c.chosen).toEqual([]);
    expect(c.table.rows.length).toBe(c.institutions.length);
  });
});
