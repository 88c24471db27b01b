import { describe, expect, it } from "vitest";
import { getDb } from "#app/db.server.ts";
import { holdsDemoAccounts } from "#seed/demo.ts";
import { hashPassword } from "#app/auth/password.server.ts";
import { DEMO_PASSWORD } from "#seed/demo.ts";
import { createUser } from "#tests/factories.ts";
import { demoDataRefusal, planStart, type StartFacts } from "./start-plan.ts";

const local: StartFacts = {
  demoInstance: true,
  appUrl: "http://localhost:3000",
  databasePath: "data/neverok.sqlite",
  databaseEmpty: true,
  holdsDemoAccounts: false,
};
const deployment: StartFacts = { ...local, demoInstance: false, appUrl: "https://training.example.ac.uk" };

describe("planStart", () => {
  it("loads the demo into an empty database on this machine and shows its logins", () => {
    expect(planStart(local)).toEqual({ action: "serve", loadDemo: true, showDemoLogins: true, notes: [] });
  });

  it("leaves a local database that has data alone, showing the demo logins only if the demo is there", () => {
    expect(planStart({ ...local, databaseEmpty: false, holdsDemoAccounts: true })).toMatchObject({ action: "serve", loadDemo: false, showDemoLogins: true });
    expect(planStart({ ...local, databaseEmpty: false })).toMatchObject({ action: "serve", loadDemo: false, showDemoLogins: false });
  });

  it("starts a deployment empty, with no demo logins, saying how to create the first coordinator", () => {
    const plan = planStart(deployment);
    expect(plan).toMatchObject({ action: "serve", loadDemo: false, showDemoLogins: false });
    expect(plan.action === "serve" && plan.notes.join("\n")).toContain("npm run create-coordinator -- --email");
    expect(planStart({ ...deployment, databaseEmpty: false })).toEqual({ action: "serve", loadDemo: false, showDemoLogins: false, notes: [] });
  });

  it("refuses to serve a deployment from a database holding the demo accounts", () => {
    const plan = planStart({ ...deployment, databaseEmpty: false, holdsDemoAccounts: true });
    expect(plan.action).toBe("refuse");
    expect(plan.action === "refuse" && plan.message).toContain("published");
  });

  it("refuses loading the demo by hand on a deployment only", () => {
    expect(demoDataRefusal(local)).toBeNull();
    expect(demoDataRefusal(deployment)).toContain("create-coordinator");
  });
});

describe("holdsDemoAccounts", () => {
  it("finds a demo account only while it has the published password", async () => {
    const db = getDb();
    expect(await holdsDemoAccounts(db)).toBe(false);
    await createUser(db, { email: "someone.real@example.ac.uk", password: DEMO_PASSWORD });
    expect(await holdsDemoAccounts(db)).toBe(false);
    const demo = await createUser(db, { email: "coordinator@neverok.example", password: DEMO_PASSWORD });
    expect(await holdsDemoAccounts(db)).toBe(true);
    await db
      .updateTable("users")
      .set({ password_hash: await hashPassword("velvet thunder in the pantry") })
      .where("id", "=", demo.id)
      .execute();
    expect(await holdsDemoAccounts(db)).toBe(false);
  });
});
