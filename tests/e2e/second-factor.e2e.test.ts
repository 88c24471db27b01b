import { Secret, TOTP } from "otpauth";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible, launchBrowser, newPage } from "./browser.ts";
import { e2eDb, newAccount, type Account } from "./data.ts";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** A coordinator of this journey's own, so no other journey meets a second factor. */
const newCoordinator = () => newAccount(["coordinator"], { name: "Robin Vale" });

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

async function signInWithPassword(page: Page, account: Account) {
  await page.goto("/login");
  await page.getByLabel("Email address").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
}

async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).first().click();
  await page.waitForURL("**/login");
}

describe("a second factor for a coordinator", () => {
  it("set up, then signing in with a code, with a recovery code, and a fresh code before a download", async () => {
    const coordinator = await newCoordinator();
    const { page, context } = await newPage(browser);

    // On the local demo it is offered, not forced.
    await signInWithPassword(page, coordinator);
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
    await page.getByLabel("Your current password").fill(coordinator.password);
    await page.getByRole("button", { name: "Turn on the second factor" }).click();
    const codeField = page.getByLabel("Code from the app");
    await expect.poll(() => codeField.getAttribute("aria-invalid")).toBe("true");

    let used = nextCode(secret, -Infinity);
    await codeField.fill(used.code);
    await page.getByLabel("Your current password").fill(coordinator.password);
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
    await signInWithPassword(page, coordinator);
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
    await signInWithPassword(page, coordinator);
    await page.getByLabel("Code").fill(recoveryCodes[0]!.toUpperCase());
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL("**/coordinator");
    await expect.poll(() => page.getByText("you have 9 left").count()).toBe(1);

    // Some minutes later, the personal-data download asks for the second factor again.
    await e2eDb()
      .updateTable("auth_sessions")
      .set({ second_factor_at: new Date(Date.now() - 10 * 60_000).toISOString() })
      .where("user_id", "=", coordinator.id)
      .execute();
    // The download is a POST from the personal data page (the address stays out of URLs).
    const download = () =>
      page.request.post("/coordinator/privacy/export", {
        form: { email: coordinator.email },
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

    const audit = await e2eDb()
      .selectFrom("audit_events")
      .select("action")
      .where("entity_type", "=", "user")
      .where("entity_id", "=", String(coordinator.id))
      .orderBy("id")
      .execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(["auth.second_factor_set_up", "auth.second_factor_failed", "auth.signed_in", "auth.second_factor_confirmed"]),
    );
    await context.close();
  });

  it("a coordinator on the local demo may put the offer off", async () => {
    const coordinator = await newCoordinator();
    const { page, context } = await newPage(browser);
    await signInWithPassword(page, coordinator);
    await page.getByRole("button", { name: "Not now" }).click();
    await expect.poll(() => page.getByRole("link", { name: "Set up a second factor" }).count()).toBe(0);
    expect(new URL(page.url()).pathname).toBe("/coordinator");
    await page.goto("/coordinator/people");
    expect(await page.getByRole("button", { name: "Not now" }).count()).toBe(0);
    await context.close();
  });
});
