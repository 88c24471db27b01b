import { listInstitutions } from "./institutions.server.ts";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#app/db.server.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { createOrganisation, createUser } from "#tests/factories.ts";
import { rejection } from "#tests/rule-violations.ts";
import {
  getCourse,
  getOrganisation,
  getRoom,
  listCourses,
  listOrganisationMembers,
  listOrganisations,
  listRooms,
  saveCourse,
  saveOrganisation,
  saveRoom,
  setArchived,
} from "./reference.server.ts";
import { CourseSchema, OrganisationSchema, RoomSchema, type CourseInput } from "./schemas.ts";
import { rowCount } from "#tests/row-counts.ts";

const db = () => getDb();
let n = 0;
const unique = (label: string) => `${label} ${++n}-${Date.now()}`;

const course = (overrides: Partial<CourseInput> = {}): CourseInput => ({
  name: unique("Active Bystander"),
  description: "Recognise harassment and intervene safely.",
  durationMinutes: 90,
  defaultGroupSize: 20,
  maxGroupSize: 30,
  trainersNeeded: 1,
  colour: "#5B21B6",
  ...overrides,
});

async function audit(entityType: string, id: number) {
  return db().selectFrom("audit_events").selectAll().where("entity_type", "=", entityType).where("entity_id", "=", String(id)).orderBy("id").execute();
}

let actor: SessionUser;
beforeAll(async () => {
  actor = await createUser(db(), { name: "Cora Coordinator", roles: ["coordinator"] });
});

describe("saveCourse", () => {
  it("creates a course with an audit event naming the actor", async () => {
    const input = course();
    const id = await saveCourse(db(), actor, null, input);
    const row = await getCourse(db(), id);
    expect(row).toMatchObject({
      name: input.name,
      description: input.description,
      duration_minutes: 90,
      default_group_size: 20,
      max_group_size: 30,
      colour: "#5b21b6", // stored lower-case
      is_archived: 0,
    });
    const events = await audit("course", id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: "course.created", actor_user_id: actor.id });
    expect(events[0]!.summary).toContain(input.name);
    expect(JSON.parse(events[0]!.detail_json!)).toMatchObject({ name: input.name, max_group_size: 30 });
  });

  it("updates a course in place with a second audit event", async () => {
    const id = await saveCourse(db(), actor, null, course());
    const renamed = course({ name: unique("Handling Disclosures"), durationMinutes: 120, maxGroupSize: 16, defaultGroupSize: 12 });
    expect(await saveCourse(db(), actor, id, renamed)).toBe(id);
    expect(await getCourse(db(), id)).toMatchObject({ name: renamed.name, duration_minutes: 120, max_group_size: 16, default_group_size: 12 });
    expect((await audit("course", id)).map((e) => e.action)).toEqual(["course.created", "course.updated"]);
  });

  it("refuses a second course with the same name, on the name field, and changes nothing", async () => {
    const name = unique("Consent");
    await saveCourse(db(), actor, null, course({ name }));
    const before = await rowCount(db(), "audit_events");
    const err = await rejection(saveCourse(db(), actor, null, course({ name })));
    expect(err.field).toBe("name");
    expect((await listCourses(db())).filter((c) => c.name === name)).toHaveLength(1);
    expect(await rowCount(db(), "audit_events")).toBe(before);
  });

  it("refuses renaming a course to another course's name", async () => {
    const taken = unique("Unconscious Bias");
    await saveCourse(db(), actor, null, course({ name: taken }));
    const id = await saveCourse(db(), actor, null, course());
    expect((await rejection(saveCourse(db(), actor, id, course({ name: taken })))).field).toBe("name");
  });

  it("archives and restores a course with audit, and lists hide archived courses unless asked", async () => {
    const id = await saveCourse(db(), actor, null, course());
    await setArchived(db(), actor, "course", id, true);
    expect((await listCourses(db())).some((c) => c.id === id)).toBe(false);
    expect((await listCourses(db(), { includeArchived: true })).some((c) => c.id === id)).toBe(true);
    await setArchived(db(), actor, "course", id, false);
    expect((await listCourses(db())).some((c) => c.id === id)).toBe(true);
    expect((await audit("course", id)).map((e) => e.action)).toEqual(["course.created", "course.archived", "course.restored"]);
  });
});

describe("who may change courses, rooms and organisations", () => {
  it("only the coordinator: anyone else is refused and nothing is written", async () => {
    const trainer = await createUser(db(), { roles: ["trainer"] });
    const input = course();
    await expect(saveCourse(db(), trainer, null, input)).rejects.toMatchObject({ field: "forbidden" });
    expect((await listCourses(db(), { includeArchived: true })).some((c) => c.name === input.name)).toBe(false);
    const id = await saveCourse(db(), actor, null, input);
    await expect(setArchived(db(), trainer, "course", id, true)).rejects.toMatchObject({ field: "forbidden" });
    expect((await getCourse(db(), id))!.is_archived).toBe(0);
  });

  it("a change to a record that no longer exists is refused, not added", async () => {
    await expect(
      saveRoom(db(), actor, 999_999_999, { name: "Ghost", building: "Nowhere", capacity: 5, accessFeatures: [], accessibilityNotes: null }),
    ).rejects.toMatchObject({
      field: "form",
      message: "That room no longer exists.",
    });
  });
});

describe("saveRoom", () => {
  it("creates and updates a room with audit, and refuses a duplicate name in the same building", async () => {
    const building = unique("Students' Union");
    const id = await saveRoom(db(), actor, null, { name: "Room 1", building, capacity: 40, accessFeatures: [], accessibilityNotes: null });
    // The same name in another building is fine.
    await saveRoom(db(), actor, null, { name: "Room 1", building: unique("Library"), capacity: 10, accessFeatures: [], accessibilityNotes: null });
    await saveRoom(db(), actor, id, {
      name: "Room 1",
      building,
      capacity: 45,
      accessFeatures: ["hearing_loop", "step_free"],
      accessibilityNotes: "Lift by the main entrance",
    });
    expect(await getRoom(db(), id)).toMatchObject({
      capacity: 45,
      access_features: "step_free,hearing_loop",
      accessibility_notes: "Lift by the main entrance",
    });
    expect((await audit("room", id)).map((e) => e.action)).toEqual(["room.created", "room.updated"]);
    const err = await rejection(saveRoom(db(), actor, null, { name: "Room 1", building, capacity: 5, accessFeatures: [], accessibilityNotes: null }));
    expect(err.field).toBe("name");
    expect((await listRooms(db())).filter((r) => r.building === building)).toHaveLength(1);
  });
});

describe("saveOrganisation", () => {
  it("creates and updates an organisation with audit, and refuses a duplicate name", async () => {
    const name = unique("Hockey Club");
    const input = {
      name,
      kind: "sports_club" as const,
      contactName: "Hana",
      contactEmail: "hana@example.ac.uk",
      contactPhone: null,
      institution: null,
      notes: null,
    };
    const id = await saveOrganisation(db(), actor, null, input);
    expect(await getOrganisation(db(), id)).toMatchObject({ name, kind: "sports_club", contact_email: "hana@example.ac.uk" });
    await saveOrganisation(db(), actor, id, { ...input, contactEmail: null });
    expect((await getOrganisation(db(), id))!.contact_email).toBeNull();
    expect((await audit("organisation", id)).map((e) => e.action)).toEqual(["organisation.created", "organisation.updated"]);
    expect((await rejection(saveOrganisation(db(), actor, null, input))).field).toBe("name");
  });

  it("puts an organisation in an institution of the partnership by name, adding it once, and takes it out when the name is cleared", async () => {
    const institution = unique("Avonport University");
    const base = { kind: "department" as const, contactName: null, contactEmail: null, contactPhone: null, notes: null };
    const first = await saveOrganisation(db(), actor, null, { ...base, name: unique("Physics"), institution });
    const second = await saveOrganisation(db(), actor, null, { ...base, name: unique("Chemistry"), institution });
    const named = (await listInstitutions(db())).filter((i) => i.name === institution);
    expect(named).toHaveLength(1);
    expect((await getOrganisation(db(), first))!.institution_id).toBe(named[0]!.id);
    expect((await getOrganisation(db(), second))!.institution_id).toBe(named[0]!.id);
    await saveOrganisation(db(), actor, second, { ...base, name: (await getOrganisation(db(), second))!.name, institution: null });
    expect((await getOrganisation(db(), second))!.institution_id).toBeNull();
    expect(OrganisationSchema.safeParse({ name: "X", kind: "department", institution: "x".repeat(121) }).success).toBe(false);
  });

  it("lists organisations with their member counts, and their members", async () => {
    const org = await createOrganisation(db(), { name: unique("Chemistry") });
    const empty = await createOrganisation(db(), { name: unique("Empty Society"), kind: "society" });
    const a = await createUser(db(), { name: "Aa Member", organisationIds: [org] });
    const b = await createUser(db(), { name: "Bb Member", organisationIds: [org] });
    const rows = await listOrganisations(db());
    expect(rows.find((r) => r.id === org)?.member_count).toBe(2);
    expect(rows.find((r) => r.id === empty)?.member_count).toBe(0);
    expect((await listOrganisationMembers(db(), org)).map((m) => m.id)).toEqual([a.id, b.id]);
  });
});

describe("CourseSchema", () => {
  const form = (overrides: Record<string, unknown> = {}) => ({
    name: "Active Bystander",
    description: "Intervene safely.",
    durationMinutes: "90",
    defaultGroupSize: "20",
    maxGroupSize: "30",
    colour: "#5b21b6",
    ...overrides,
  });
  const errorsFor = (values: Record<string, unknown>) => {
    const result = CourseSchema.safeParse(values);
    expect(result.success).toBe(false);
    return result.error!.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
  };

  it("accepts a sound course and turns form strings into numbers", () => {
    expect(CourseSchema.parse(form())).toEqual({
      name: "Active Bystander",
      description: "Intervene safely.",
      durationMinutes: 90,
      defaultGroupSize: 20,
      maxGroupSize: 30,
      trainersNeeded: 1,
      colour: "#5b21b6",
    });
    // Equal default and maximum is allowed.
    expect(CourseSchema.safeParse(form({ defaultGroupSize: "30" })).success).toBe(true);
  });

  it("refuses a default group size above the maximum, with the error on defaultGroupSize", () => {
    expect(errorsFor(form({ defaultGroupSize: "31" }))).toEqual([
      { path: "defaultGroupSize", message: "The default group size cannot be bigger than the maximum" },
    ]);
  });

  it("refuses out-of-range and non-whole numbers and a bad colour, each on its own field", () => {
    expect(errorsFor(form({ durationMinutes: "10" })).map((e) => e.path)).toEqual(["durationMinutes"]);
    expect(errorsFor(form({ durationMinutes: "90.5" })).map((e) => e.path)).toEqual(["durationMinutes"]);
    expect(errorsFor(form({ maxGroupSize: "501", defaultGroupSize: "20" })).map((e) => e.path)).toContain("maxGroupSize");
    expect(errorsFor(form({ colour: "purple" })).map((e) => e.path)).toEqual(["colour"]);
    expect(errorsFor(form({ name: "   " })).map((e) => e.path)).toEqual(["name"]);
  });
});

describe("OrganisationSchema", () => {
  const form = (overrides: Record<string, unknown> = {}) => ({ name: "Rowing Club", kind: "sports_club", ...overrides });

  it("refuses a bad contact email, with the error on contactEmail", () => {
    const result = OrganisationSchema.safeParse(form({ contactEmail: "not-an-email" }));
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path.join("."))).toEqual(["contactEmail"]);
    expect(result.error!.issues[0]!.message).toBe("Enter an email address like name@example.ac.uk");
  });

  it("accepts an empty or missing contact email as null, and lower-cases a given one", () => {
    expect(OrganisationSchema.parse(form({ contactEmail: "" })).contactEmail).toBeNull();
    expect(OrganisationSchema.parse(form({ contactEmail: "   " })).contactEmail).toBeNull();
    expect(OrganisationSchema.parse(form()).contactEmail).toBeNull();
    expect(OrganisationSchema.parse(form({ contactEmail: " Captain@Rowing.Example.ac.uk " })).contactEmail).toBe("captain@rowing.example.ac.uk");
  });

  it("turns empty optional text into null, and refuses an unknown kind or a bad phone number", () => {
    expect(OrganisationSchema.parse(form({ contactName: "", contactPhone: "", notes: "" }))).toMatchObject({
      contactName: null,
      contactPhone: null,
      notes: null,
    });
    expect(OrganisationSchema.parse(form({ contactPhone: "+44 (0)114 222 2000" })).contactPhone).toBe("+44 (0)114 222 2000");
    expect(OrganisationSchema.safeParse(form({ kind: "nightclub" })).success).toBe(false);
    const phone = OrganisationSchema.safeParse(form({ contactPhone: "call me" }));
    expect(phone.error?.issues.map((i) => i.path.join("."))).toEqual(["contactPhone"]);
  });
});

describe("RoomSchema", () => {
  it("requires a building and a capacity of at least one", () => {
    expect(RoomSchema.parse({ name: "Room 1", building: "Union", capacity: "40" })).toEqual({
      name: "Room 1",
      building: "Union",
      capacity: 40,
      accessFeatures: [],
      accessibilityNotes: null,
    });
    const r = RoomSchema.safeParse({ name: "Room 1", building: "", capacity: "0" });
    expect(r.error?.issues.map((i) => i.path.join(".")).sort()).toEqual(["building", "capacity"]);
  });

  it("takes access features only from the fixed list", () => {
    expect(RoomSchema.parse({ name: "Room 1", building: "Union", capacity: "40", accessFeatures: ["hearing_loop", "step_free"] }).accessFeatures).toEqual([
      "hearing_loop",
      "step_free",
    ]);
    const r = RoomSchema.safeParse({ name: "Room 1", building: "Union", capacity: "40", accessFeatures: ["lift"] });
    expect(r.error?.issues.map((i) => i.path[0])).toEqual(["accessFeatures"]);
  });
});
