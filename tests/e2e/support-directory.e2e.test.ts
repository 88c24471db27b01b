import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible, launchBrowser, newPage, signIn, followNavLink } from "./browser.ts";
import { e2eDb, newAccount, type Account } from "./data.ts";

const run = String(Date.now());
const NAME = `Nightline ${run}`;

let browser: Browser;
let coordinator: Account;
beforeAll(async () => {
  browser = await launchBrowser();
  coordinator = await newAccount(["coordinator"], { name: `Rhea Coordinator ${run}` });
});
afterAll(async () => {
  await e2eDb().deleteFrom("support_services").where("name", "=", NAME).execute();
  await browser?.close();
});

const footer = (page: Page) => page.getByRole("contentinfo");
const entry = (page: Page, name: string) => page.getByRole("listitem").filter({ has: page.getByRole("link", { name, exact: true }) });
const namesInOrder = (page: Page, group: string) =>
  page
    .getByRole("region", { name: group })
    .getByRole("listitem")
    .evaluateAll((items) => items.map((li) => li.querySelector("a")?.textContent?.trim() ?? ""));

describe("the support directory, kept by the coordinator", () => {
  it("adds a service from the Support page, refusing an address that is not a web page beside its field, and it shows everywhere at once", async () => {
    const { page, context } = await newPage(browser);
    await signIn(page, coordinator);
    await followNavLink(page, "Support");
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Support directory");
    expect(await namesInOrder(page, "Urgent services, shown first")).toEqual(["Emergency services", "Police, when it is not an emergency"]);
    await expectAccessible(page);

    await page.getByRole("link", { name: "Add a service" }).click();
    await page.getByLabel("Name of the service").fill(NAME);
    await page.getByLabel("What it is for").fill("A listening service run by students, for students, through the night.");
    await page.getByLabel("Web address").fill("javascript:alert(1)");
    await page.getByLabel("Phone number").fill("020 7946 0123");
    await page.getByRole("button", { name: "Add service" }).click();
    await expect.poll(() => page.getByText("Enter the full web address, starting with https://").count()).toBe(1);
    expect(await page.getByLabel("Web address").getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByLabel("Name of the service").inputValue()).toBe(NAME);
    expect(await page.getByLabel("Phone number").inputValue()).toBe("020 7946 0123");
    await expectAccessible(page);

    await page.getByLabel("Web address").fill("https://nightline.example.ac.uk/");
    await page.getByLabel("Hours").fill("Every night in term, 20:00–08:00");
    await page.getByRole("button", { name: "Add service" }).click();
    await page.waitForURL("**/coordinator/support");
    await expect.poll(() => page.getByRole("status").textContent()).toContain(`Saved ${NAME}`);
    const others = await namesInOrder(page, "Other services");
    expect(others.at(-1)).toBe(NAME);

    // Up one place, by keyboard.
    await page.getByRole("button", { name: `Move ${NAME} up` }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => page.getByRole("status").textContent()).toBe(`Moved ${NAME} up.`);
    expect((await namesInOrder(page, "Other services")).slice(-2)).toEqual([NAME, others.at(-2)]);

    // The footer of the coordinator's own page has it, a tap to call and a link that opens beside.
    const call = footer(page).getByRole("link", { name: `Call 020 7946 0123 (${NAME})` });
    expect(await call.getAttribute("href")).toBe("tel:02079460123");
    const web = footer(page).getByRole("link", { name: new RegExp(`^${NAME}`) });
    expect(await web.getAttribute("href")).toBe("https://nightline.example.ac.uk/");
    expect(await web.getAttribute("target")).toBe("_blank");
    expect(await web.getAttribute("rel")).toContain("noreferrer");
    await context.close();

    // Anyone on a phone sees it on the public list of sessions.
    const visitor = await newPage(browser, { mobile: true });
    await visitor.page.goto("/sessions/open");
    const signpost = visitor.page.getByRole("region", { name: "Support" });
    expect(await signpost.getByRole("link", { name: `Call 020 7946 0123 (${NAME})` }).getAttribute("href")).toBe("tel:02079460123");
    // Shown in the page, so not again in the footer.
    expect(await footer(visitor.page).getByText(NAME).count()).toBe(0);
    await expectAccessible(visitor.page);
    await visitor.context.close();
  });

  it("makes a service urgent, which puts it first, and removes it; on a phone", async () => {
    const { page, context } = await newPage(browser, { mobile: true });
    await signIn(page, coordinator);
    await page.goto("/coordinator/support");
    await expectAccessible(page);
    await entry(page, NAME).getByRole("link", { name: NAME }).click();
    await page.getByLabel("Urgent: for someone in danger now").check();
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toContain(`Saved ${NAME}`);
    expect((await namesInOrder(page, "Urgent services, shown first")).at(-1)).toBe(NAME);
    expect(await namesInOrder(page, "Other services")).not.toContain(NAME);
    const urgentInFooter = footer(page).getByRole("listitem").filter({ hasText: NAME });
    expect(await urgentInFooter.getByText("Urgent", { exact: true }).count()).toBe(1);

    await page.getByRole("link", { name: NAME, exact: true }).first().click();
    await expectAccessible(page);
    await page.getByRole("button", { name: "Remove from the directory" }).click();
    await page.waitForURL("**/coordinator/support");
    await expect.poll(() => page.getByRole("status").textContent()).toBe(`Removed ${NAME} from the support directory.`);
    expect(await page.getByRole("link", { name: NAME }).count()).toBe(0);

    await page.goto("/coordinator/audit");
    for (const what of [`added ${NAME} in`, `moved ${NAME} up`, `updated ${NAME} in`, `removed ${NAME} from`]) {
      expect(await page.getByText(`${coordinator.name} ${what} the support directory`).count(), what).toBeGreaterThan(0);
    }
    await context.close();
  });
});
