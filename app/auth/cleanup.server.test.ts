import { describe, expect, it } from "vitest";
import { getDb } from "#app/db.server.ts";
import { createUser } from "#tests/factories.ts";
import { addMs, DAY, MINUTE, now, setClockOffsetForTests } from "#app/utils/time.ts";
import { addTestProvider } from "#tests/sso-fixtures.ts";
import { pruneExpiredAuthRecords } from "./cleanup.server.ts";
import { issueEmailToken, lookupEmailToken } from "./email-tokens.server.ts";
import { createAuthSession, validateSessionToken } from "./session.server.ts";
import { beginSignInAttempt } from "./sign-in-throttle.server.ts";

describe("pruneExpiredAuthRecords", () => {
  it("removes what has expired and keeps what still counts", async () => {
    const db = getDb();
    const user = await createUser(db);
    const old = await createAuthSession(db, user.id, null);
    const oldToken = await issueEmailToken(db, user.id, "password_reset");
    await beginSignInAttempt(db, { email: "old-failure@example.ac.uk", client: "192.0.2.1" });
    const provider = await addTestProvider(db, { issuer: "http://127.0.0.1:9", slug: "campus-down" });
    const ssoAttempt = (stateHash: string) => ({
      state_hash: stateHash,
      provider_id: provider.id,
      nonce: "n",
      code_verifier: "v",
      redirect_to: "/",
      created_at: now().toISOString(),
      expires_at: addMs(now(), 10 * MINUTE).toISOString(),
    });
    await db.insertInto("sso_attempts").values(ssoAttempt("old")).execute();

    setClockOffsetForTests(8 * DAY);
    const fresh = await createAuthSession(db, user.id, null);
    const freshToken = await issueEmailToken(db, user.id, "invitation");
    await beginSignInAttempt(db, { email: "new-failure@example.ac.uk", client: "192.0.2.2" });
    setClockOffsetForTests(8 * DAY + 5 * MINUTE);
    await db.insertInto("sso_attempts").values(ssoAttempt("new")).execute();

    const removed = await pruneExpiredAuthRecords(db);
    expect(removed).toEqual({ sessions: 1, tokens: 1, signInFailures: 1, signInClientFailures: 1, ssoAttempts: 1 });
    expect((await db.selectFrom("sso_attempts").select("state_hash").execute()).map((a) => a.state_hash)).toEqual(["new"]);
    expect(await validateSessionToken(db, old.token)).toBeNull();
    expect(await validateSessionToken(db, fresh.token)).not.toBeNull();
    expect((await lookupEmailToken(db, oldToken)).status).toBe("unknown");
    expect((await lookupEmailToken(db, freshToken)).status).toBe("valid");
    const failures = await db.selectFrom("sign_in_failures").select("email").execute();
    expect(failures.map((f) => f.email)).toEqual(["new-failure@example.ac.uk"]);
    const clients = await db.selectFrom("sign_in_client_failures").select("client").execute();
    expect(clients.map((c) => c.client)).toEqual(["192.0.2.2"]);
  });
});
