import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "#seed/demo.ts";
import { baseURL, expectAccessible, launchBrowser, newPage, signIn, withDb } from "./browser.ts";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** A trainer of this journey's own, with the demo password, so changing it touches no other journey. */
function newTrainer(): { id: number; email: string } {
  const email = `password.change.${Date.now()}.${Math.floor(Math.random() * 1000)}@neverok.example`;
  return withDb((db) => {
    const at = new Date().toISOString();
    const { password_hash } = db.prepare("select password_hash from users where email = 'trainer@neverok.example'").get() as { password_hash: string };
    const id = Number(
      db.prepare("insert into users (email, name, password_hash, created_at, updated_at) values (?, 'Kit Marlowe', ?, ?, ?)").run(email, password_hash, at, at)
        .lastInsertRowid,
    );
    db.prepare("insert into user_roles (user_id, role, granted_at) values (?, 'trainer', ?)").run(id, at);
    return { id, email };
  });
}

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
    const trainer = newTrainer();
    const laptop = await newPage(browser);
    const phone = await newPage(browser, { mobile: true });
    await signIn(laptop.page, trainer.email);
    await signIn(phone.page, trainer.email);

    await laptop.page.goto("/account");
    await expectAccessible(laptop.page);
    await fillChange(laptop.page, DEMO_PASSWORD, "password123");
    expect(await errorBeside(laptop.page, "New password", true)).toContain("Try a passphrase instead");

    await fillChange(laptop.page, "not my password at all", NEW_PASSWORD);
    expect(await errorBeside(laptop.page, "Current password")).toContain("That is not your current password");

    await fillChange(laptop.page, DEMO_PASSWORD, NEW_PASSWORD);
    await expect.poll(() => laptop.page.getByRole("status").textContent()).toContain("Your password is changed. You were signed out on 1 other device.");
    expect(new URL(laptop.page.url()).pathname).toBe("/account");

    // The phone is signed out; the laptop is not.
    await phone.page.goto("/trainer");
    expect(new URL(phone.page.url()).pathname).toBe("/login");
    await laptop.page.goto("/trainer");
    expect(new URL(laptop.page.url()).pathname).toBe("/trainer");

    // The new password works, the old one does not.
    await phone.page.getByLabel("Email address").fill(trainer.email);
    await phone.page.getByLabel("Password").fill(DEMO_PASSWORD);
    await phone.page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => phone.page.getByRole("alert").textContent()).toContain("do not match");
    await signIn(phone.page, trainer.email, NEW_PASSWORD);
    expect(new URL(phone.page.url()).pathname).toBe("/trainer");

    const { mail, audit } = withDb((db) => ({
      mail: db.prepare("select subject, text from email_messages where to_address = ?").all(trainer.email) as { subject: string; text: string }[],
      audit: db
        .prepare("select action, summary, detail_json from audit_events where entity_type = 'user' and entity_id = ? and action = 'user.password_changed'")
        .all(String(trainer.id)) as {
        summary: string;
        detail_json: string;
      }[],
    }));
    expect(mail.map((m) => m.subject)).toEqual(["Your NeverOK Training password was changed"]);
    expect(mail[0]!.text).toContain(`${baseURL()}/forgot-password`);
    expect(audit).toHaveLength(1);
    expect(`${audit[0]!.summary} ${audit[0]!.detail_json}`).not.toContain(NEW_PASSWORD);

    await laptop.context.close();
    await phone.context.close();
  });

  it("without JavaScript, a guessable password is refused with the same advice beside the field", async () => {
    const trainer = newTrainer();
    const context = await browser.newContext({ baseURL: baseURL(), javaScriptEnabled: false, locale: "en-GB", timezoneId: "Europe/London" });
    const page = await context.newPage();
    await signIn(page, trainer.email);
    await page.goto("/account");
    await fillChange(page, DEMO_PASSWORD, "Kit Marlowe 2026");
    await page.waitForLoadState("load");
    expect(await errorBeside(page, "New password", true)).toContain("It is mostly your name, your email address or the name of this site");
    // Nothing was changed: the old password still signs in.
    const check = await newPage(browser);
    await signIn(check.page, trainer.email);
    expect(new URL(check.page.url()).pathname).toBe("/trainer");
    await check.context.close();
    await context.close();
  });
});
