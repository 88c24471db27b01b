import crypto from "node:crypto";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLeader, createLeaderRole } from "#tests/compliance-fixtures.ts";
import { expectAccessible, launchBrowser, newPage } from "./browser.ts";
import { demoCourse, e2eDb, ensureLeaderYear, newOpenSession, thisAcademicYear } from "./data.ts";

const run = String(Date.now());

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** A peer mentor of this journey's own on this year's roster, with Active Bystander still to do, and an induction to book. */
async function newLeader() {
  const db = e2eDb();
  const year = thisAcademicYear();
  await ensureLeaderYear(year);
  const course = await demoCourse("Active Bystander");
  const role = `Peer Mentor ${run}`;
  const roleId = await createLeaderRole(db, [{ courseId: course.id }], role);
  const leader = await createLeader(db, { roleId, startYear: year, groupName: "Peer Mentors", name: `Mentor ${run}` });
  await newOpenSession({ title: `Peer mentor induction ${run}`, capacity: 20, weeksAhead: 3 });
  return { ...leader, role, group_name: "Peer Mentors" };
}

const linksSentTo = (email: string) =>
  e2eDb()
    .selectFrom("email_messages")
    .select(["text", "html"])
    .where("to_address", "=", email)
    .where("template", "=", "leader-access-link")
    .orderBy("id")
    .execute();

const emailCount = async () =>
  Number(
    (
      await e2eDb()
        .selectFrom("email_messages")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow()
    ).n,
  );

/** Asks for a link on the public page and returns what the page then says. */
async function askForLink(page: Page, email: string): Promise<string> {
  await page.goto("/leaders/access");
  await page.getByLabel("Your email address").fill(email);
  await page.getByRole("button", { name: "Email me a link" }).click();
  await expect.poll(() => page.getByRole("heading", { name: "Check your email" }).count()).toBe(1);
  return (await page.locator("main").innerText()).trim();
}

describe("a student leader's own link", () => {
  it("works from the email, and a second request does not reveal anything", async () => {
    const leader = await newLeader();
    const { page, context } = await newPage(browser, { mobile: true });

    await page.goto("/leaders/access");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Check your leader training");
    await expectAccessible(page);
    // A wrong address is asked for again beside the field.
    await page.getByLabel("Your email address").fill("not-an-email");
    await page.getByRole("button", { name: "Email me a link" }).click();
    await expect.poll(() => page.getByText("Enter an email address like name@example.ac.uk").count()).toBe(1);

    const before = (await linksSentTo(leader.email)).length;
    const first = await askForLink(page, leader.email);
    expect(first).toContain("If this email address is on a student leader roster, we have sent a link to it.");
    expect(first).not.toContain(leader.email);
    await expectAccessible(page);
    const sent = await linksSentTo(leader.email);
    expect(sent).toHaveLength(before + 1);

    // The link, from the email as the leader gets it.
    const href = /href="([^"]*\/leaders\/access\/[\w-]+)"/.exec(sent.at(-1)!.html)![1]!;
    const path = new URL(href).pathname;
    const response = await page.goto(path);
    expect(response?.status()).toBe(200);
    const headers = response!.headers();
    expect(headers["cache-control"]).toBe("no-store");
    expect(headers["referrer-policy"]).toBe("no-referrer");
    expect(headers["x-robots-tag"]).toBe("noindex");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Your leader training");
    const main = page.locator("main");
    await expect.poll(() => main.innerText()).toContain(`Hello ${leader.name}`);
    expect(await main.innerText()).toContain(`${leader.role}, ${leader.group_name}`);
    expect(await page.getByRole("listitem").filter({ hasText: "Active Bystander" }).first().innerText()).toMatch(/Needed by .+ 20\d\d/);
    expect(await page.getByRole("heading", { name: "Sessions you can book" }).count()).toBe(1);
    const book = page.getByRole("link", { name: /^Book a place/ }).first();
    expect(await book.getAttribute("href")).toMatch(/^\/sessions\/open\/\d+$/);
    expect(await page.getByRole("heading", { name: "Training you have done" }).count()).toBe(1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await expectAccessible(page);

    // Someone else's address, and the same one again: the page says exactly the same each time.
    const emails = await emailCount();
    const stranger = await askForLink(page, `nobody.${Date.now()}@students.neverok.example`);
    expect(await emailCount()).toBe(emails);
    const again = await askForLink(page, leader.email);
    expect(stranger).toBe(first);
    expect(again).toBe(first);
    expect(await linksSentTo(leader.email)).toHaveLength(before + 2);

    // Once the link has expired, the page offers a new one.
    const token = path.split("/").pop()!;
    await e2eDb()
      .updateTable("leader_access_tokens")
      .set({ expires_at: new Date(Date.now() - 60_000).toISOString() })
      .where("token_hash", "=", crypto.createHash("sha256").update(token).digest("hex"))
      .execute();
    const expired = await page.goto(path);
    expect(expired?.status()).toBe(410);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("This link has expired");
    expect(await page.getByText(leader.name).count()).toBe(0);
    await expectAccessible(page);
    await page.getByLabel("Your email address").fill(leader.email);
    await page.getByRole("button", { name: "Email me a new link" }).click();
    await expect.poll(() => page.getByRole("heading", { name: "Check your email" }).count()).toBe(1);
    expect((await page.locator("main").innerText()).trim()).toBe(first);
    expect(new URL(page.url()).pathname).toBe("/leaders/access");

    // A garbled link says so, with the same way to ask again.
    const garbled = await page.goto(`${path.slice(0, -6)}xxxxxx`);
    expect(garbled?.status()).toBe(404);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("This link does not work");
    expect(await page.getByRole("button", { name: "Email me a new link" }).count()).toBe(1);
    await context.close();
  });
});
