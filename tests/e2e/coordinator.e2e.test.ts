import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible, launchBrowser, newPage, signIn } from "./browser.ts";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe("the coordinator's reference data and people", () => {
  it("invites a trainer, who chooses a password from the emailed link and lands on the trainer home", async () => {
    const coordinator = await newPage(browser);
    await signIn(coordinator.page, "coordinator@neverok.example");
    await coordinator.page.goto("/coordinator/people/new");
    await expectAccessible(coordinator.page);

    // Missing roles: the error is beside the roles and the name and email stay.
    await coordinator.page.getByLabel("Full name").fill("Ife Adebayo");
    await coordinator.page.getByLabel("Email address").fill("ife.adebayo@neverok.example");
    await coordinator.page.getByRole("button", { name: "Send invitation" }).click();
    await expect.poll(() => coordinator.page.getByText("Choose at least one role").count()).toBe(1);
    expect(await coordinator.page.getByLabel("Full name").inputValue()).toBe("Ife Adebayo");
    expect(await coordinator.page.getByLabel("Email address").inputValue()).toBe("ife.adebayo@neverok.example");

    await coordinator.page.getByRole("group", { name: "Roles" }).getByLabel("Trainer").check();
    await coordinator.page.getByRole("group", { name: "Qualified to deliver" }).getByLabel("Consent").check();
    await coordinator.page.getByRole("button", { name: "Send invitation" }).click();
    await coordinator.page.waitForURL("**/coordinator/people");
    await expect.poll(() => coordinator.page.getByRole("status").textContent()).toContain("Ife Adebayo has been invited");
    const row = coordinator.page.getByRole("row", { name: /Ife Adebayo/ });
    expect(await row.getByText("Invited").count()).toBe(1);

    await coordinator.page.goto("/coordinator/outbox?to=ife.adebayo");
    await coordinator.page.getByRole("link", { name: /has invited you/ }).click();
    const link = await coordinator.page.getByTestId("message-link").first().getAttribute("href");

    const invitee = await newPage(browser);
    await invitee.page.goto(link!);
    await expect.poll(() => invitee.page.getByRole("heading", { level: 1 }).textContent()).toBe("Welcome: choose your password");
    await invitee.page.getByLabel("New password", { exact: true }).fill("my own passphrase");
    await invitee.page.getByLabel("New password again").fill("my own passphrase");
    await invitee.page.getByRole("button", { name: "Save password and sign in" }).click();
    await invitee.page.waitForURL("**/trainer");

    // The audit log shows who invited whom.
    await coordinator.page.goto("/coordinator/audit");
    expect(await coordinator.page.getByText("Alex Morgan invited ife.adebayo@neverok.example as Trainer").count()).toBe(1);
    await coordinator.context.close();
    await invitee.context.close();
  });

  it("changing someone's roles takes effect at once and is audited", async () => {
    const coordinator = await newPage(browser);
    await signIn(coordinator.page, "coordinator@neverok.example");
    const trainer = await newPage(browser);
    await signIn(trainer.page, "aisha.rahman@neverok.example");

    await coordinator.page.goto("/coordinator/people?q=aisha");
    await coordinator.page.getByRole("link", { name: "Aisha Rahman" }).click();
    await coordinator.page.getByRole("group", { name: "Roles" }).getByLabel("Union officer").check();
    await coordinator.page.getByRole("button", { name: "Save changes" }).click();
    await expect.poll(() => coordinator.page.getByRole("status").textContent()).toContain("Saved the changes");
    expect(await coordinator.page.getByText("changed aisha.rahman@neverok.example's roles: +Union officer").count()).toBe(1);

    await trainer.page.goto("/officer");
    expect(new URL(trainer.page.url()).pathname).toBe("/officer/leaders");
    expect(await trainer.page.getByRole("heading", { level: 1 }).textContent()).toBe("Leader training");
    await coordinator.context.close();
    await trainer.context.close();
  });

  it("adds a room, refusing a bad capacity beside the field", async () => {
    const { page, context } = await newPage(browser);
    await signIn(page, "coordinator@neverok.example");
    await page.goto("/coordinator/rooms/new");
    await page.getByLabel("Room name or number").fill("Seminar Room 0.01");
    await page.getByLabel("Building").fill("West Building");
    await page.getByLabel("Capacity (people)").fill("0");
    await page.getByRole("button", { name: "Add room" }).click();
    await expect.poll(() => page.getByText("The capacity must be at least 1").count()).toBe(1);
    expect(await page.getByLabel("Room name or number").inputValue()).toBe("Seminar Room 0.01");
    await page.getByLabel("Capacity (people)").fill("30");
    await page.getByRole("button", { name: "Add room" }).click();
    await page.waitForURL("**/coordinator/rooms");
    await expect
      .poll(() =>
        page
          .getByRole("row", { name: /Seminar Room 0.01/ })
          .getByText("West Building")
          .count(),
      )
      .toBe(1);
    await expectAccessible(page);
    await context.close();
  });

  it("refuses a course whose default group is bigger than its maximum, and a duplicate name", async () => {
    const { page, context } = await newPage(browser);
    await signIn(page, "coordinator@neverok.example");
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
