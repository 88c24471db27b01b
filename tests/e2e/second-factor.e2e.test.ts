import { Secret, TOTP } from "otpauth";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "#seed/demo.ts";
import { expectAccessible, launchBrowser, newPage, withDb } from "./browser.ts";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** A coordinator of this journey's own, with the demo password, so no other journey meets a second factor. */
function newCoordinator(): { id: number; email: string } {
  const email = `second.factor.${Date.now()}@neverok.example`;
  return withDb((db) => {
    const at = new Date().toISOString();
    const { password_hash } = db.prepare("select password_hash from users where email = 'coordinator@neverok.example'").get() as { password_hash: string };
    const id = Number(
      db.prepare("insert into users (email, name, password_hash, created_at, updated_at) values (?, 'Robin Vale', ?, ?, ?)").run(email, password_hash, at, at)
        .lastInsertRowid,
    );
    db.prepare("insert into user_roles (user_id, role, granted_at) values (?, 'coordinator', ?)").run(id, at);
    return { id, email };
  });
}

/**
 * The next code the app will take: later than the last one used (it never takes one twice), and
 * within a step of now. Near the end of a step the current one is used, so the step cannot pass
 * between typing and checking.
 */
function nextCode(secret: string, lastStep: number): { code: string; step: number } {
  const at = Date.now();
  const current = Math.floor(at / 30_000);
  const step = Math.max(lastStep + 1, 30_000 - (at % 30_000) > 5_000 ? current - 1 : current);
  if (step > current + 1) throw new Error("no code can be used yet");
  return { code: TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: step * 30_000 }), step };
}

async function signInWithPassword(page: Page, email: string) {
  await page.goto("/login");
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
}

async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).first().click();
  await page.waitForURL("**/login");
}

describe("a second factor for a coordinator", () => {
  it("set up, then signing in with a code, with a recovery code, and a fresh code before a download", async () => {
    const coordinator = newCoordinator();
    const { page, context } = await newPage(browser);

    // On the local demo it is offered, not forced.
    await signInWithPassword(page, coordinator.email);
    expect(new URL(page.url()).pathname).toBe("/coordinator");
    await page.getByRole("link", { name: "Set up a second factor" }).first().click();
    await page.waitForURL(/\/account\/second-factor/);
    await expect.poll(() => page.getByRole("img", { name: /QR code/ }).isVisible()).toBe(true);
    const secret = (await page.locator("[data-secret]").getAttribute("data-secret"))!;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    // The key typed by hand is the one in the QR code.
    expect(await page.getByLabel("Key to type into the app").textContent()).toBe(secret.match(/.{4}/g)!.join(" "));
    await expectAccessible(page);

    // A wrong code is told beside the field.
    await page.getByLabel("Code from the app").fill("000000");
    await page.getByLabel("Your current password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Turn on the second factor" }).click();
    const codeField = page.getByLabel("Code from the app");
    await expect.poll(() => codeField.getAttribute("aria-invalid")).toBe("true");

    let used = nextCode(secret, -Infinity);
    await codeField.fill(used.code);
    await page.getByLabel("Your current password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Turn on the second factor" }).click();
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("The second factor is on");
    const recoveryCodes = await page.getByRole("list", { name: "Recovery codes" }).getByRole("listitem").allTextContents();
    expect(recoveryCodes).toHaveLength(10);
    await expectAccessible(page);
    await page.getByRole("link", { name: "I have saved them, carry on" }).click();
    await page.waitForURL("**/coordinator");
    expect(await page.getByRole("link", { name: "Set up a second factor" }).count()).toBe(0);

    // Signing in now asks for a code after the password.
    await signOut(page);
    await signInWithPassword(page, coordinator.email);
    expect(new URL(page.url()).pathname).toBe("/verify");
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Enter your code");
    await expectAccessible(page);
    // Nothing else opens before the code.
    await page.goto("/coordinator/people");
    expect(new URL(page.url()).pathname).toBe("/verify");
    expect(new URL(page.url()).searchParams.get("redirectTo")).toBe("/coordinator/people");
    // The code used to set it up does not work a second time.
    await page.getByLabel("Code").fill(used.code);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => page.getByLabel("Code").getAttribute("aria-invalid")).toBe("true");
    used = nextCode(secret, used.step);
    await page.getByLabel("Code").fill(used.code);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL("**/coordinator/people");

    // A recovery code signs in once in place of the app.
    await signOut(page);
    await signInWithPassword(page, coordinator.email);
    await page.getByLabel("Code").fill(recoveryCodes[0]!.toUpperCase());
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL("**/coordinator");
    await expect.poll(() => page.getByText("you have 9 left").count()).toBe(1);

    // Some minutes later, the personal-data download asks for the second factor again.
    withDb((db) =>
      db.prepare("update auth_sessions set second_factor_at = ? where user_id = ?").run(new Date(Date.now() - 10 * 60_000).toISOString(), coordinator.id),
    );
    // The download is a POST from the personal data page (the address stays out of URLs).
    const download = () =>
      page.request.post("/coordinator/privacy/export", {
        form: { email: "booker@neverok.example" },
        headers: { Referer: new URL("/coordinator/privacy", page.url()).href },
        maxRedirects: 0,
      });
    const asked = await download();
    expect(asked.status()).toBe(302);
    expect(asked.headers()["location"]).toBe(`/verify?${new URLSearchParams({ redirectTo: "/coordinator/privacy" })}`);
    await page.goto("/coordinator/privacy");
    expect(new URL(page.url()).pathname).toBe("/verify");
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Confirm it is you");
    await page.getByLabel("Code").fill(recoveryCodes[1]!);
    await page.getByRole("button", { name: "Continue" }).click();
    await page.waitForURL("**/coordinator/privacy");
    const downloaded = await download();
    expect(downloaded.status()).toBe(200);
    expect(downloaded.headers()["content-disposition"]).toMatch(/^attachment;/);

    const audit = withDb(
      (db) =>
        db.prepare("select action from audit_events where entity_type = 'user' and entity_id = ? order by id").all(String(coordinator.id)) as {
          action: string;
        }[],
    );
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(["auth.second_factor_set_up", "auth.second_factor_failed", "auth.signed_in", "auth.second_factor_confirmed"]),
    );
    await context.close();
  });

  it("the demo coordinator may put the offer off", async () => {
    const coordinator = newCoordinator();
    const { page, context } = await newPage(browser);
    await signInWithPassword(page, coordinator.email);
    await page.getByRole("button", { name: "Not now" }).click();
    await expect.poll(() => page.getByRole("link", { name: "Set up a second factor" }).count()).toBe(0);
    expect(new URL(page.url()).pathname).toBe("/coordinator");
    await page.goto("/coordinator/people");
    expect(await page.getByRole("button", { name: "Not now" }).count()).toBe(0);
    await context.close();
  });
});
