import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible, launchBrowser, newPage, signIn } from "./browser.ts";
import { newAccount, type Account } from "./data.ts";

let browser: Browser;
let coordinatorAccount: Account;
beforeAll(async () => {
  browser = await launchBrowser();
  coordinatorAccount = await newAccount(["coordinator"]);
});
afterAll(async () => {
  await browser?.close();
});

/** As the coordinator, find the newest message to `to` in the outbox and return its first link. */
async function linkFromOutbox(coordinator: Page, to: string, subject: RegExp): Promise<string> {
  await coordinator.goto(`/coordinator/outbox?to=${encodeURIComponent(to)}`);
  await coordinator.getByRole("link", { name: subject }).first().click();
  await coordinator.waitForURL(/\/coordinator\/outbox\/\d+$/);
  const href = await coordinator.getByTestId("message-link").first().getAttribute("href");
  expect(href).toMatch(/\/set-password\/[\w-]{40,}$/);
  return href!;
}

describe("password reset", () => {
  it("the reset mail appears in the outbox, and its link works once", async () => {
    const trainer = await newAccount(["trainer"]);
    const person = await newPage(browser);
    await person.page.goto("/login");
    await person.page.getByRole("link", { name: "Get a link to choose a new one" }).click();
    // Both pages have an "Email address" field: wait for the new page before typing.
    await person.page.getByRole("heading", { name: "Forgotten your password?" }).waitFor();
    await person.page.getByLabel("Email address").fill(trainer.email);
    await person.page.getByRole("button", { name: "Send me a link" }).click();
    await expect.poll(() => person.page.getByRole("status").textContent()).toContain(`If ${trainer.email} has an account`);
    await expectAccessible(person.page);

    const coordinator = await newPage(browser);
    await signIn(coordinator.page, coordinatorAccount);
    const link = await linkFromOutbox(coordinator.page, trainer.email, /Choose a new password/);
    // The message itself is shown in a sandboxed frame without scripts, where axe cannot run.
    await expectAccessible(coordinator.page, { exclude: "iframe" });

    // Opening the link (as a mail scanner would) does not spend it.
    const scanned = await fetch(link);
    expect(scanned.status).toBe(200);
    expect(scanned.headers.get("referrer-policy")).toBe("no-referrer");

    await person.page.goto(link);
    await expect.poll(() => person.page.getByRole("heading", { level: 1 }).textContent()).toBe("Choose a new password");
    await expectAccessible(person.page);
    await person.page.getByLabel("New password", { exact: true }).fill("a brand new passphrase");
    await person.page.getByLabel("New password again").fill("a brand new passphrase");
    await person.page.getByRole("button", { name: "Save password and sign in" }).click();
    await person.page.waitForURL("**/trainer");
    await expect.poll(() => person.page.getByRole("status").textContent()).toContain("Your password is set");

    // The link is spent.
    const again = await newPage(browser);
    await again.page.goto(link);
    await expect.poll(() => again.page.getByRole("heading", { level: 1 }).textContent()).toBe("This link cannot be used");
    expect(await again.page.getByText("already been used").count()).toBe(1);

    // The old password no longer works; the new one does.
    await again.page.goto("/login");
    await again.page.getByLabel("Email address").fill(trainer.email);
    await again.page.getByLabel("Password").fill(trainer.password);
    await again.page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => again.page.getByRole("alert").textContent()).toContain("do not match");
    await signIn(again.page, { email: trainer.email, password: "a brand new passphrase" });
    expect(new URL(again.page.url()).pathname).toBe("/trainer");

    for (const p of [person, coordinator, again]) await p.context.close();
  });

  it("an address without an account gets the same answer and no mail", async () => {
    const { page, context } = await newPage(browser);
    await page.goto("/forgot-password");
    await page.getByLabel("Email address").fill("nobody-here@neverok.example");
    await page.getByRole("button", { name: "Send me a link" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toContain("If nobody-here@neverok.example has an account");
    await signIn(page, coordinatorAccount);
    await page.goto("/coordinator/outbox?to=nobody-here");
    expect(await page.getByText("No messages match these filters").count()).toBe(1);
    await context.close();
  });

  it("a mismatched confirmation is shown beside the field", async () => {
    const trainer = await newAccount(["trainer"]);
    const person = await newPage(browser);
    await person.page.goto("/forgot-password");
    await person.page.getByLabel("Email address").fill(trainer.email);
    await person.page.getByRole("button", { name: "Send me a link" }).click();
    await person.page.getByRole("status").waitFor();
    const coordinator = await newPage(browser);
    await signIn(coordinator.page, coordinatorAccount);
    const link = await linkFromOutbox(coordinator.page, trainer.email, /Choose a new password/);
    await person.page.goto(link);
    await person.page.getByLabel("New password", { exact: true }).fill("first passphrase here");
    await person.page.getByLabel("New password again").fill("second passphrase here");
    await person.page.getByRole("button", { name: "Save password and sign in" }).click();
    const confirm = person.page.getByLabel("New password again");
    await expect.poll(() => confirm.getAttribute("aria-invalid")).toBe("true");
    expect(await person.page.getByText("The two passwords are different").count()).toBe(1);
    expect(new URL(person.page.url()).pathname).toMatch(/^\/set-password\//);
    await person.context.close();
    await coordinator.context.close();
  });
});
