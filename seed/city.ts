import crypto from "node:crypto";
import type { Insertable, Kysely } from "kysely";
import type { Database, OrganisationKind, Recommend } from "#db/schema.ts";
import { openBulkLoad, type BulkLoad } from "#db/bulk-load.ts";
import { academicYear, academicYearLabel, academicYearStartOf, londonWallTimeToUtc } from "#app/utils/dates.ts";
import { DAY, HOUR, MINUTE } from "#app/utils/time.ts";
import { isDatabaseEmpty, seedDemoData } from "./demo.ts";
import {
  BOOKED_KINDS,
  CANCEL_REASONS,
  CITY_COMMENTS,
  COURSE_MIX,
  COURSE_NAMES,
  DECLINE_REASONS,
  FIRST,
  HALLS,
  inductionWeight,
  INSTITUTIONS,
  LAST,
  NETWORKS,
  ORG_KINDS,
  orgName,
  pickShare,
  ROLE_WEIGHTS,
  seasonWeight,
  START_TIMES,
  SU,
} from "./city-partnership.ts";
import { audienceOf, courseBags, DO_DIFFERENTLY, feedbackScores, shares, type CourseName } from "./generate.ts";
import { Random } from "./random.ts";

/**
 * A city-scale data set: five institutions sharing the campaign for several academic years.
 * At full size (scale 1) each year has about 2,500 sessions and 50,000 attendances, the current
 * roster 15,000 student leaders, and there are 100 trainers and 2,000 organisations. Built on top of
 * the demo data (whose logins keep working), with the demo trainer and the demo booker's
 * department given a large share, so the pages a signed-in person sees are measured under load.
 *
 * Everything comes from seeded generators: the same `now`, `years` and `scale` give the same rows.
 * Rows go in through the database's bulk load (#db/bulk-load.ts), one transaction per year.
 */
export interface CityOptions {
  /** Academic years, the current one included. Default 5. */
  years?: number;
  /** 1 = full size; tests use 0.01. */
  scale?: number;
  now?: Date;
}

export interface CityYearCounts {
  label: string;
  sessions: number;
  delivered: number;
  scheduled: number;
  cancelled: number;
  attendances: number;
  registrations: number;
  feedback: number;
  rosterSize: number;
}

export interface CityCounts {
  years: CityYearCounts[];
  trainers: number;
  organisations: number;
  bookers: number;
  rooms: number;
  currentLeaders: number;
  leaderPeople: number;
  pendingRequests: number;
  upcomingSessions: number;
  demoTrainerSessions: number;
  demoBookerRequests: number;
  totals: { sessions: number; attendances: number; registrations: number; feedback: number };
  ms: number;
}

/** Trainers keep this long between sessions (the travel buffer and then some); rooms need a turnaround. */
const TRAINER_GAP = 45 * MINUTE;
const ROOM_GAP = 15 * MINUTE;

// ---- Entry point ---------------------------------------------------------------------------------

export async function seedCity(db: Kysely<Database>, options: CityOptions = {}): Promise<CityCounts> {
  const started = performance.now();
  const years = Math.max(1, Math.floor(options.years ?? 5));
  const scale = options.scale ?? 1;
  if (!(scale > 0 && scale <= 1)) throw new Error("scale must be above 0 and at most 1");
  const now = options.now ?? new Date();
  if (await isDatabaseEmpty(db)) await seedDemoData(db, now);

  const load = openBulkLoad(db);
  const city = new City(load, now, scale, years);
  await city.loadExisting();
  const base = await city.readBase();
  await load.transaction(() => city.writeBase(base));
  const currentStartYear = academicYearStartOf(now);
  for (let y = currentStartYear - years + 1; y <= currentStartYear; y++) {
    await load.transaction(() => city.writeYear(y, y === currentStartYear));
  }
  await load.finish();
  return city.counts(currentStartYear, performance.now() - started);
}

export function formatCityCounts(c: CityCounts): string {
  const n = (x: number) => x.toLocaleString("en-GB");
  const lines = [
    `Built in ${(c.ms / 1000).toFixed(1)} s:`,
    `  ${n(c.organisations)} organisations with ${n(c.bookers)} bookers, ${n(c.trainers)} trainers, ${n(c.rooms)} rooms`,
    `  ${n(c.currentLeaders)} leaders on this year's roster (${n(c.leaderPeople)} leaders over all years)`,
    `  ${n(c.pendingRequests)} requests waiting, ${n(c.upcomingSessions)} sessions ahead`,
    `  the demo trainer has ${n(c.demoTrainerSessions)} sessions; the demo booker's department ${n(c.demoBookerRequests)} requests`,
    "  year      sessions  delivered  scheduled  cancelled  attendances  registrations  feedback  roster",
    ...c.years.map(
      (y) =>
        `  ${y.label.padEnd(8)} ${n(y.sessions).padStart(9)} ${n(y.delivered).padStart(10)} ${n(y.scheduled).padStart(10)} ${n(y.cancelled).padStart(10)} ${n(y.attendances).padStart(12)} ${n(y.registrations).padStart(14)} ${n(y.feedback).padStart(9)} ${n(y.rosterSize).padStart(7)}`,
    ),
    `  total    ${n(c.totals.sessions).padStart(9)} ${"".padStart(10)} ${"".padStart(10)} ${"".padStart(10)} ${n(c.totals.attendances).padStart(12)} ${n(c.totals.registrations).padStart(14)} ${n(c.totals.feedback).padStart(9)}`,
  ];
  return lines.join("\n");
}

// ---- The generator -------------------------------------------------------------------------------

interface Org {
  id: number;
  name: string;
  kind: OrganisationKind;
  inst: number; // index into INSTITUTIONS; -1 for the demo's own organisations
  address: string | null;
  bookers: number[];
}
interface RoomInfo {
  id: number;
  capacity: number;
}
interface Trainer {
  id: number;
  courses: Set<number>;
  weekdays: Set<number>;
  /** From "HH:MM" wall time, in minutes after midnight. */
  from: number;
  to: number;
  maxPerWeek: number;
  /** Lower means picked sooner: the demo trainer carries a big share. */
  weight: number;
  minutes: number;
}
interface Leader {
  personId: number;
  name: string;
  email: string;
  studentId: string;
  inst: number;
  /** 0: signs up with their own address; 1: a personal address with their student ID; 2: a personal address only. */
  signsUpAs: 0 | 1 | 2;
}
interface Course {
  id: number;
  name: CourseName;
  duration: number;
  maxGroup: number;
  trainersNeeded: number;
}

class City {
  private rng = new Random(20_261_121);
  private courses = new Map<CourseName, Course>();
  private coursesById = new Map<number, Course>();
  private coordinatorId = 0;
  private officerId = 0;
  private passwordHash = "";
  private demoTrainerId = 0;
  private demoBookerId = 0;
  private demoOrgId = 0;
  private orgs: Org[] = [];
  private orgsByKind = new Map<string, Org[]>(); // `${inst}|${kind}` and `*|${kind}`
  private rooms: RoomInfo[][] = INSTITUTIONS.map(() => []);
  private demoRooms: RoomInfo[] = [];
  private trainers: Trainer[] = [];
  private roleIds = new Map<string, number>();
  private leaderYears = new Set<number>();
  private nextId = { users: 0, organisations: 0, rooms: 0, sessions: 0, requests: 0, registrations: 0, people: 0 };
  /** Busy intervals per trainer and day: key trainer * 1e5 + day, flattened [start, end] pairs. */
  private trainerBusy = new Map<number, number[]>();
  private roomBusy = new Map<number, number[]>();
  private trainerWeek = new Map<number, number>();
  private timeOff = new Set<number>();
  private orgDays = new Set<number>();
  private offsets = new Map<number, number>();
  private previousRoster: Leader[] = [];
  private studentCounter = 0;
  private studentIdCounter = 0;
  private tokenCounter = 0;
  private stats = { bookers: 0, newOrganisations: 0, newTrainers: 0, newRooms: 0 };

  constructor(
    private readonly load: BulkLoad,
    private readonly now: Date,
    private readonly scale: number,
    private readonly years: number,
  ) {}

  private insert<T extends keyof Database & string>(table: T, row: Insertable<Database[T]>) {
    this.load.insert(table, row);
  }

  private all<T>(query: string, ...params: unknown[]): Promise<T[]> {
    return this.load.all<T>(query, ...params);
  }

  // ---- What the demo seed left ----------------------------------------------------------------

  async loadExisting() {
    const one = async (q: string) => (await this.load.get<{ n: number | null }>(q))?.n ?? 0;
    for (const c of await this.all<{ id: number; name: string; duration_minutes: number; max_group_size: number; trainers_needed: number }>(
      "select id, name, duration_minutes, max_group_size, trainers_needed from courses",
    )) {
      if (!COURSE_NAMES.includes(c.name as CourseName)) continue;
      const course = { id: c.id, name: c.name as CourseName, duration: c.duration_minutes, maxGroup: c.max_group_size, trainersNeeded: c.trainers_needed };
      this.courses.set(course.name, course);
      this.coursesById.set(course.id, course);
    }
    if (this.courses.size !== COURSE_NAMES.length) throw new Error("The city data set needs the demo's four courses.");
    const users = new Map(
      (await this.all<{ id: number; email: string; password_hash: string | null }>("select id, email, password_hash from users")).map((u) => [u.email, u]),
    );
    const need = (email: string) => {
      const u = users.get(email);
      if (!u) throw new Error(`The city data set builds on the demo data; ${email} is missing.`);
      return u;
    };
    this.coordinatorId = need("coordinator@neverok.example").id;
    this.passwordHash = need("coordinator@neverok.example").password_hash ?? "";
    this.officerId = need("officer@neverok.example").id;
    this.demoTrainerId = need("trainer@neverok.example").id;
    this.demoBookerId = need("booker@neverok.example").id;
    this.demoOrgId =
      (
        await this.load.get<{ id: number }>(
          "select organisation_id as id from organisation_members where user_id = ? order by organisation_id limit 1",
          this.demoBookerId,
        )
      )?.id ?? 0;
    if (!this.demoOrgId) throw new Error("The demo booker belongs to no organisation.");
    const demoOrg = (await this.load.get<{ id: number; name: string; kind: OrganisationKind }>(
      "select id, name, kind from organisations where id = ?",
      this.demoOrgId,
    ))!;
    this.orgs.push({ id: demoOrg.id, name: demoOrg.name, kind: demoOrg.kind, inst: -1, address: null, bookers: [this.demoBookerId] });
    this.demoRooms = await this.all<RoomInfo>("select id, capacity from rooms where is_archived = 0 order by capacity");

    for (const r of await this.all<{ id: number; name: string }>("select id, name from leader_roles")) this.roleIds.set(r.name, r.id);
    for (const y of await this.all<{ start_year: number }>("select start_year from leader_years")) this.leaderYears.add(y.start_year);

    // Existing trainers: their courses, availability, limits, sessions and time off.
    const quals = await this.all<{ user_id: number; course_id: number }>("select user_id, course_id from trainer_qualifications");
    const avail = await this.all<{ trainer_id: number; weekday: number; start_time: string; end_time: string }>(
      "select trainer_id, weekday, start_time, end_time from trainer_availability",
    );
    const profiles = new Map(
      (await this.all<{ user_id: number; max_sessions_per_week: number | null }>("select user_id, max_sessions_per_week from trainer_profiles")).map((p) => [
        p.user_id,
        p.max_sessions_per_week,
      ]),
    );
    for (const id of [...new Set(quals.map((q) => q.user_id))].sort((a, b) => a - b)) {
      const mine = avail.filter((a) => a.trainer_id === id);
      this.trainers.push({
        id,
        courses: new Set(quals.filter((q) => q.user_id === id).map((q) => q.course_id)),
        weekdays: new Set(mine.map((a) => a.weekday)),
        from: Math.min(...mine.map((a) => toMinutes(a.start_time)), 9 * 60),
        to: mine.length ? Math.max(...mine.map((a) => toMinutes(a.end_time))) : 17 * 60 + 30,
        maxPerWeek: profiles.get(id) ?? 4,
        weight: id === this.demoTrainerId ? 0.3 : 1,
        minutes: 0,
      });
    }
    for (const s of await this.all<{ trainer_id: number | null; room_id: number | null; starts_at: string; ends_at: string }>(
      `select st.trainer_id, s.room_id, s.starts_at, s.ends_at from sessions s
         left join session_trainers st on st.session_id = s.id and st.status != 'declined'
        where s.status != 'cancelled'`,
    )) {
      const start = Date.parse(s.starts_at);
      const end = Date.parse(s.ends_at);
      const day = Math.floor(start / DAY);
      if (s.trainer_id !== null) {
        push(this.trainerBusy, s.trainer_id * 1e5 + day, start, end);
        const wk = s.trainer_id * 1e5 + weekOf(day);
        this.trainerWeek.set(wk, (this.trainerWeek.get(wk) ?? 0) + 1);
      }
      if (s.room_id !== null) push(this.roomBusy, s.room_id * 1e5 + day, start, end);
    }
    for (const t of await this.all<{ trainer_id: number; starts_at: string; ends_at: string }>("select trainer_id, starts_at, ends_at from trainer_time_off")) {
      for (let d = Math.floor(Date.parse(t.starts_at) / DAY); d * DAY < Date.parse(t.ends_at); d++) this.timeOff.add(t.trainer_id * 1e5 + d);
    }

    this.nextId = {
      users: (await one("select max(id) as n from users")) + 1,
      organisations: (await one("select max(id) as n from organisations")) + 1,
      rooms: (await one("select max(id) as n from rooms")) + 1,
      sessions: (await one("select max(id) as n from sessions")) + 1,
      requests: (await one("select max(id) as n from booking_requests")) + 1,
      registrations: (await one("select max(id) as n from registrations")) + 1,
      people: (await one("select max(id) as n from leader_people")) + 1,
    };
  }

  // ---- Organisations, bookers, rooms, trainers ------------------------------------------------

  private get baseCreatedAt() {
    const firstYear = academicYearStartOf(this.now) - this.years + 1;
    return new Date(Date.UTC(firstYear, 6, 1, 9)).toISOString();
  }

  /** What the base rows are checked against: the names taken, and the partnership's institutions, found again when this runs twice. */
  async readBase() {
    const seenEmails = new Set((await this.all<{ email: string }>("select email from users")).map((u) => u.email));
    const seenOrgNames = new Set((await this.all<{ name: string }>("select name from organisations")).map((o) => o.name));
    const institutionIds: number[] = [];
    for (const inst of INSTITUTIONS) {
      const found =
        (await this.load.get<{ id: number }>("select id from institutions where name = ?", inst.name)) ??
        (await this.load.get<{ id: number }>("insert into institutions (name, created_at) values (?, ?) returning id", inst.name, this.baseCreatedAt));
      institutionIds.push(found!.id);
    }
    return { seenEmails, seenOrgNames, institutionIds };
  }

  writeBase({ seenEmails, seenOrgNames, institutionIds }: Awaited<ReturnType<City["readBase"]>>) {
    const rng = this.rng;
    const firstYear = academicYearStartOf(this.now) - this.years + 1;
    const created = this.baseCreatedAt;

    const addUser = (name: string, emailLocal: string, domain: string, role: "trainer" | "booker") => {
      let email = `${emailLocal}@${domain}`;
      for (let k = 2; seenEmails.has(email); k++) email = `${emailLocal}${k}@${domain}`;
      seenEmails.add(email);
      const id = this.nextId.users++;
      this.insert("users", { id, email, name, password_hash: this.passwordHash, is_active: 1, created_at: created, updated_at: created });
      this.insert("user_roles", { user_id: id, role, granted_at: created });
      return id;
    };
    const personName = () => `${rng.pick(FIRST)} ${rng.pick(LAST)}`;
    const local = (name: string) => name.toLowerCase().replace(/[^a-z]+/g, ".");

    // Rooms: a dozen bookable teaching and meeting rooms per institution.
    const capacities = [16, 20, 24, 24, 30, 30, 36, 40, 40, 48, 60, 120];
    INSTITUTIONS.forEach((inst, i) => {
      capacities.forEach((capacity, k) => {
        const id = this.nextId.rooms++;
        const building = `${inst.buildings[k % inst.buildings.length]}, ${inst.name}`;
        const name =
          capacity >= 100 ? `Lecture Theatre ${k + 1}` : capacity >= 48 ? `Seminar Suite ${k + 1}` : `Room ${1 + (k % 4)}.${String(10 + k).padStart(2, "0")}`;
        this.insert("rooms", {
          id,
          name,
          building,
          capacity,
          accessibility_notes: k % 3 === 2 ? "First floor; lift available." : "Step-free; hearing loop.",
          is_archived: 0,
          created_at: created,
          updated_at: created,
        });
        this.rooms[i]!.push({ id, capacity });
        this.stats.newRooms++;
      });
    });

    // Organisations across the kinds, shared out by each institution's size.
    const totalOrgs = Math.max(18, Math.round(2000 * this.scale));
    const perKindIndex = new Map<string, number>();
    for (const [kind, kindShare] of ORG_KINDS) {
      const kindCount = Math.max(kind === "leader_programme" || kind === "partner_venue" ? 2 : 3, Math.round(totalOrgs * kindShare));
      for (let k = 0; k < kindCount; k++) {
        const inst = kind === "partner_venue" ? SU : pickShare(rng);
        const n = perKindIndex.get(`${inst}|${kind}`) ?? 0;
        perKindIndex.set(`${inst}|${kind}`, n + 1);
        const { name, address } = orgName(kind, INSTITUTIONS[inst]!, n, k);
        if (seenOrgNames.has(name)) continue;
        seenOrgNames.add(name);
        const id = this.nextId.organisations++;
        const contact = personName();
        const contactEmail = `${local(contact)}@${kind === "partner_venue" ? "venues.example" : INSTITUTIONS[inst]!.domain}`;
        this.insert("organisations", {
          id,
          name,
          kind,
          contact_name: contact,
          contact_email: contactEmail,
          contact_phone: kind === "partner_venue" ? `0117 496 ${String(1000 + k).slice(-4)}` : null,
          notes: address,
          is_archived: 0,
          created_at: created,
          updated_at: created,
          institution_id: institutionIds[inst]!,
        });
        const org: Org = { id, name, kind, inst, address, bookers: [] };
        // One booker each, a second for about one in five; partner venues' managers book for their staff.
        for (let b = 0; b < (rng.next() < 0.2 ? 2 : 1); b++) {
          const who = personName();
          const domain =
            kind === "partner_venue"
              ? "venues.example"
              : kind === "sports_club" || kind === "society"
                ? INSTITUTIONS[inst]!.studentDomain
                : INSTITUTIONS[inst]!.domain;
          const userId = addUser(who, local(who), domain, "booker");
          this.insert("organisation_members", { organisation_id: id, user_id: userId, added_at: created });
          org.bookers.push(userId);
          this.stats.bookers++;
        }
        this.orgs.push(org);
        this.stats.newOrganisations++;
      }
    }
    for (const o of this.orgs) {
      if (o.inst >= 0) for (const key of [`${o.inst}|${o.kind}`, `*|${o.kind}`]) (this.orgsByKind.get(key) ?? this.orgsByKind.set(key, []).get(key)!).push(o);
    }

    // Trainers: staff, union officers and freelancers, each qualified for two to four courses.
    const wanted = Math.max(10, Math.round(100 * this.scale)) - this.trainers.length;
    const courseList = [...this.courses.values()];
    for (let t = 0; t < wanted; t++) {
      const name = personName();
      const id = addUser(name, local(name), t % 4 === 3 ? "freelance.example" : "neverok.example", "trainer");
      const ab = this.courses.get("Active Bystander")!;
      const courses = new Set<number>([t % 3 === 2 ? this.courses.get("Handling Disclosures")!.id : ab.id]);
      const extra = rng.int(1, 3);
      for (const c of rng.shuffle([...courseList]).slice(0, extra)) courses.add(c.id);
      for (const c of courses) this.insert("trainer_qualifications", { user_id: id, course_id: c, qualified_at: created });
      const weekdays = new Set(rng.shuffle([1, 2, 3, 4, 5]).slice(0, rng.int(3, 5)));
      if (rng.next() < 0.25) weekdays.add(6);
      for (const wd of [...weekdays].sort()) {
        this.insert("trainer_availability", { trainer_id: id, weekday: wd, start_time: "09:00", end_time: "17:30" });
      }
      const maxPerWeek = rng.int(2, 5);
      this.insert("trainer_profiles", { user_id: id, max_sessions_per_week: maxPerWeek, feed_token_hash: null, feed_token_created_at: null });
      this.trainers.push({ id, courses, weekdays, from: 9 * 60, to: 17 * 60 + 30, maxPerWeek, weight: 1, minutes: 0 });
      this.stats.newTrainers++;
      // A week or two off in each year.
      for (let y = firstYear; y <= firstYear + this.years; y++) {
        const startDay = Math.floor(Date.UTC(y, 0, 1) / DAY) + rng.int(0, 364);
        const length = rng.int(3, 10);
        const starts = new Date(startDay * DAY);
        const ends = new Date((startDay + length) * DAY);
        for (let d = startDay; d < startDay + length; d++) this.timeOff.add(id * 1e5 + d);
        this.insert("trainer_time_off", {
          trainer_id: id,
          starts_at: starts.toISOString(),
          ends_at: ends.toISOString(),
          reason: rng.pick(["Annual leave", "Conference", "Fieldwork", null]),
          created_at: new Date(starts.getTime() - 30 * DAY).toISOString(),
        });
      }
    }
    this.insert("audit_events", {
      actor_user_id: null,
      action: "demo.city_seeded",
      entity_type: "system",
      entity_id: null,
      summary: `City-scale data loaded (${this.years} years at scale ${this.scale})`,
      detail_json: null,
      created_at: this.now.toISOString(),
    });
  }

  // ---- One academic year --------------------------------------------------------------------------

  writeYear(startYear: number, current: boolean) {
    const rng = new Random(1000 + startYear);
    const nowMs = this.now.getTime();
    const yearFirstDay = Math.floor(Date.UTC(startYear, 7, 1) / DAY);
    const yearLastDay = Math.floor(Date.UTC(startYear + 1, 6, 31) / DAY);
    const iso = (ms: number) => new Date(ms).toISOString();

    if (!this.leaderYears.has(startYear)) {
      this.insert("leader_years", {
        start_year: startYear,
        deadline: `${startYear}-10-31`,
        created_at: iso(Date.UTC(startYear, 6, 1)),
        updated_at: iso(Date.UTC(startYear, 6, 1)),
      });
      this.leaderYears.add(startYear);
    }
    const roster = this.writeRoster(rng, startYear, current);

    // Pools of leaders still to do each course this year, per institution.
    const pools = new Map<string, { list: Leader[]; next: number }>();
    const pool = (inst: number, course: CourseName) => pools.get(`${inst}|${course}`);
    for (const [key, list] of roster.needs) pools.set(key, { list: rng.shuffle(list), next: 0 });

    const target = Math.round(2500 * this.scale);
    const horizon = nowMs + 6 * 7 * DAY;
    const farHorizon = nowMs + 12 * 7 * DAY;
    const cumulative = (weightOf: (day: number) => number) => {
      const days: number[] = [];
      const acc: number[] = [];
      let total = 0;
      for (let d = yearFirstDay; d <= yearLastDay; d++) {
        total += weightOf(d);
        days.push(d);
        acc.push(total);
      }
      return { days, acc, total };
    };
    const generalDays = cumulative((d) => seasonWeight(d));
    const inductionDays = cumulative((d) => inductionWeight(d));
    const sampleDay = (c: { days: number[]; acc: number[]; total: number }) => {
      const r = rng.next() * c.total;
      let lo = 0;
      let hi = c.acc.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (c.acc[mid]! > r) hi = mid;
        else lo = mid + 1;
      }
      return c.days[lo]!;
    };

    // Kinds in exact proportion and courses from a shuffled bag per kind, so even a small year has the intended mix.
    const nextCourse = courseBags(rng, COURSE_MIX);
    const coursePick = (kind: keyof typeof COURSE_MIX) => this.courses.get(nextCourse(kind))!;
    const kinds = rng.shuffle(
      shares<"induction" | "open" | OrganisationKind>([["induction", 19], ["open", 16], ...BOOKED_KINDS.map(([k, w]) => [k, w * 0.65] as const)], target),
    );
    for (const kind of kinds) {
      const course = coursePick(kind);
      const isOpen = kind === "induction" || kind === "open";
      let org: Org | null = null;
      let inst = pickShare(rng);
      if (!isOpen) {
        // About one department booking in ten comes from the demo booker's department.
        const list = kind === "department" && rng.next() < 0.1 ? [this.orgs[0]!] : (this.orgsByKind.get(`*|${kind}`) ?? []);
        if (!list.length) continue;
        org = rng.pick(list);
        inst = org.inst;
      }
      const venue = org?.kind === "partner_venue";
      let size: number;
      if (isOpen)
        size =
          course.name === "Handling Disclosures"
            ? rng.int(14, 20)
            : course.name === "Active Bystander"
              ? rng.int(28, 40)
              : rng.int(20, Math.min(36, course.maxGroup));
      else {
        const [low, high] =
          course.name === "Handling Disclosures" ? [10, 20] : venue ? [8, 22] : kind === "staff_team" ? [10, 26] : kind === "society" ? [12, 30] : [16, 40];
        size = Math.min(course.maxGroup, rng.int(low, high));
      }
      const trainerCount = course.trainersNeeded + (kind === "induction" && course.name === "Active Bystander" && size >= 36 ? 1 : 0);

      // A day and time, a place, and trainers: nobody and nowhere in two places at once.
      let placed: { start: number; end: number; roomId: number | null; trainers: number[]; day: number } | null = null;
      for (let attempt = 0; attempt < 40 && !placed; attempt++) {
        const day = sampleDay(kind === "induction" ? inductionDays : generalDays);
        const weekday = ((day + 3) % 7) + 1;
        if (weekday === 7 || (weekday === 6 && !venue)) continue;
        if (org && this.orgDays.has(org.id * 1e5 + day)) continue;
        const time = venue ? "16:00" : rng.pick(START_TIMES[course.duration] ?? START_TIMES[90]!);
        const start = this.at(day, time);
        const end = start + course.duration * MINUTE;
        if (current && start > nowMs) {
          // Ahead of today: booked for the next six weeks, thinning out to twelve, nothing after.
          if (start > farHorizon || (start > horizon && rng.next() < (start - horizon) / (farHorizon - horizon))) break;
        }
        let roomId: number | null = null;
        if (!venue) {
          const rooms = inst < 0 ? this.demoRooms : this.rooms[inst]!;
          const fits = rooms.filter((room) => room.capacity >= size && free(this.roomBusy, room.id * 1e5 + day, start, end, ROOM_GAP));
          if (!fits.length) continue;
          roomId = (fits.length > 1 && rng.next() < 0.3 ? fits[1]! : fits[0]!).id;
        }
        const trainers = this.freeTrainers(rng, course.id, trainerCount, day, weekday, toMinutes(time), course.duration, start, end);
        if (!trainers) continue;
        placed = { start, end, roomId, trainers, day };
      }
      if (!placed) continue;
      const { start, end, roomId, day } = placed;
      const ahead = current && end > nowMs;
      const cancelled = !ahead && rng.next() < 0.03;
      const status = ahead ? "scheduled" : cancelled ? "cancelled" : "delivered";
      // A session still to come may be waiting for a trainer to answer, or for one at all.
      const trainerStates = placed.trainers.map((t) => ({ id: t, status: "accepted" as "accepted" | "assigned" | "declined" }));
      let unstaffed = false;
      if (ahead) {
        const x = rng.next();
        if (x < 0.05) unstaffed = true;
        else if (x < 0.17) trainerStates[trainerStates.length - 1]!.status = "assigned";
        else if (x < 0.21) trainerStates[trainerStates.length - 1]!.status = "declined";
      }
      if (!cancelled) {
        for (const t of unstaffed ? [] : trainerStates.filter((s) => s.status !== "declined")) {
          push(this.trainerBusy, t.id * 1e5 + day, start, end);
          const wk = t.id * 1e5 + weekOf(day);
          this.trainerWeek.set(wk, (this.trainerWeek.get(wk) ?? 0) + 1);
          this.trainers.find((x) => x.id === t.id)!.minutes += course.duration;
        }
        if (roomId !== null) push(this.roomBusy, roomId * 1e5 + day, start, end);
        if (org) this.orgDays.add(org.id * 1e5 + day);
      }

      const id = this.nextId.sessions++;
      const leadDays = rng.int(12, 60);
      const createdAt = Math.min(nowMs - HOUR, start - leadDays * DAY);
      const closedAt = end + rng.int(2, 20) * MINUTE;
      const updatedAt = status === "delivered" ? closedAt : status === "cancelled" ? start - rng.int(2, 10) * DAY : createdAt + rng.int(1, 48) * HOUR;
      const instInfo = inst >= 0 ? INSTITUTIONS[inst]! : null;
      let requestId: number | null = null;
      if (org) {
        requestId = this.nextId.requests++;
        const asked = createdAt - rng.int(1, 6) * DAY;
        this.insert("booking_requests", {
          id: requestId,
          organisation_id: org.id,
          requested_by: rng.pick(org.bookers),
          course_id: course.id,
          group_size: size,
          audience: audienceOf(rng, org.kind, course.name),
          location_kind: venue ? "own_premises" : "campus",
          address: venue ? org.address : null,
          accessibility_needs: rng.next() < 0.08 ? "One attendee uses a wheelchair; step-free access please." : null,
          notes: rng.next() < 0.15 ? "Happy to move by half an hour either way." : null,
          status: cancelled ? "cancelled" : "scheduled",
          status_reason: cancelled ? rng.pick(CANCEL_REASONS) : null,
          session_id: id,
          created_at: iso(asked),
          updated_at: iso(cancelled ? updatedAt : createdAt),
        });
        this.insert("booking_request_times", { request_id: requestId, position: 1, starts_at: iso(start) });
        if (rng.next() < 0.6) this.insert("booking_request_times", { request_id: requestId, position: 2, starts_at: iso(start + rng.int(1, 9) * DAY) });
      }
      const delivered = status === "delivered";
      const induction = kind === "induction";
      const title = !isOpen
        ? null
        : induction
          ? `Student leader induction: ${course.name} (${instInfo!.short})`
          : `${course.name}: open session at ${instInfo!.name}`;
      // Booked groups: most registers are a head count; some trainers name the people at the door.
      const named = isOpen || (delivered && rng.next() < 0.3);
      const headCount = delivered && !named ? Math.max(4, size - rng.int(0, 5)) : null;
      this.insert("sessions", {
        id,
        course_id: course.id,
        booking_request_id: requestId,
        organisation_id: org?.id ?? null,
        starts_at: iso(start),
        ends_at: iso(end),
        duration_minutes: course.duration,
        room_id: roomId,
        address: venue ? org!.address : null,
        capacity: size,
        trainers_needed: trainerCount,
        status,
        cancel_reason: cancelled ? rng.pick(CANCEL_REASONS) : null,
        ical_uid: `city-${id}@neverok.example`,
        ical_sequence: cancelled ? 1 : rng.next() < 0.1 ? 1 : 0,
        created_by: this.coordinatorId,
        created_at: iso(createdAt),
        updated_at: iso(updatedAt),
        kind: isOpen ? "open" : "booked",
        title,
        signup_deadline: isOpen ? iso(start - DAY) : null,
        signup_policy: induction ? "domain" : "anyone",
        signup_domain: induction ? instInfo!.studentDomain : null,
        asks_student_id: induction ? 1 : 0,
        question: induction ? "Which leader role do you hold?" : null,
        promotion_cutoff_hours: 2,
        register_closed_at: delivered ? iso(closedAt) : null,
        head_count: headCount,
        feedback_code: delivered ? `c${id.toString(36)}${rng.hex(6)}` : null,
      });
      if (!unstaffed) {
        for (const t of trainerStates) {
          const respondedAt = t.status === "assigned" ? null : iso(createdAt + rng.int(2, 40) * HOUR);
          this.insert("session_trainers", {
            session_id: id,
            trainer_id: t.id,
            status: t.status,
            assigned_by: this.coordinatorId,
            assigned_at: iso(createdAt),
            responded_at: respondedAt,
            decline_reason: t.status === "declined" ? "I am away that week." : null,
            override_reason: null,
          });
        }
      }
      if (cancelled) continue;

      // The register.
      const attendees: { present: boolean; email: string | null }[] = [];
      if (isOpen) {
        const daysAhead = (start - nowMs) / DAY;
        const fill = ahead ? Math.max(0.15, Math.min(1, 1.05 - daysAhead / 30) * (0.6 + 0.5 * rng.next())) : 0.75 + 0.25 * rng.next();
        const registered = Math.min(size, Math.round(size * fill));
        const waiting = registered === size ? rng.int(0, 6) : 0;
        const cancelledRegs = rng.int(0, 3);
        const leaderPool = induction && instInfo ? pool(inst, course.name) : undefined;
        const presentShare = 0.8 + 0.12 * rng.next();
        for (let k = 0; k < registered + waiting + cancelledRegs; k++) {
          const state = k < registered ? "registered" : k < registered + waiting ? "waiting" : "cancelled";
          let leader: Leader | null = null;
          if (leaderPool && state === "registered" && leaderPool.next < leaderPool.list.length && rng.next() < 0.92)
            leader = leaderPool.list[leaderPool.next++]!;
          const person = leader
            ? {
                name: leader.name,
                email: leader.signsUpAs === 0 ? leader.email : `${leader.email.split("@")[0]}@mail.example`,
                studentId: leader.signsUpAs === 2 ? null : leader.studentId,
              }
            : this.student(rng, inst < 0 ? 0 : inst, induction);
          const present = delivered && state === "registered" && rng.next() < presentShare;
          const regId = this.nextId.registrations++;
          const regCreated = Math.min(start - rng.int(1, 30) * HOUR, createdAt + rng.int(1, Math.max(1, leadDays - 1)) * DAY, nowMs - rng.int(5, 600) * MINUTE);
          this.insert("registrations", {
            id: regId,
            session_id: id,
            name: person.name,
            email: person.email,
            student_id: induction ? person.studentId : null,
            accessibility_needs: rng.next() < 0.03 ? "Needs a seat near the door." : null,
            answer: induction ? rng.pick(["Society committee", "Hall rep", "Course rep", "Sports club committee", "Buddy"]) : null,
            status: state,
            attendance: delivered && state === "registered" ? (present ? "present" : "absent") : "unknown",
            walk_in: 0,
            manage_token_hash: ahead && state !== "cancelled" ? this.token("manage") : null,
            created_at: iso(regCreated),
            promoted_at: null,
            cancelled_at: state === "cancelled" ? iso(regCreated + rng.int(1, 72) * HOUR) : null,
            attendance_marked_at: delivered && state === "registered" ? iso(start + rng.int(0, 15) * MINUTE) : null,
          });
          if (present) attendees.push({ present, email: person.email });
          if (present) this.feedbackToken(rng, regId, closedAt);
        }
        // A couple of walk-ins, within the room's capacity.
        if (delivered) {
          const walkIns = Math.min(size - registered, rng.int(0, 2));
          for (let k = 0; k < walkIns; k++) {
            const person = this.student(rng, inst < 0 ? 0 : inst, induction);
            const regId = this.addedAtTheDoor(id, person.name, person.email, induction ? person.studentId : null, {
              created: start + rng.int(1, 10) * MINUTE,
              marked: start + rng.int(1, 10) * MINUTE,
            });
            attendees.push({ present: true, email: person.email });
            this.feedbackToken(rng, regId, closedAt);
          }
        }
      } else if (delivered && named) {
        const count = Math.max(4, size - rng.int(0, 5));
        for (let k = 0; k < count; k++) {
          const person = this.student(rng, inst < 0 ? 0 : inst, false);
          const email = rng.next() < 0.7 ? person.email : null;
          const regId = this.addedAtTheDoor(id, person.name, email, null, {
            created: start + rng.int(0, 10) * MINUTE,
            marked: start + rng.int(0, 15) * MINUTE,
          });
          attendees.push({ present: true, email });
          if (email) this.feedbackToken(rng, regId, closedAt);
        }
      }

      // Feedback: between a third and a half of those who came, through their link or the room's QR code.
      if (delivered) {
        const people = headCount ?? attendees.length;
        const responses = Math.round(people * (0.32 + 0.2 * rng.next()));
        const yes = 0.84 + 0.015 * (startYear % 5);
        for (let k = 0; k < responses; k++) this.feedback(rng, id, course.name, isOpen ? "link" : "qr", closedAt, k, yes);
      }
    }

    // Requests declined or withdrawn this year, and (this year) the queue still to triage.
    const bookable = [...this.orgsByKind.entries()].filter(([k]) => k.startsWith("*|")).flatMap(([, v]) => v);
    const extra = Math.max(1, Math.round(target * 0.03));
    for (let k = 0; k < extra + (current ? Math.max(3, Math.round(300 * this.scale)) : 0); k++) {
      const pending = k >= extra;
      const org = rng.next() < (pending ? 0.06 : 0.05) ? this.orgs[0]! : rng.pick(bookable);
      const course = coursePick(org.kind);
      const base = pending ? nowMs + rng.int(5, 60) * DAY : this.at(sampleDay(generalDays), "10:00");
      if (!pending && base > nowMs) continue;
      const createdAt = pending ? nowMs - rng.int(0, 21) * DAY - rng.int(0, 600) * MINUTE : base - rng.int(14, 40) * DAY;
      const id = this.nextId.requests++;
      const declined = !pending && rng.next() < 0.7;
      const venue = org.kind === "partner_venue";
      this.insert("booking_requests", {
        id,
        organisation_id: org.id,
        requested_by: rng.pick(org.bookers),
        course_id: course.id,
        group_size: Math.min(course.maxGroup, rng.int(10, 40)),
        audience: audienceOf(rng, org.kind, course.name),
        location_kind: venue ? "own_premises" : "campus",
        address: venue ? org.address : null,
        accessibility_needs: rng.next() < 0.08 ? "Hearing loop needed." : null,
        notes: pending && rng.next() < 0.4 ? "New committee; most have not done any training yet." : null,
        status: pending ? "requested" : declined ? "declined" : "cancelled",
        status_reason: pending ? null : declined ? rng.pick(DECLINE_REASONS) : "We found a date with another group instead.",
        session_id: null,
        created_at: iso(createdAt),
        updated_at: iso(pending ? createdAt : createdAt + rng.int(1, 5) * DAY),
      });
      const times = rng.int(2, 3);
      for (let p = 1; p <= times; p++) {
        const day = Math.floor((base + (p - 1) * rng.int(1, 7) * DAY) / DAY);
        const wd = ((day + 3) % 7) + 1;
        const weekday = wd >= 6 && !venue ? day + (8 - wd) : day;
        this.insert("booking_request_times", { request_id: id, position: p, starts_at: iso(this.at(weekday, venue ? "16:00" : rng.pick(["10:00", "14:00"]))) });
      }
    }
    this.previousRoster = roster.people;
  }

  /** This year's leaders, their appointments, and what they did besides attending. */
  private writeRoster(rng: Random, startYear: number, current: boolean) {
    const yearsBack = academicYearStartOf(this.now) - startYear;
    const size = Math.round(15000 * this.scale * (current ? 1 : Math.max(0.6, 0.95 - 0.06 * yearsBack)));
    const iso = new Date(Date.UTC(startYear, 7, 1, 9)).toISOString();
    const returning = rng.shuffle([...this.previousRoster]).slice(0, Math.round(size * 0.3));
    const people: Leader[] = [];
    const needs = new Map<string, Leader[]>();
    const need = (inst: number, course: CourseName, l: Leader) =>
      (needs.get(`${inst}|${course}`) ?? needs.set(`${inst}|${course}`, []).get(`${inst}|${course}`)!).push(l);
    const presidents = new Set<string>();
    const roleCounters = new Map<string, number>();
    const ab = this.courses.get("Active Bystander")!.id;
    for (let k = 0; k < size; k++) {
      let leader = returning[k];
      if (!leader) {
        const inst = pickShare(rng);
        const name = `${rng.pick(FIRST)} ${rng.pick(LAST)}`;
        const personId = this.nextId.people++;
        const n = this.studentIdCounter++;
        leader = {
          personId,
          name,
          email: `${name.toLowerCase().replace(/[^a-z]+/g, ".")}.${personId}@${INSTITUTIONS[inst]!.studentDomain}`,
          studentId: `${"UMCHS"[inst]}${String(2_000_000 + n)}`,
          inst,
          signsUpAs: rng.next() < 0.05 ? 1 : rng.next() < 0.006 ? 2 : 0,
        };
        this.insert("leader_people", { id: personId, name: leader.name, email: leader.email, student_id: leader.studentId, created_at: iso, updated_at: iso });
      }
      people.push(leader);
      const inst = leader.inst;
      const roles = [rng.weighted(ROLE_WEIGHTS)];
      if (rng.next() < 0.05) {
        const second = rng.weighted(ROLE_WEIGHTS);
        if (second !== roles[0]) roles.push(second);
      }
      for (const role of roles) {
        const roleId = this.roleIds.get(role);
        if (roleId === undefined) continue;
        const { group, orgId } = this.groupFor(rng, role, inst, roleCounters);
        const president = (role === "Society committee" || role === "Sports club committee") && !presidents.has(group);
        if (president) presidents.add(group);
        const late = rng.next() < 0.04;
        const startedOn = late ? `${startYear + 1}-01-${String(rng.int(10, 28)).padStart(2, "0")}` : `${startYear}-${rng.pick(["08-01", "09-01", "09-15"])}`;
        const ended = rng.next() < 0.02;
        this.insert("leader_appointments", {
          person_id: leader.personId,
          start_year: startYear,
          role_id: roleId,
          group_name: group,
          organisation_id: orgId,
          is_president: president ? 1 : 0,
          started_on: current && late && startedOn > isoDate(this.now) ? `${startYear}-09-15` : startedOn,
          ended_on: ended ? `${startYear + 1}-02-${String(rng.int(1, 27)).padStart(2, "0")}` : null,
          end_reason: ended ? "Stepped down" : null,
          created_at: iso,
          updated_at: iso,
        });
        if (role === "Freshers' Week captain") need(inst, "Consent", leader);
        if (role === "Hall rep") need(inst, "Handling Disclosures", leader);
      }
      // A few are exempt, a few trained elsewhere; everyone else needs a leader induction.
      const x = rng.next();
      if (x < 0.02) {
        this.insert("leader_exemptions", {
          person_id: leader.personId,
          course_id: rng.next() < 0.5 ? null : ab,
          start_year: startYear,
          reason: rng.pick([
            "Delivers the training as a volunteer facilitator.",
            "Trained as a sabbatical officer this summer.",
            "Long-term illness; agreed with the union.",
          ]),
          granted_by: "VP Welfare",
          recorded_by: this.officerId,
          created_at: iso,
          withdrawn_at: null,
          withdrawn_by: null,
          withdraw_reason: null,
        });
      } else if (x < 0.06) {
        this.insert("leader_completions", {
          person_id: leader.personId,
          course_id: ab,
          completed_on: `${startYear}-09-${String(rng.int(1, 20)).padStart(2, "0")}`,
          source: "external",
          provider: rng.pick(["Previous university's students' union", "Employer's bystander training", "Sports governing body course"]),
          evidence_note: "Certificate seen by the union office",
          registration_id: null,
          recorded_by: this.officerId,
          created_at: iso,
          withdrawn_at: null,
          withdrawn_by: null,
          withdraw_reason: null,
        });
      } else {
        need(inst, "Active Bystander", leader);
      }
    }
    return { people, needs };
  }

  private groupFor(rng: Random, role: string, inst: number, counters: Map<string, number>): { group: string; orgId: number | null } {
    const instInfo = INSTITUTIONS[inst]!;
    const programme = (name: string) => {
      const org = (this.orgsByKind.get(`${inst}|leader_programme`) ?? []).find((o) => o.name.startsWith(name));
      return { group: org?.name ?? `${name}, ${instInfo.name}`, orgId: org?.id ?? null };
    };
    const fromOrgs = (kind: OrganisationKind, fallback: string) => {
      const list = this.orgsByKind.get(`${inst}|${kind}`);
      if (!list?.length) return programme(fallback);
      const n = counters.get(`${inst}|${kind}`) ?? 0;
      counters.set(`${inst}|${kind}`, n + 1);
      const org = list[n % list.length]!;
      return { group: org.name, orgId: org.id };
    };
    switch (role) {
      case "Society committee":
        return fromOrgs("society", "Welfare Officers");
      case "Sports club committee":
        return fromOrgs("sports_club", "Sports Captains");
      case "Course rep":
        return fromOrgs("department", "Course Reps");
      case "Hall rep":
        return { group: `${rng.pick(HALLS)} Hall, ${instInfo.name}`, orgId: null };
      case "Freshers' Week captain":
        return programme("Freshers' Week Captains");
      case "Buddy":
        return programme(rng.next() < 0.6 ? "International Buddies" : "Peer Mentors");
      default:
        return { group: `${rng.pick(NETWORKS)} Network, ${instInfo.name}`, orgId: null };
    }
  }

  private freeTrainers(
    rng: Random,
    courseId: number,
    n: number,
    day: number,
    weekday: number,
    fromMin: number,
    duration: number,
    start: number,
    end: number,
  ): number[] | null {
    const week = weekOf(day);
    const candidates: Trainer[] = [];
    for (const t of this.trainers) {
      if (!t.courses.has(courseId) || !t.weekdays.has(weekday) || fromMin < t.from || fromMin + duration > t.to) continue;
      if (this.timeOff.has(t.id * 1e5 + day)) continue;
      if ((this.trainerWeek.get(t.id * 1e5 + week) ?? 0) >= t.maxPerWeek) continue;
      if (!free(this.trainerBusy, t.id * 1e5 + day, start, end, TRAINER_GAP)) continue;
      candidates.push(t);
    }
    if (candidates.length < n) return null;
    // The least loaded first (with some noise), so the work is shared out.
    const scored = candidates.map((t) => ({ t, score: t.minutes * t.weight + rng.next() * 600 }));
    scored.sort((a, b) => a.score - b.score);
    return scored.slice(0, n).map((s) => s.t.id);
  }

  private student(rng: Random, inst: number, leaderSession: boolean) {
    const name = `${rng.pick(FIRST)} ${rng.pick(LAST)}`;
    const n = this.studentCounter++;
    return {
      name,
      email: `${name.toLowerCase().replace(/[^a-z]+/g, ".")}.${n.toString(36)}@${INSTITUTIONS[inst]!.studentDomain}`,
      studentId: leaderSession ? `X${String(5_000_000 + n)}` : null,
    };
  }

  /**
   * A name the trainer added to the register at the door: present, with no place booked beforehand, so
   * no needs or answer given, no link to manage it, never promoted or cancelled (those columns stay empty).
   */
  private addedAtTheDoor(sessionId: number, name: string, email: string | null, studentId: string | null, at: { created: number; marked: number }): number {
    const id = this.nextId.registrations++;
    this.insert("registrations", {
      id,
      session_id: sessionId,
      name,
      email,
      student_id: studentId,
      status: "registered",
      attendance: "present",
      walk_in: 1,
      created_at: new Date(at.created).toISOString(),
      attendance_marked_at: new Date(at.marked).toISOString(),
    });
    return id;
  }

  private token(kind: string): string {
    return crypto.createHash("sha256").update(`city-${kind}-${this.tokenCounter++}`).digest("hex");
  }

  private feedbackToken(rng: Random, registrationId: number, closedAt: number) {
    const used = rng.next() < 0.4;
    this.insert("feedback_tokens", {
      registration_id: registrationId,
      token_hash: this.token("feedback"),
      created_at: new Date(closedAt).toISOString(),
      expires_at: new Date(closedAt + 14 * DAY).toISOString(),
      used_at: used ? new Date(closedAt + rng.int(1, 72) * HOUR).toISOString() : null,
    });
  }

  private feedback(rng: Random, sessionId: number, course: CourseName, source: "link" | "qr", closedAt: number, k: number, yesShare: number) {
    const x = rng.next();
    const recommend: Recommend = x < yesShare ? "yes" : x < yesShare + 0.07 ? "not_sure" : "no";
    const { rating, before, after } = feedbackScores(rng, recommend);
    const blank = rng.next() < 0.07;
    const later = source === "qr" ? rng.int(2, 25) * MINUTE : rng.int(60, 3 * 24 * 60) * MINUTE;
    this.insert("feedback_responses", {
      session_id: sessionId,
      source,
      rating,
      recommend,
      confidence_before: blank ? null : before,
      confidence_after: blank ? null : after,
      do_differently: rng.next() < 0.55 ? rng.pick(DO_DIFFERENTLY[course]) : null,
      comments: rng.next() < 0.3 ? rng.pick(CITY_COMMENTS) : null,
      created_at: new Date(closedAt + later + k * 1000).toISOString(),
    });
  }

  /** The UTC instant of a London wall time on a day (days counted from 1970-01-01). */
  private at(day: number, time: string): number {
    let offset = this.offsets.get(day);
    if (offset === undefined) {
      const date = new Date(day * DAY).toISOString().slice(0, 10);
      offset = day * DAY + 12 * HOUR - londonWallTimeToUtc(date, "12:00").getTime();
      this.offsets.set(day, offset);
    }
    return day * DAY + toMinutes(time) * MINUTE - offset;
  }

  async counts(currentStartYear: number, ms: number): Promise<CityCounts> {
    const get = async <T>(q: string, ...p: unknown[]) => (await this.load.get<T>(q, ...p))!;
    const years: CityYearCounts[] = [];
    for (let y = currentStartYear - this.years + 1; y <= currentStartYear; y++) {
      const { start, end } = academicYear(y);
      const range = [start.toISOString(), end.toISOString()];
      const s = await get<{ sessions: number; delivered: number; scheduled: number; cancelled: number; head: number | null }>(
        `select count(*) as sessions, sum(case when status = 'delivered' then 1 else 0 end) as delivered, sum(case when status = 'scheduled' then 1 else 0 end) as scheduled,
                sum(case when status = 'cancelled' then 1 else 0 end) as cancelled,
                sum(case when status = 'delivered' then head_count end) as head
           from sessions where ical_uid like 'city-%' and starts_at >= ? and starts_at < ?`,
        ...range,
      );
      const r = await get<{ registrations: number; present: number | null }>(
        `select count(*) as registrations, sum(case when r.attendance = 'present' and s.status = 'delivered' then 1 else 0 end) as present
           from registrations r join sessions s on s.id = r.session_id where s.ical_uid like 'city-%' and s.starts_at >= ? and s.starts_at < ?`,
        ...range,
      );
      const f = await get<{ n: number }>(
        "select count(*) as n from feedback_responses f join sessions s on s.id = f.session_id where s.ical_uid like 'city-%' and s.starts_at >= ? and s.starts_at < ?",
        ...range,
      );
      const roster = await get<{ n: number }>("select count(distinct person_id) as n from leader_appointments where start_year = ?", y);
      years.push({
        label: academicYearLabel(y),
        sessions: s.sessions,
        delivered: s.delivered ?? 0,
        scheduled: s.scheduled ?? 0,
        cancelled: s.cancelled ?? 0,
        attendances: (s.head ?? 0) + (r.present ?? 0),
        registrations: r.registrations,
        feedback: f.n,
        rosterSize: roster.n,
      });
    }
    const nowIso = this.now.toISOString();
    return {
      years,
      trainers: (await get<{ n: number }>("select count(distinct user_id) as n from user_roles where role = 'trainer'")).n,
      organisations: (await get<{ n: number }>("select count(*) as n from organisations")).n,
      bookers: (await get<{ n: number }>("select count(distinct user_id) as n from user_roles where role = 'booker'")).n,
      rooms: (await get<{ n: number }>("select count(*) as n from rooms")).n,
      currentLeaders: years[years.length - 1]!.rosterSize,
      leaderPeople: (await get<{ n: number }>("select count(*) as n from leader_people")).n,
      pendingRequests: (await get<{ n: number }>("select count(*) as n from booking_requests where status = 'requested'")).n,
      upcomingSessions: (await get<{ n: number }>("select count(*) as n from sessions where status = 'scheduled' and starts_at >= ?", nowIso)).n,
      demoTrainerSessions: (
        await get<{ n: number }>("select count(*) as n from session_trainers where trainer_id = ? and status != 'declined'", this.demoTrainerId)
      ).n,
      demoBookerRequests: (await get<{ n: number }>("select count(*) as n from booking_requests where organisation_id = ?", this.demoOrgId)).n,
      totals: {
        sessions: years.reduce((n, y) => n + y.sessions, 0),
        attendances: years.reduce((n, y) => n + y.attendances, 0),
        registrations: years.reduce((n, y) => n + y.registrations, 0),
        feedback: years.reduce((n, y) => n + y.feedback, 0),
      },
      ms,
    };
  }
}

// ---- Helpers ---------------------------------------------------------------------------------------

function push(map: Map<number, number[]>, key: number, start: number, end: number) {
  const list = map.get(key);
  if (list) list.push(start, end);
  else map.set(key, [start, end]);
}

function free(map: Map<number, number[]>, key: number, start: number, end: number, gap: number): boolean {
  const list = map.get(key);
  if (!list) return true;
  for (let i = 0; i < list.length; i += 2) if (list[i]! < end + gap && list[i + 1]! > start - gap) return false;
  return true;
}

/** Weeks counted from the Monday on or before 1970-01-01, so a week runs Monday to Sunday. */
const weekOf = (day: number) => Math.floor((day + 3) / 7);
const toMinutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
const isoDate = (d: Date) => d.toISOString().slice(0, 10);
