import type { Kysely } from "kysely";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "#db/schema.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { getDb } from "#app/db.server.ts";
import { attend, createLeader, createLeaderRole, createLeaderYear, leaderCourses, leaderSession, unique, type TestLeader } from "#tests/compliance-fixtures.ts";
import { createUser } from "#tests/factories.ts";
import { routeOutcome } from "#tests/route-outcome.ts";
import { pinClock } from "#tests/scheduling-fixtures.ts";
import { recordExemption, recordExternalCompletion } from "./records.server.ts";
import { leaderPageAction, leaderPageYear, requireLeaderId } from "./leader-page.server.ts";

const YEAR = 2091;
const NOW = `${YEAR}-12-01T12:00:00Z`;
let db: Kysely<Database>;
let officer: SessionUser;
let courses: Awaited<ReturnType<typeof leaderCourses>>;
let roleId: number;

beforeEach(() => pinClock(NOW));
beforeAll(async () => {
  pinClock(NOW);
  db = getDb();
  officer = await createUser(db, { roles: ["officer"] });
  courses = await leaderCourses(db);
  await createLeaderYear(db, YEAR);
  await createLeaderYear(db, YEAR + 1);
  roleId = await createLeaderRole(db, [{ courseId: courses.bystander }]);
});

const form = (values: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(values)) data.append(k, v);
  return data;
};
/** What the audit log holds about these leaders: a refused request adds nothing. */
const auditOf = (...personIds: number[]) =>
  db
    .selectFrom("audit_events")
    .select(["id", "action"])
    .where("entity_type", "=", "leader")
    .where(
      "entity_id",
      "in",
      personIds.map((id) => String(id)),
    )
    .execute();

describe("whose page it is", () => {
  it("is a leader on file; anything else is a 404", async () => {
    const leader = await createLeader(db, { roleId, startYear: YEAR });
    expect(await requireLeaderId(db, String(leader.personId))).toBe(leader.personId);
    for (const param of [String(leader.personId + 1_000_000), "abc", "0", "-1", undefined]) {
      expect((await routeOutcome(() => requireLeaderId(db, param))).status, String(param)).toBe(404);
    }
  });
});

describe("which year the page shows", () => {
  it("is the year from the address; with none current, the last year the person held a role; with none of those, nothing", async () => {
    const leader = await createLeader(db, { roleId, startYear: YEAR + 1 });
    await createLeader(db, { roleId, startYear: YEAR, personId: leader.personId });
    const asked = { startYear: YEAR, deadline: `${YEAR}-10-31` };
    expect(await leaderPageYear(db, leader.personId, asked)).toBe(asked);
    expect(await leaderPageYear(db, leader.personId, null)).toEqual({ startYear: YEAR + 1, deadline: `${YEAR + 1}-10-31` });

    const { id: noRoles } = await db
      .insertInto("leader_people")
      .values({ name: "No Roles", email: `no-roles-${unique()}@students.example.ac.uk`, student_id: null, created_at: NOW, updated_at: NOW })
      .returning("id")
      .executeTakeFirstOrThrow();
    expect(await leaderPageYear(db, noRoles, null)).toBeNull();
  });
});

describe("what the page's forms do", () => {
  let owner: TestLeader;
  let other: TestLeader;
  beforeAll(async () => {
    owner = await createLeader(db, { roleId, startYear: YEAR });
    other = await createLeader(db, { roleId, startYear: YEAR });
  });

  it("withdraws a record only on its own leader's page, whichever leader the form names", async () => {
    const completion = await recordExternalCompletion(db, officer, {
      personId: other.personId,
      courseId: courses.consent,
      completedOn: `${YEAR}-09-01`,
      provider: "Elsewhere",
    });
    const exemption = await recordExemption(db, officer, {
      personId: other.personId,
      courseId: null,
      startYear: YEAR,
      reason: "Trains others",
      grantedBy: "VP",
    });
    const audits = await auditOf(owner.personId, other.personId);
    for (const [intent, id] of [
      ["withdraw-completion", completion],
      ["withdraw-exemption", exemption],
    ] as const) {
      const asked = form({ intent, id: String(id), reason: "Not theirs", personId: String(other.personId) });
      const refused = await leaderPageAction(db, officer, owner.personId, asked);
      expect(refused, intent).toMatchObject({ refused: { form: `${intent}-${id}`, result: { error: { "": [expect.stringMatching(/no longer exists$/)] } } } });
    }
    expect((await db.selectFrom("leader_completions").select("withdrawn_at").where("id", "=", completion).executeTakeFirstOrThrow()).withdrawn_at).toBeNull();
    expect((await db.selectFrom("leader_exemptions").select("withdrawn_at").where("id", "=", exemption).executeTakeFirstOrThrow()).withdrawn_at).toBeNull();
    expect(await auditOf(owner.personId, other.personId)).toEqual(audits);

    // On their own leader's page the same forms withdraw them.
    const withdrawn = await leaderPageAction(
      db,
      officer,
      other.personId,
      form({ intent: "withdraw-completion", id: String(completion), reason: "Entered twice" }),
    );
    expect(withdrawn).toEqual({ flash: { kind: "success", message: "Withdrawn. The record stays in the history but no longer counts." } });
    expect((await db.selectFrom("leader_completions").select("withdraw_reason").where("id", "=", completion).executeTakeFirstOrThrow()).withdraw_reason).toBe(
      "Entered twice",
    );
  });

  it("records an exemption from a course or from every course only when one is chosen, keeping what was typed", async () => {
    const leader = await createLeader(db, { roleId, startYear: YEAR });
    const typed = { intent: "exemption", courseId: "", startYear: String(YEAR), reason: "Trains others", grantedBy: "VP Welfare" };
    const refused = await leaderPageAction(db, officer, leader.personId, form(typed));
    expect(refused).toMatchObject({ refused: { form: "exemption", result: { error: { courseId: ["Choose a course, or every course"] } } } });
    expect(refused && "refused" in refused && refused.refused.result.initialValue).toMatchObject({ reason: "Trains others", grantedBy: "VP Welfare" });
    expect(await db.selectFrom("leader_exemptions").select("id").where("person_id", "=", leader.personId).execute()).toEqual([]);

    const saved = await leaderPageAction(db, officer, leader.personId, form({ ...typed, courseId: "all" }));
    expect(saved).toEqual({ flash: { kind: "success", message: `Recorded the exemption for ${YEAR}–${String(YEAR + 1).slice(2)}.` } });
    expect(await db.selectFrom("leader_exemptions").select(["course_id", "start_year"]).where("person_id", "=", leader.personId).execute()).toEqual([
      { course_id: null, start_year: YEAR },
    ]);

    // A year the leader holds no role in: the refusal is for the whole form, which has no year field to show it beside.
    const elsewhere = await leaderPageAction(db, officer, leader.personId, form({ ...typed, courseId: "all", startYear: String(YEAR + 1) }));
    expect(elsewhere).toMatchObject({ refused: { form: "exemption", result: { error: { "": [expect.stringMatching(/holds no role in/)] } } } });
  });

  it("settles only a possible match proposed for the page's leader, whichever leader the form names", async () => {
    const noor = await createLeader(db, { roleId, startYear: YEAR, name: `Noor Haddad ${unique()}` });
    const registrationId = await attend(db, await leaderSession(db, courses.bystander, `${YEAR}-10-10`), {
      name: noor.name,
      email: `someone.else.${unique()}@mail.example`,
    });
    const audits = await auditOf(owner.personId, noor.personId);
    for (const intent of ["confirm", "dismiss"]) {
      const asked = form({ intent, registrationId: String(registrationId), personId: String(noor.personId) });
      expect(await leaderPageAction(db, officer, owner.personId, asked), intent).toEqual({
        flash: { kind: "error", message: "This attendance is not a possible match for this leader. The page has been brought up to date." },
      });
    }
    expect(await auditOf(owner.personId, noor.personId)).toEqual(audits);
    expect(await db.selectFrom("leader_completions").select("id").where("registration_id", "=", registrationId).execute()).toEqual([]);
    expect(await db.selectFrom("leader_match_dismissals").select("person_id").where("registration_id", "=", registrationId).execute()).toEqual([]);

    const confirmed = await leaderPageAction(db, officer, noor.personId, form({ intent: "confirm", registrationId: String(registrationId) }));
    expect(confirmed).toEqual({ flash: { kind: "success", message: `Confirmed. The attendance now counts as ${noor.name}'s training.` } });
    expect(await db.selectFrom("leader_completions").select("person_id").where("registration_id", "=", registrationId).execute()).toEqual([
      { person_id: noor.personId },
    ]);
  });

  it("does nothing for a form the page does not have", async () => {
    const audits = await auditOf(owner.personId);
    expect(await leaderPageAction(db, officer, owner.personId, form({ intent: "end", appointmentId: String(owner.appointmentId) }))).toBeNull();
    expect(await leaderPageAction(db, officer, owner.personId, form({}))).toBeNull();
    expect(await auditOf(owner.personId)).toEqual(audits);
  });
});
