import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible, launchBrowser, newPage, signIn } from "./browser.ts";
import { newAccount, type Account } from "./data.ts";

const run = String(Date.now());

let browser: Browser;
let coordinator: Account;
beforeAll(async () => {
  browser = await launchBrowser();
  coordinator = await newAccount(["coordinator"], { name: `Noor Coordinator ${run}` });
});
afterAll(async () => {
  await browser?.close();
});

describe("the coordinator's reference data and people", () => {
  it("invites a trainer, who chooses a password from the emailed link and lands on the trainer home", async () => {
    const invitee = `ife.adebayo.${run}@neverok.example`;
    const office = await newPage(browser);
    await signIn(office.page, coordinator);
    await office.page.goto("/coordinator/people/new");
    await expectAccessible(office.page);

    // Missing roles: the error is beside the roles and the name and email stay.
    await office.page.getByLabel("Full name").fill("Ife Adebayo");
    await office.page.getByLabel("Email address").fill(invitee);
    await office.page.getByRole("button", { name: "Send invitation" }).click();
    await expect.poll(() => office.page.getByText("Choose at least one role").count()).toBe(1);
    expect(await office.page.getByLabel("Full name").inputValue()).toBe("Ife Adebayo");
    expect(await office.page.getByLabel("Email address").inputValue()).toBe(invitee);

    await office.page.getByRole("group", { name: "Roles" }).getByLabel("Trainer").check();
    await office.page.getByRole("group", { name: "Qualified to deliver" }).getByLabel("Consent").check();
    await office.page.getByRole("button", { name: "Send invitation" }).click();
    await office.page.waitForURL("**/coordinator/people");
    await expect.poll(() => office.page.getByRole("status").textContent()).toContain("Ife Adebayo has been invited");
    const row = office.page.getByRole("row", { name: /Ife Adebayo/ });
    expect(await row.getByText("Invited").count()).toBe(1);

    await office.page.goto(`/coordinator/outbox?to=${encodeURIComponent(invitee)}`);
    await office.page.getByRole("link", { name: /has invited you/ }).click();
    const link = await office.page.getByTestId("message-link").first().getAttribute("href");

    const person = await newPage(browser);
    await person.page.goto(link!);
    await expect.poll(() => person.page.getByRole("heading", { level: 1 }).textContent()).toBe("Welcome: choose your password");
    await person.page.getByLabel("New password", { exact: true }).fill("my own passphrase");
    await person.page.getByLabel("New password again").fill("my own passphrase");
    await person.page.getByRole("button", { name: "Save password and sign in" }).click();
    await person.page.waitForURL("**/trainer");

    // The audit log shows who invited whom.
    await office.page.goto("/coordinator/audit");
    expect(await office.page.getByText(`${coordinator.name} invited ${invitee} as Trainer`).count()).toBe(1);
    await office.context.close();
    await person.context.close();
  });

  it("changing someone's roles takes effect at once and is audited", async () => {
    const someone = await newAccount(["trainer"], { name: `Aisha Trainer ${run}` });
    const office = await newPage(browser);
    await signIn(office.page, coordinator);
    const trainer = await newPage(browser);
    await signIn(trainer.page, someone);

    await office.page.goto(`/coordinator/people?q=${encodeURIComponent(someone.name)}`);
    await office.page.getByRole("link", { name: someone.name }).click();
    await office.page.getByRole("group", { name: "Roles" }).getByLabel("Union officer").check();
    await office.page.getByRole("button", { name: "Save changes" }).click();
    await expect.poll(() => office.page.getByRole("status").textContent()).toContain("Saved the changes");
    expect(await office.page.getByText(`changed ${someone.email}'s roles: +Union officer`).count()).toBe(1);

    await trainer.page.goto("/officer");
    expect(new URL(trainer.page.url()).pathname).toBe("/officer/leaders");
    expect(await trainer.page.getByRole("heading", { level: 1 }).textContent()).toBe("Leader training");
    await office.context.close();
    await trainer.context.close();
  });

  it("adds a room, refusing a bad capacity beside the field", async () => {
    const { page, context } = await newPage(browser);
    await signIn(page, coordinator);
    const room = `Seminar Room ${run}`;
    await page.goto("/coordinator/rooms/new");
    await page.getByLabel("Room name or number").fill(room);
    await page.getByLabel("Building").fill("West Building");
    await page.getByLabel("Capacity (people)").fill("0");
    await page.getByRole("button", { name: "Add room" }).click();
    await expect.poll(() => page.getByText("The capacity must be at least 1").count()).toBe(1);
    expect(await page.getByLabel("Room name or number").inputValue()).toBe(room);
    await page.getByLabel("Capacity (people)").fill("30");
    await page.getByRole("button", { name: "Add room" }).click();
    await page.waitForURL("**/coordinator/rooms");
    await expect
      .poll(() =>
        page
          .getByRole("row", { name: new RegExp(room) })
          .getByText("West Building")
          .count(),
      )
      .toBe(1);
    await expectAccessible(page);
    await context.close();
  });

  it("refuses a course whose default group is bigger than its maximum, and a duplicate name", async () => {
    const { page, context } = await newPage(browser);
    await signIn(page, coordinator);
    await page.goto("/coordinator/courses/new");
    await page.getByLabel("Name").fill("Consent");
    await page.getByLabel("Description").fill("Another consent course");
    await page.getByLabel("Default group size").fill("50");
    await page.getByLabel("Maximum group size").fill("20");
    await page.getByRole("button", { name: "Add course" }).click();
    await expect.poll(() => page.getByText("The default group size cannot be bigger than the maximum").count()).toBe(1);
    await page.getByLabel("Default group size").fill("10");
    await page.getByRole("button", { name: "Add course" }).click();
    await expect.poll(() => page.getByText("There is already a course with this name").count()).toBe(1);
    expect(await page.getByLabel("Description").inputValue()).toBe("Another consent course");
    await expectAccessible(page);
    await context.close();
  });
});
