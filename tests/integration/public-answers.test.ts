import type { ActionFunctionArgs } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { getDb } from "#app/db.server.ts";
import * as forgotRoute from "#app/routes/forgot-password.tsx";
import { STEADY_ANSWER_MS } from "#app/utils/steady-answer.server.ts";
import { createUser, formBody, sameSiteRequest } from "#tests/factories.ts";
import { steadyAnswerPauses } from "#tests/steady-answers.ts";

type Action = (args: ActionFunctionArgs) => Promise<unknown>;

/** The forgotten-password form, asked about an address: what it answered. */
async function askForReset(email: string) {
  const result = await (forgotRoute.action as Action)({
    request: sameSiteRequest("/forgot-password", { method: "POST", body: formBody({ email }) }),
    params: {},
    context: {},
  });
  return { body: JSON.stringify(result).replaceAll(email, "ADDRESS") };
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
    // Each answer was held until the same time after its request arrived.
    expect(steadyAnswerPauses()).toEqual([STEADY_ANSWER_MS, STEADY_ANSWER_MS]);
    expect(await resetsTo(user.email)).toBe(1);
    expect(await resetsTo(stranger)).toBe(0);
  });
});
