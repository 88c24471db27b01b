import type { ActionFunctionArgs } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { getDb } from "#app/db.server.ts";
import * as forgotRoute from "#app/routes/forgot-password.tsx";
import { STEADY_ANSWER_MS } from "#app/utils/steady-answer.server.ts";
import { createUser, formBody, sameSiteRequest } from "#tests/factories.ts";

type Action = (args: ActionFunctionArgs) => Promise<unknown>;

/** The forgotten-password form, asked about an address: what it answered and how long it took. */
async function askForReset(email: string) {
  const started = performance.now();
  const result = await (forgotRoute.action as Action)({
    request: sameSiteRequest("/forgot-password", { method: "POST", body: formBody({ email }) }),
    params: {},
    context: {},
  });
  return { ms: performance.now() - started, body: JSON.stringify(result).replaceAll(email, "ADDRESS") };
}

const resetsTo = async (email: string) =>
  Number(
    (
      await getDb()
        .selectFrom("email_messages")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("to_address", "=", email)
        .where("template", "=", "password-reset")
        .executeTakeFirstOrThrow()
    ).n,
  );

describe("the forgotten-password form", () => {
  it("answers an address with an account and one without alike, and no sooner than the same fixed time; only the account gets a link", async () => {
    const user = await createUser(getDb());
    const stranger = `nobody-${String(Date.now())}@example.ac.uk`;
    const known = await askForReset(user.email);
    const unknown = await askForReset(stranger);
    expect(unknown.body).toBe(known.body);
    expect(known.ms).toBeGreaterThanOrEqual(STEADY_ANSWER_MS - 10);
    expect(unknown.ms).toBeGreaterThanOrEqual(STEADY_ANSWER_MS - 10);
    expect(await resetsTo(user.email)).toBe(1);
    expect(await resetsTo(stranger)).toBe(0);
  });
});
