import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { lookupEmailToken } from "#app/auth/email-tokens.server.ts";
import { getDb } from "#app/db.server.ts";
import { createUser } from "#tests/factories.ts";
import { runCreateCoordinator } from "./create-coordinator.ts";

const db = () => getDb();
const APP_URL = "https://training.example.ac.uk";
let n = 0;
const address = () => `first-coordinator-${++n}-${Date.now()}@example.ac.uk`;

describe("npm run create-coordinator", () => {
  it("makes a coordinator with no password and prints a single-use link to choose one", async () => {
    const email = address();
    const { code, output } = await runCreateCoordinator(["--email", email.toUpperCase(), "--name", "Morgan Lee"], db(), APP_URL);
    expect(code).toBe(0);
    const link = /https:\/\/training\.example\.ac\.uk\/set-password\/([A-Za-z0-9_-]{40,})/.exec(output);
    expect(link, output).not.toBeNull();
    const user = await db().selectFrom("users").selectAll().where("email", "=", email).executeTakeFirstOrThrow();
    expect(user).toMatchObject({ name: "Morgan Lee", password_hash: null, is_active: 1 });
    const roles = await db().selectFrom("user_roles").select("role").where("user_id", "=", user.id).execute();
    expect(roles.map((r) => r.role)).toEqual(["coordinator"]);
    expect(await lookupEmailToken(db(), link![1]!)).toMatchObject({ status: "valid", userId: user.id, purpose: "invitation" });
    // The link is printed, not left readable anywhere: no email in the outbox, and the token only hashed.
    expect(await db().selectFrom("email_messages").select("id").where("to_address", "=", email).execute()).toHaveLength(0);
    const audit = await db().selectFrom("audit_events").select(["action", "summary", "detail_json"]).where("entity_id", "=", String(user.id)).execute();
    expect(audit.map((a) => a.action)).toEqual(["user.created_from_command"]);
    expect(JSON.stringify(audit)).not.toContain(link![1]!);
  });

  it("refuses an address that already has an account, changing nothing", async () => {
    const existing = await createUser(db(), { roles: ["trainer"] });
    const { code, output } = await runCreateCoordinator(["--email", existing.email, "--name", "Someone"], db(), APP_URL);
    expect(code).toBe(1);
    expect(output).toContain("already has an account");
    const roles = await db().selectFrom("user_roles").select("role").where("user_id", "=", existing.id).execute();
    expect(roles.map((r) => r.role)).toEqual(["trainer"]);
  });

  it.each([
    [["--email", "not-an-address", "--name", "A Person"], 1, "Enter an email address like"],
    [["--email", "someone@example.ac.uk", "--name", "   "], 1, "Enter a name"],
    [["--email", "someone@example.ac.uk"], 2, "Give both --email and --name"],
    [["--mail", "someone@example.ac.uk", "--name", "A Person"], 2, "Usage: npm run create-coordinator"],
  ])("refuses %j with a message and the usage", async (argv, expectedCode, message) => {
    const before = await db()
      .selectFrom("users")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    const { code, output } = await runCreateCoordinator(argv, db(), APP_URL);
    expect(code).toBe(expectedCode);
    expect(output).toContain(message);
    const after = await db()
      .selectFrom("users")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });
});

describe("the command as run by npm", () => {
  const run = (env: Record<string, string>) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "neverok-create-coordinator-"));
    try {
      return spawnSync(
        process.execPath,
        [createRequire(import.meta.url).resolve("tsx/cli"), "scripts/create-coordinator.ts", "--email", "first@example.ac.uk", "--name", "First Coordinator"],
        {
          cwd: path.resolve(import.meta.dirname, "../.."),
          env: { ...process.env, DATABASE_URL: "", DATABASE_PATH: path.join(dir, "app.sqlite"), ...env },
          encoding: "utf8",
        },
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };

  it("on a deployment needs SESSION_SECRET, says so plainly, then prints the link", () => {
    const deployment = { NODE_ENV: "production", APP_URL: "https://training.example.ac.uk", SESSION_SECRET: "" };
    const refused = run(deployment);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("SESSION_SECRET: required when APP_URL is not this machine");
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    const made = run({ ...deployment, SESSION_SECRET: "a-long-random-session-secret-value" });
    expect(made.status, made.stderr).toBe(0);
    expect(made.stdout).toMatch(/https:\/\/training\.example\.ac\.uk\/set-password\/[A-Za-z0-9_-]{40,}/);
  }, 60_000);
});
