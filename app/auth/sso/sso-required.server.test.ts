import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#app/db.server.ts";
import { changePassword } from "#app/auth/change-password.server.ts";
import { issueEmailToken } from "#app/auth/email-tokens.server.ts";
import { createAuthSession, validateSessionToken } from "#app/auth/session.server.ts";
import { requestPasswordReset, setPasswordWithToken, signIn } from "#app/auth/sign-in.server.ts";
import { inviteUser } from "#app/users/users.server.ts";
import { createUser, TEST_PASSWORD } from "#tests/factories.ts";
import { rowCount } from "#tests/row-counts.ts";
import { addTestProvider } from "#tests/sso-fixtures.ts";

const db = () => getDb();
const REQUIRED = "staff.example.ac.uk";

beforeAll(async () => {
  // Never reached: nothing here goes to the provider.
  await addTestProvider(db(), { issuer: "http://127.0.0.1:9", slug: "campus-required", name: "Campus Account", domains: [REQUIRED], ssoRequired: true });
  await addTestProvider(db(), { issuer: "http://127.0.0.1:9", slug: "campus", name: "Campus (optional)", domains: ["students.example.ac.uk"] });
});

describe("domains whose provider must sign people in", () => {
  it("refuse a password, even the right one, without saying whether the address has an account, and record the attempt", async () => {
    const staff = await createUser(db(), { email: `ana@${REQUIRED}`, roles: ["trainer"] });
    const right = await signIn(db(), { email: staff.email, password: TEST_PASSWORD, userAgent: null, client: "192.0.2.40" });
    const nobody = await signIn(db(), { email: `nobody@${REQUIRED}`, password: TEST_PASSWORD, userAgent: null, client: "192.0.2.41" });
    expect(right).toEqual({ ok: false, reason: "sso_required", provider: { slug: "campus-required", name: "Campus Account" }, domain: REQUIRED });
    expect(nobody).toEqual(right);
    const entry = await db()
      .selectFrom("audit_events")
      .select(["action", "summary"])
      .where("action", "=", "auth.sign_in_failed")
      .orderBy("id", "desc")
      .executeTakeFirstOrThrow();
    expect(entry.summary).toContain("sign in through Campus Account");
    expect(await db().selectFrom("auth_sessions").select("id").where("user_id", "=", staff.id).execute()).toHaveLength(0);
  });

  it("leave passwords alone where the provider is optional, and for people outside the institution", async () => {
    const student = await createUser(db(), { email: "bo@students.example.ac.uk" });
    const venue = await createUser(db(), { email: "manager@moles.example" });
    for (const person of [student, venue]) {
      expect(await signIn(db(), { email: person.email, password: TEST_PASSWORD, userAgent: null, client: "192.0.2.42" })).toMatchObject({ ok: true });
    }
  });

  it("send no reset link, and a link sent earlier chooses no password", async () => {
    const staff = await createUser(db(), { email: `cy@${REQUIRED}` });
    const emails = await rowCount(db(), "email_messages");
    expect(await requestPasswordReset(db(), staff.email)).toEqual({ signsInThrough: "Campus Account" });
    expect(await rowCount(db(), "email_messages")).toBe(emails);
    const token = await issueEmailToken(db(), staff.id, "password_reset");
    expect(await setPasswordWithToken(db(), { token, password: "a long new passphrase here", userAgent: null })).toEqual({
      ok: false,
      reason: "sso_required",
      provider: "Campus Account",
    });
  });

  it("keep the password off the account page's menu: changing one is refused", async () => {
    const staff = await createUser(db(), { email: `eli@${REQUIRED}` });
    const { token } = await createAuthSession(db(), staff.id, null);
    const session = (await validateSessionToken(db(), token))!;
    const result = await changePassword(db(), staff, {
      currentPassword: TEST_PASSWORD,
      newPassword: "another long passphrase",
      sessionId: session.sessionId,
      client: "192.0.2.43",
    });
    expect(result).toMatchObject({ ok: false, field: "form", status: 403 });
  });

  it("invite people with a link to the provider, not to a password", async () => {
    const coordinator = await createUser(db(), { roles: ["coordinator"] });
    await inviteUser(db(), coordinator, { email: `dee@${REQUIRED}`, name: "Dee", roles: ["trainer"], organisationIds: [] });
    await inviteUser(db(), coordinator, { email: "freelance@example.org", name: "Fay", roles: ["trainer"], organisationIds: [] });
    const [sso] = await db().selectFrom("email_messages").select(["text"]).where("to_address", "=", `dee@${REQUIRED}`).execute();
    const [password] = await db().selectFrom("email_messages").select(["text"]).where("to_address", "=", "freelance@example.org").execute();
    expect(sso?.text).toContain("Sign in through Campus Account");
    expect(sso?.text).toContain("http://localhost:3000/auth/sso/campus-required");
    expect(sso?.text).not.toContain("/set-password/");
    expect(password?.text).toContain("Choose a password");
  });
});
