import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible, launchBrowser, newPage, signIn } from "./browser.ts";
import { e2eDb, newAccount } from "./data.ts";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const auditRows = () => e2eDb().selectFrom("audit_events").select(["id", "action", "summary", "detail_json"]).orderBy("id").execute();

describe("the audit log", () => {
  it("the coordinator finds a failed sign-in by filtering to sign-ins, on a phone too; the password typed is nowhere", async () => {
    const tried = `nobody.${Date.now()}@example.ac.uk`;
    const typed = "Guess-Me-If-You-Can-77";
    const stranger = await newPage(browser);
    await stranger.page.goto("/login");
    await stranger.page.getByLabel("Email address").fill(tried);
    await stranger.page.getByLabel("Password").fill(typed);
    await stranger.page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => stranger.page.getByText("do not match an account").count()).toBe(1);
    await stranger.context.close();

    for (const mobile of [false, true]) {
      const { page, context } = await newPage(browser, { mobile });
      await signIn(page, await newAccount(["coordinator"]));
      await page.goto("/coordinator/audit");
      await expect.poll(() => page.getByRole("heading", { name: "Audit log", level: 1 }).isVisible()).toBe(true);
      const search = page.getByRole("search", { name: "Filter the audit log" });
      await search.getByLabel("Kind").selectOption({ label: "Sign-ins and passwords" });
      await search.getByLabel("About (any words)").fill(tried);
      await search.getByRole("button", { name: "Filter" }).click();
      await page.waitForURL((url) => url.searchParams.get("category") === "sign-in");
      const table = page.getByRole("region", { name: "Audit log, newest first" });
      await expect.poll(() => table.getByText(`Failed sign-in as ${tried}: unknown account`).count()).toBe(1);
      // The address changes a moment before the filtered table is drawn: wait for it.
      await expect.poll(() => table.getByRole("row").count()).toBe(2); // the header and the one entry
      expect(await search.getByLabel("Kind").inputValue()).toBe("sign-in");
      await expectAccessible(page);
      await context.close();
    }

    expect((await auditRows()).map((r) => JSON.stringify(r)).join("\n")).not.toContain(typed);
  });

  it("a POST to the audit log changes nothing", async () => {
    const { page, context } = await newPage(browser);
    await signIn(page, await newAccount(["coordinator"]));
    const before = await auditRows();
    const res = await page.request.post("/coordinator/audit", {
      headers: { Origin: new URL(page.url()).origin },
      form: { intent: "delete", id: String(before[0]!.id), summary: "rewritten" },
    });
    expect(res.status()).toBe(405);
    const after = await auditRows();
    expect(after.slice(0, before.length)).toEqual(before);
    await context.close();
  });
});
