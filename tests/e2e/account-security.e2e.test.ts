import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseURL, expectAccessible, launchBrowser, newPage, signIn } from "./browser.ts";
import { e2eDb, newAccount } from "./data.ts";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** A trainer of this journey's own, so changing the password touches no other journey. */
const newTrainer = () => newAccount(["trainer"], { name: "Kit Marlowe" });

const NEW_PASSWORD = "velvet thunder in the pantry";

async function fillChange(page: Page, current: string, next: string) {
  await page.getByLabel("Current password").fill(current);
  await page.getByLabel("New password", { exact: true }).fill(next);
  await page.getByLabel("New password again").fill(next);
  await page.getByRole("button", { name: "Change password" }).click();
}

async function errorBeside(page: Page, label: string, exact = false) {
  const field = page.getByLabel(label, { exact });
  await expect.poll(() => field.getAttribute("aria-invalid")).toBe("true");
  const ids = (await field.getAttribute("aria-describedby"))!.split(" ");
  return (await Promise.all(ids.map((id) => page.locator(`[id="${id}"]`).textContent()))).join(" ");
}

describe("changing one's password", () => {
  it("needs the current one, refuses a guessable one beside the field, then signs out the other devices and emails the person", async () => {
    const trainer = await newTrainer();
    const laptop = await newPage(browser);
    const phone = await newPage(browser, { mobile: true });
    await signIn(laptop.page, trainer);
    await signIn(phone.page, trainer);

    await laptop.page.goto("/account");
    await expectAccessible(laptop.page);
    await fillChange(laptop.page, trainer.password, "password123");
    expect(await errorBeside(laptop.page, "New password", true)).toContain("Try a passphrase instead");

    await fillChange(laptop.page, "not my password at all", NEW_PASSWORD);
    expect(await errorBeside(laptop.page, "Current password")).toContain("That is not your current password");

    await fillChange(laptop.page, trainer.password, NEW_PASSWORD);
    await expect.poll(() => laptop.page.getByRole("status").textContent()).toContain("Your password is changed. You were signed out on 1 other device.");
    expect(new URL(laptop.page.url()).pathname).toBe("/account");

    // The phone is signed out; the laptop is not.
    await phone.page.goto("/trainer");
    expect(new URL(phone.page.url()).pathname).toBe("/login");
    await laptop.page.goto("/trainer");
    expect(new URL(laptop.page.url()).pathname).toBe("/trainer");

    // The new password works, the old one does not.
    await phone.page.getByLabel("Email address").fill(trainer.email);
    await phone.page.getByLabel("Password").fill(trainer.password);
    await phone.page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => phone.page.getByRole("alert").textContent()).toContain("do not match");
    await signIn(phone.page, { email: trainer.email, password: NEW_PASSWORD });
    expect(new URL(phone.page.url()).pathname).toBe("/trainer");

    const mail = await e2eDb().selectFrom("email_messages").select(["subject", "text"]).where("to_address", "=", trainer.email).execute();
    const audit = await e2eDb()
      .selectFrom("audit_events")
      .select(["summary", "detail_json"])
      .where("entity_type", "=", "user")
      .where("entity_id", "=", String(trainer.id))
      .where("action", "=", "user.password_changed")
      .execute();
    expect(mail.map((m) => m.subject)).toEqual(["Your NeverOK Training password was changed"]);
    expect(mail[0]!.text).toContain(`${baseURL()}/forgot-password`);
    expect(audit).toHaveLength(1);
    expect(`${audit[0]!.summary} ${audit[0]!.detail_json}`).not.toContain(NEW_PASSWORD);

    await laptop.context.close();
    await phone.context.close();
  });

  it("without JavaScript, a guessable password is refused with the same advice beside the field", async () => {
    const trainer = await newTrainer();
    const context = await browser.newContext({ baseURL: baseURL(), javaScriptEnabled: false, locale: "en-GB", timezoneId: "Europe/London" });
    const page = await context.newPage();
    await signIn(page, trainer);
    await page.goto("/account");
    await fillChange(page, trainer.password, "Kit Marlowe 2026");
    await page.waitForLoadState("load");
    expect(await errorBeside(page, "New password", true)).toContain("It is mostly your name, your email address or the name of this site");
    // Nothing was changed: the old password still signs in.
    const check = await newPage(browser);
    await signIn(check.page, trainer);
    expect(new URL(check.page.url()).pathname).toBe("/trainer");
    await check.context.close();
    await context.close();
  });
});
