import { describe, expect, it } from "vitest";
import { WRITE_ATTEMPTS, WriteConflict } from "#db/transaction.ts";
import { getDb } from "#app/db.server.ts";
import { onPostgres } from "#tests/connections.ts";
import { expectViolation } from "#tests/rule-violations.ts";
import { writeTransaction } from "./transaction.server.ts";

describe("the app's write transaction", () => {
  it("turns writers that kept clashing into a refusal on the form, asking to try again", async () => {
    await expectViolation(
      writeTransaction(getDb(), async () => {
        throw new WriteConflict(new Error("could not serialize access"));
      }),
      "form",
      /could not be saved\. Please try again/,
    );
  });

  it.runIf(onPostgres)("refuses on the form once PostgreSQL's serialization failures outlast the retries", async () => {
    let runs = 0;
    await expectViolation(
      writeTransaction(getDb(), async () => {
        runs++;
        throw Object.assign(new Error("could not serialize access due to concurrent update"), { code: "40001" });
      }),
      "form",
      /Please try again/,
    );
    expect(runs).toBe(WRITE_ATTEMPTS);
  });

  it("passes every other failure through unchanged", async () => {
    const boom = new Error("something else");
    await expect(
      writeTransaction(getDb(), async () => {
        throw boom;
      }),
    ).rejects.toBe(boom);
  });
});
