import type { Kysely } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#app/db.server.ts";
import { academicYearStartOf, termOf } from "#app/utils/dates.ts";
import { DAY, setClockOffsetForTests } from "#app/utils/time.ts";
import type { Database } from "#db/schema.ts";
import { seedDemoData } from "./demo.ts";

// The demo as it is loaded on 21 November 2026, half-way through the autumn term.
const AT = new Date("2026-11-21T10:00:00.000Z");

let db: Kysely<Database>;
beforeAll(async () => {
  db = getDb();
  setClockOffsetForTests(AT.getTime() - Date.now());
  await seedDemoData(db, AT);
}, 30_000);

/** This term's booked sessions, besides the history written before it. */
const termBookings = () =>
  db
    .selectFrom("sessions as s")
    .innerJoin("booking_requests as r", "r.id", "s.booking_request_id")
    .innerJoin("organisations as o", "o.id", "s.organisation_id")
    .select(["s.id", "s.status", "s.starts_at", "s.trainers_needed", "s.head_count", "s.room_id", "s.address", "r.session_id", "r.status as request", "o.name"])
    .where("s.kind", "=", "booked")
    .where("s.ical_uid", "not like", "session-history-%")
    .where("s.starts_at", ">=", termOf(AT).start.toISOString())
    .orderBy("s.starts_at")
    .execute();

describe("the demo's term", () => {
  it("has fourteen bookings delivered so far, each scheduled from its request, staffed, and closed with a head count", async () => {
    const delivered = (await termBookings()).filter((s) => s.status === "delivered");
    expect(delivered).toHaveLength(14);
    for (const s of delivered) {
      expect(s).toMatchObject({ session_id: s.id, request: "scheduled" });
      expect(s.head_count).toBeGreaterThan(0);
      expect(s.room_id === null).toBe(s.address !== null);
      const accepted = await db.selectFrom("session_trainers").select("trainer_id").where("session_id", "=", s.id).where("status", "=", "accepted").execute();
      expect(accepted).toHaveLength(s.trainers_needed);
    }
  });

  it("has a venue's booking starting within a day, staffed, whose reminders have gone out", async () => {
    const soon = (await termBookings()).filter((s) => s.status === "scheduled" && Date.parse(s.starts_at) < AT.getTime() + DAY);
    expect(soon.map((s) => ({ name: s.name, linked: s.session_id === s.id, trainers: s.trainers_needed }))).toEqual([
      { name: "Komedia", linked: true, trainers: 1 },
    ]);
    const reminded = await db.selectFrom("reminders_sent").select("recipient_email").where("session_id", "=", soon[0]!.id).execute();
    expect(reminded.map((r) => r.recipient_email)).toContain("manager@moles.example");
  });

  it("puts the leaders who signed up to the first induction on this year's roster, with the same email and student ID", async () => {
    const first = await db
      .selectFrom("sessions")
      .select("id")
      .where("title", "=", "Student leader induction: Active Bystander")
      .orderBy("starts_at")
      .executeTakeFirstOrThrow();
    const signups = await db.selectFrom("registrations").select(["email", "student_id"]).where("session_id", "=", first.id).orderBy("email").execute();
    expect(signups).toHaveLength(10);
    const onRoster = await db
      .selectFrom("leader_people as p")
      .innerJoin("leader_appointments as a", "a.person_id", "p.id")
      .select(["p.email", "p.student_id"])
      .where("a.start_year", "=", academicYearStartOf(AT))
      .where(
        "p.email",
        "in",
        signups.map((s) => s.email!),
      )
      .orderBy("p.email")
      .execute();
    expect(onRoster).toEqual(signups);
  });
});

describe("the demo's leader roster", () => {
  it("has leader sessions delivered this year and last, each open to as many as its room holds, staffed, with the register closed", async () => {
    const sessions = await db
      .selectFrom("sessions as s")
      .innerJoin("rooms as r", "r.id", "s.room_id")
      .leftJoin("session_trainers as st", (j) => j.onRef("st.session_id", "=", "s.id").on("st.status", "=", "accepted"))
      .select((eb) => [
        "s.title",
        "s.capacity",
        "r.capacity as holds",
        "s.trainers_needed",
        "s.register_closed_at",
        eb.fn.count<number>("st.trainer_id").as("accepted"),
      ])
      .where("s.kind", "=", "open")
      .where("s.feedback_code", "like", "leaders%")
      .groupBy("s.id")
      .orderBy("s.starts_at")
      .execute();
    expect(sessions.map((s) => s.title)).toEqual([
      "Freshers' Week captains: Consent",
      "Leader induction: Active Bystander",
      "Freshers' Week captains: Active Bystander",
      "Freshers' Week captains: Consent",
      "Leader induction: Active Bystander",
      "Hall reps: Handling Disclosures",
      "Leader induction: Active Bystander",
      "Leader induction: Active Bystander",
    ]);
    for (const s of sessions) {
      expect(s.capacity).toBe(s.holds);
      expect(Number(s.accepted)).toBe(s.trainers_needed);
      expect(s.register_closed_at).not.toBeNull();
    }
  });
});
