import { createElement } from "react";
import { describe, expect, it } from "vitest";
import { getDb } from "#app/db.server.ts";
import { sendEmail } from "#app/email/outbox.server.ts";
import { runJobsOnce, startJobTimer } from "./runner.server.ts";

describe("runJobsOnce", () => {
  it("delivers nothing and leaves held mail alone when no transport is configured", async () => {
    const db = getDb();
    const id = await sendEmail(db, { template: "test", to: { email: "held@example.ac.uk" }, subject: "Held", react: createElement("p", null, "Hi") });
    expect(await runJobsOnce(db)).toMatchObject({ email: null });
    const row = await db.selectFrom("email_messages").select(["status", "attempts"]).where("id", "=", id).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: "held", attempts: 0 });
  });
});

describe("startJobTimer", () => {
  it("does not start a background timer under test", () => {
    startJobTimer(getDb);
    expect(globalThis.__neverokJobsTimer).toBeUndefined();
  });
});
