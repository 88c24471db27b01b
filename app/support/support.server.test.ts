import { parseWithZod } from "@conform-to/zod/v4";
import { openDatabase } from "#db/connection.ts";
import { beforeAll, describe, expect, it } from "vitest";
import type { Role } from "#db/schema.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { getDb } from "#app/db.server.ts";
import { createUser } from "#tests/factories.ts";
import { expectViolation } from "#tests/rule-violations.ts";
import { telHref } from "./directory.ts";
import { SupportServiceSchema, type SupportServiceInput } from "./schemas.ts";
import { getSupportService, moveSupportService, removeSupportService, saveSupportService, supportDirectory } from "./support.server.ts";

const db = () => getDb();
let n = 0;
const unique = (label: string) => `${label} ${++n}`;

const service = (overrides: Partial<SupportServiceInput> = {}): SupportServiceInput => ({
  name: unique("Advice and Support Centre"),
  purpose: "Free, confidential advice in the Students' Union.",
  url: "https://su.example.ac.uk/advice",
  phone: null,
  hours: "Mon–Fri 9:00–17:00",
  urgent: false,
  ...overrides,
});

/** The form as a browser posts it, checked by the schema the page and the action share. */
function posted(fields: Record<string, string>) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return parseWithZod(form, { schema: SupportServiceSchema });
}

const errorsOf = (fields: Record<string, string>) => {
  const result = posted(fields);
  return result.status === "success" ? {} : (result.error ?? {});
};

const auditOf = (id: number) =>
  db()
    .selectFrom("audit_events")
    .select(["action", "actor_user_id", "summary", "detail_json"])
    .where("entity_type", "=", "support_service")
    .where("entity_id", "=", String(id))
    .orderBy("id")
    .execute();

const names = async () => (await supportDirectory(db())).map((s) => s.name);

let coordinator: SessionUser;
beforeAll(async () => {
  coordinator = await createUser(db(), { name: "Cora Coordinator", roles: ["coordinator"] });
});

describe("the support service form", () => {
  const base = { name: "Report + Support", purpose: "Report what happened, named or anonymously." };

  it("takes a service reached by phone alone, keeping the number as typed", () => {
    const result = posted({ ...base, phone: " +44 (0)20 7946 0000 ", urgent: "on" });
    expect(result.status).toBe("success");
    expect(result.status === "success" && result.value).toEqual({ ...base, url: null, phone: "+44 (0)20 7946 0000", hours: null, urgent: true });
  });

  it("takes an http or https web address, and says not urgent when the box is left empty", () => {
    for (const url of ["https://reportandsupport.example.ac.uk/", "http://su.example.ac.uk/advice?from=training#hours"]) {
      const result = posted({ ...base, url });
      expect(result.status === "success" && result.value, url).toMatchObject({ url, urgent: false });
    }
  });

  it("refuses a web address that is not an http(s) page, beside the field", () => {
    for (const url of [
      "javascript:alert(1)",
      "JAVASCRIPT:alert(1)",
      "data:text/html,<script>alert(1)</script>",
      "mailto:advice@example.ac.uk",
      "ftp://files.example.ac.uk/",
      "www.example.ac.uk",
      "https://intranet",
      "https://someone:secret@example.ac.uk/",
      "https://example .ac.uk/",
      "//example.ac.uk/",
    ]) {
      expect(errorsOf({ ...base, url }).url, url).toEqual(["Enter the full web address, starting with https://"]);
    }
  });

  it("refuses a service nobody could reach: no web address and no phone", () => {
    expect(errorsOf(base).url).toEqual(["Give a web address, a phone number or both, so people can reach the service"]);
  });

  it("refuses a phone number with letters in it, or too few or too many digits", () => {
    expect(errorsOf({ ...base, phone: "0800 CALL NOW" }).phone).toEqual(["Use digits, spaces and + ( ) - only"]);
    for (const phone of ["12", "1234567890123456"]) expect(errorsOf({ ...base, phone }).phone, phone).toHaveLength(1);
  });

  it("asks for a name and what the service is for, and reports every problem at once", () => {
    const errors = errorsOf({ name: " ", purpose: "", url: "javascript:x" });
    expect(Object.keys(errors).sort()).toEqual(["name", "purpose", "url"]);
  });
});

describe("phone numbers as links", () => {
  it("dials digits only, keeping a leading + and dropping the (0) of an international number", () => {
    expect(telHref("999")).toBe("tel:999");
    expect(telHref("020 7946 0000")).toBe("tel:02079460000");
    expect(telHref("+44 (0)20 7946 0000")).toBe("tel:+442079460000");
    expect(telHref("(020) 7946-0000")).toBe("tel:02079460000");
  });
});

describe("the directory's order", () => {
  it("starts with the emergency numbers on a new installation, urgent and dialable", async () => {
    const [first, second] = await supportDirectory(db());
    expect(first).toMatchObject({ name: "Emergency services", phone: "999", phoneHref: "tel:999", urgent: true });
    expect(second).toMatchObject({ phone: "101", phoneHref: "tel:101", urgent: true });
  });

  it("keeps urgent services first, whatever order they were added in, and adds each at the end of its group", async () => {
    const advice = await saveSupportService(db(), coordinator, null, service());
    const wellbeing = await saveSupportService(db(), coordinator, null, service({ name: unique("Wellbeing Service") }));
    const security = await saveSupportService(db(), coordinator, null, service({ name: unique("Campus Security"), phone: "020 7946 0999", urgent: true }));
    const list = await supportDirectory(db());
    const at = (id: number) => list.findIndex((s) => s.id === id);
    expect(list.slice(0, at(security) + 1).every((s) => s.urgent)).toBe(true);
    expect(list.slice(at(security) + 1).every((s) => !s.urgent)).toBe(true);
    expect(at(advice)).toBeLessThan(at(wellbeing));
    expect(at(security)).toBeLessThan(at(advice));
  });

  it("reads the whole directory in one query", async () => {
    const statements: string[] = [];
    const logged = openDatabase(globalThis.__neverokDb!.target, {
      log: (e) => {
        if (e.level === "query") statements.push(e.query.sql);
      },
    });
    try {
      expect((await supportDirectory(logged)).length).toBeGreaterThan(1);
      expect(statements).toHaveLength(1);
    } finally {
      await logged.destroy();
    }
  });
});

describe("moving a service", () => {
  it("swaps it with its neighbour, both ways, and audits each move", async () => {
    const a = await saveSupportService(db(), coordinator, null, service({ name: unique("First") }));
    const b = await saveSupportService(db(), coordinator, null, service({ name: unique("Second") }));
    const before = await names();
    const [nameA, nameB] = [(await getSupportService(db(), a))!.name, (await getSupportService(db(), b))!.name];
    expect(before.indexOf(nameB)).toBe(before.indexOf(nameA) + 1);

    expect(await moveSupportService(db(), coordinator, b, "up")).toEqual({ name: nameB });
    const after = await names();
    expect(after.indexOf(nameB)).toBe(before.indexOf(nameA));
    expect(after.indexOf(nameA)).toBe(before.indexOf(nameB));
    expect(after.filter((x) => x !== nameA && x !== nameB)).toEqual(before.filter((x) => x !== nameA && x !== nameB));

    await moveSupportService(db(), coordinator, b, "down");
    expect(await names()).toEqual(before);
    expect((await auditOf(b)).map((e) => e.action)).toEqual(["support_service.created", "support_service.moved", "support_service.moved"]);
    expect((await auditOf(b))[1]).toMatchObject({ actor_user_id: coordinator.id, summary: `Cora Coordinator moved ${nameB} up the support directory` });
  });

  it("never moves an urgent service below another kind, or another kind above the urgent ones", async () => {
    const list = await supportDirectory(db());
    const lastUrgent = list.filter((s) => s.urgent).at(-1)!;
    const firstOther = list.find((s) => !s.urgent)!;
    await expectViolation(moveSupportService(db(), coordinator, lastUrgent.id, "down"), "form", /already last of the urgent services/);
    await expectViolation(moveSupportService(db(), coordinator, firstOther.id, "up"), "form", /already first of the other services/);
    await expectViolation(moveSupportService(db(), coordinator, list[0]!.id, "up"), "form", /already first/);
    expect(await supportDirectory(db())).toEqual(list);
  });

  it("says when the service is no longer there", async () => {
    await expectViolation(moveSupportService(db(), coordinator, 999_999, "up"), "form", /no longer in the support directory/);
  });
});

describe("saving and removing", () => {
  it("adds a service, changes it in place and audits both with who did it", async () => {
    const input = service({ phone: "+44 (0)20 7946 0000" });
    const id = await saveSupportService(db(), coordinator, null, input);
    expect(await getSupportService(db(), id)).toMatchObject({ name: input.name, phone: "+44 (0)20 7946 0000", phoneHref: "tel:+442079460000", urgent: false });
    const renamed = service({ name: unique("Student Services"), url: null, phone: "020 7946 0001", urgent: true });
    expect(await saveSupportService(db(), coordinator, id, renamed)).toBe(id);
    expect(await getSupportService(db(), id)).toMatchObject({ name: renamed.name, url: null, phone: "020 7946 0001", urgent: true });
    const events = await auditOf(id);
    expect(events.map((e) => e.action)).toEqual(["support_service.created", "support_service.updated"]);
    expect(events.every((e) => e.actor_user_id === coordinator.id)).toBe(true);
    expect(JSON.parse(events[1]!.detail_json!)).toMatchObject({ name: renamed.name, is_urgent: 1 });
  });

  it("refuses a second service with the same name, beside the name, and adds nothing", async () => {
    const input = service();
    await saveSupportService(db(), coordinator, null, input);
    const before = await supportDirectory(db());
    await expectViolation(saveSupportService(db(), coordinator, null, { ...input, purpose: "Again" }), "name", /already lists a service with this name/);
    expect(await supportDirectory(db())).toEqual(before);
  });

  it("removes a service and keeps what it said in the audit log", async () => {
    const input = service({ phone: "020 7946 0002" });
    const id = await saveSupportService(db(), coordinator, null, input);
    expect(await removeSupportService(db(), coordinator, id)).toEqual({ name: input.name });
    expect(await getSupportService(db(), id)).toBeUndefined();
    const removed = (await auditOf(id)).at(-1)!;
    expect(removed.action).toBe("support_service.removed");
    expect(JSON.parse(removed.detail_json!)).toMatchObject({ name: input.name, purpose: input.purpose, url: input.url, phone: "020 7946 0002" });
    await expectViolation(removeSupportService(db(), coordinator, id), "form", /no longer in the support directory/);
  });

  it("lets only a coordinator change the directory: trainers, bookers and union officers change nothing", async () => {
    const id = await saveSupportService(db(), coordinator, null, service());
    const before = await supportDirectory(db());
    const auditBefore = await auditOf(id);
    for (const roles of [["trainer"], ["booker"], ["officer"], ["trainer", "booker", "officer"]] as Role[][]) {
      const someone = await createUser(db(), { roles });
      await expectViolation(saveSupportService(db(), someone, null, service()), "forbidden", /Only the training coordinator/);
      await expectViolation(saveSupportService(db(), someone, id, service()), "forbidden", /Only the training coordinator/);
      await expectViolation(moveSupportService(db(), someone, id, "up"), "forbidden", /Only the training coordinator/);
      await expectViolation(removeSupportService(db(), someone, id), "forbidden", /Only the training coordinator/);
    }
    expect(await supportDirectory(db())).toEqual(before);
    expect(await auditOf(id)).toEqual(auditBefore);
  });
});
