import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOrganisation } from "#tests/factories.ts";
import { baseURL, expectAccessible, launchBrowser, newPage, signIn, weekdayAhead } from "./browser.ts";
import { e2eDb, newAccount, type Account } from "./data.ts";

const ORGANISATION = `Department of Psychology ${Date.now()}`;

let browser: Browser;
/** A booker of this file's own, the only member of an organisation of its own. */
let booker: Account;
beforeAll(async () => {
  browser = await launchBrowser();
  booker = await newAccount(["booker"], { organisationIds: [await createOrganisation(e2eDb(), { name: ORGANISATION })] });
});
afterAll(async () => {
  await browser?.close();
});

/** Everything a field points at with aria-describedby: its hint and its errors. */
async function descriptionOf(page: Page, field: Locator): Promise<string> {
  const ids = ((await field.getAttribute("aria-describedby")) ?? "").split(/\s+/).filter(Boolean);
  const texts = await Promise.all(ids.map((id) => page.locator(`[id="${id}"]`).textContent()));
  return texts.join(" ");
}

async function chooseCourse(page: Page, name: string) {
  const value = await page.locator("select[name=courseId] option", { hasText: name }).getAttribute("value");
  await page.getByLabel("Course").selectOption(value!);
}

describe("a booker requests a session and follows it", () => {
  it("asks for Active Bystander, is told to split a group that is too big, sends it, finds it, and cancels it", async () => {
    const firstDate = weekdayAhead(2, 7);
    const secondDate = weekdayAhead(3, 7);
    const { page, context } = await newPage(browser);
    await signIn(page, booker);
    await page.goto("/booker");
    await expectAccessible(page);

    await page.getByRole("main").getByRole("link", { name: "Request a session" }).click();
    await page.waitForURL("**/booker/requests/new");
    await expectAccessible(page);
    // Her only organisation is already chosen.
    expect(await page.locator("select[name=organisationId] option:checked").textContent()).toBe(ORGANISATION);

    await chooseCourse(page, "Active Bystander");
    const groupSize = page.getByLabel("Expected group size");
    await groupSize.fill("400");
    await page.getByLabel("Staff", { exact: true }).check();
    const first = page.getByRole("group", { name: "First choice" });
    await first.getByLabel("Date").fill(firstDate);
    await first.getByLabel("Start time").fill("10:00");
    const second = page.getByRole("group", { name: "Second choice" });
    await second.getByLabel("Date").fill(secondDate);
    await second.getByLabel("Start time").fill("14:00");
    await page.getByLabel("Other access needs").fill("One person uses a wheelchair.");
    await page.getByRole("button", { name: "Send request" }).click();

    // The advice sits beside the group size, and nothing typed is lost.
    await expect.poll(() => groupSize.getAttribute("aria-invalid")).toBe("true");
    expect(await descriptionOf(page, groupSize)).toContain("Book 10 sessions of about 40 instead");
    expect(page.url()).toMatch(/\/booker\/requests\/new$/);
    expect(await groupSize.inputValue()).toBe("400");
    expect(await page.locator("select[name=courseId] option:checked").textContent()).toContain("Active Bystander");
    expect(await page.getByLabel("Staff", { exact: true }).isChecked()).toBe(true);
    expect(await first.getByLabel("Date").inputValue()).toBe(firstDate);
    expect(await first.getByLabel("Start time").inputValue()).toBe("10:00");
    expect(await second.getByLabel("Date").inputValue()).toBe(secondDate);
    expect(await page.getByLabel("Other access needs").inputValue()).toBe("One person uses a wheelchair.");
    await expectAccessible(page);

    await groupSize.fill("40");
    await page.getByRole("button", { name: "Send request" }).click();
    await page.waitForURL(/\/booker\/requests\/\d+$/);
    const requestUrl = new URL(page.url()).pathname;
    await expect.poll(() => page.getByRole("status").textContent()).toContain("Request sent. We have emailed you a copy.");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Active Bystander");
    const status = page.getByRole("region", { name: "Status" });
    expect(await status.getByText("Requested", { exact: true }).count()).toBe(1);
    expect(await page.getByText("One person uses a wheelchair.").count()).toBe(1);
    await expectAccessible(page);

    // Until it is scheduled, everything can be changed, starting from what was sent.
    await page.getByRole("link", { name: "Change this request" }).click();
    await page.waitForURL(`**${requestUrl}/edit`);
    await expect.poll(() => page.getByLabel("Expected group size").inputValue()).toBe("40");
    expect(await page.getByRole("group", { name: "Second choice" }).getByLabel("Start time").inputValue()).toBe("14:00");
    await expectAccessible(page);
    await page.getByLabel("Expected group size").fill("35");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.waitForURL(`**${requestUrl}`);
    await expect.poll(() => page.getByRole("status").textContent()).toContain("Your changes are saved.");
    expect(await page.getByText(`${ORGANISATION} · 35 people`).count()).toBe(1);

    await page.goto("/booker");
    const item = page.locator(`a[href="${requestUrl}"]`);
    expect(await item.count()).toBe(1);
    expect(await item.textContent()).toContain("Active Bystander");

    // Another organisation's booker cannot tell the request exists.
    const rugby = await newPage(browser);
    await signIn(
      rugby.page,
      await newAccount(["booker"], { organisationIds: [await createOrganisation(e2eDb(), { name: `Rugby Club ${Date.now()}`, kind: "sports_club" })] }),
    );
    const response = await rugby.page.goto(requestUrl);
    expect(response?.status()).toBe(404);
    expect(await rugby.page.getByRole("heading", { level: 1 }).textContent()).toBe("Page not found");
    expect(await rugby.page.getByText("One person uses a wheelchair.").count()).toBe(0);
    await rugby.context.close();

    await page.goto(requestUrl);
    await page.getByRole("button", { name: "Cancel this request" }).click();
    await expect.poll(() => page.getByText("Give a reason; it goes into the email").count()).toBe(1);
    await page.getByLabel("Why are you cancelling?").fill("The department has rearranged its induction week.");
    await page.getByRole("button", { name: "Cancel this request" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toContain("Your request is cancelled.");
    expect(await status.getByText("Cancelled", { exact: true }).count()).toBe(1);
    expect(await page.getByText("The department has rearranged its induction week.").count()).toBeGreaterThan(0);
    expect(await page.getByRole("link", { name: "Change this request" }).count()).toBe(0);
    await context.close();
  });

  it("the request form is usable on a phone", async () => {
    const { page, context } = await newPage(browser, { mobile: true });
    await signIn(page, booker);
    await page.goto("/booker/requests/new");
    const fields = [
      page.getByLabel("Organisation"),
      page.getByLabel("Course"),
      page.getByLabel("Expected group size"),
      page.getByLabel("Students", { exact: true }),
      page.getByRole("group", { name: "First choice" }).getByLabel("Date"),
      page.getByRole("group", { name: "First choice" }).getByLabel("Start time"),
      page.getByRole("group", { name: "Third choice" }).getByLabel("Start time"),
      page.getByLabel("Other access needs"),
      page.getByLabel("Notes for the trainers"),
      page.getByRole("button", { name: "Send request" }),
    ];
    for (const field of fields) {
      await field.scrollIntoViewIfNeeded();
      expect(await field.isVisible()).toBe(true);
      const box = (await field.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(390);
    }
    const submit = (await page.getByRole("button", { name: "Send request" }).boundingBox())!;
    expect(submit.height).toBeGreaterThanOrEqual(44);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    // The address is asked for only when the session is at their own premises.
    const address = page.getByLabel("Address of your premises");
    expect(await address.isVisible()).toBe(false);
    await page.getByLabel("Our own premises").check();
    expect(await address.isVisible()).toBe(true);
    await expectAccessible(page);
    await context.close();
  });

  it("the request form works without JavaScript", async () => {
    const context = await browser.newContext({ baseURL: baseURL(), javaScriptEnabled: false, locale: "en-GB", timezoneId: "Europe/London" });
    const page = await context.newPage();
    await signIn(page, booker);
    await page.goto("/booker/requests/new");
    await chooseCourse(page, "Consent");
    await page.getByLabel("Expected group size").fill("20");
    await page.getByLabel("Students", { exact: true }).check();
    const first = page.getByRole("group", { name: "First choice" });
    await first.getByLabel("Date").fill(weekdayAhead(4, 14));
    await first.getByLabel("Start time").fill("11:00");
    const second = page.getByRole("group", { name: "Second choice" });
    await second.getByLabel("Date").fill(weekdayAhead(5, 14));
    await second.getByLabel("Start time").fill("11:00");
    await page.getByLabel("Our own premises").check();
    await page.getByRole("button", { name: "Send request" }).click();
    await page.waitForLoadState("load");
    expect(await page.getByText("Give the address where the session will be").count()).toBeGreaterThan(0);
    expect(await page.getByLabel("Expected group size").inputValue()).toBe("20");

    await page.getByLabel("Address of your premises").fill("Psychology Building, Room 2.01");
    await page.getByRole("button", { name: "Send request" }).click();
    await page.waitForURL(/\/booker\/requests\/\d+$/);
    await expect.poll(() => page.getByText("Psychology Building, Room 2.01").count()).toBe(1);
    // Withdrawn again, without JavaScript too.
    await page.getByLabel("Why are you cancelling?").fill("Sent while checking the form works without JavaScript.");
    await page.getByRole("button", { name: "Cancel this request" }).click();
    await page.waitForURL(/\/booker\/requests\/\d+$/);
    await expect.poll(() => page.getByRole("region", { name: "Status" }).getByText("Cancelled", { exact: true }).count()).toBe(1);
    await context.close();
  });
});
