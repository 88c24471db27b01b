/**
 * `npm run screenshots`: pictures of the main screens for docs/screenshots, taken from a running demo
 * (`npm start`, or BASE_URL) in Chromium at desktop and phone widths. Each role signs in with its
 * demo login; nothing is changed in the data except what signing in records.
 */
import fs from "node:fs";
import path from "node:path";
import { chromium, type Page } from "playwright-core";
import { DEMO_PASSWORD } from "#seed/demo.ts";

const base = process.env.BASE_URL ?? "http://localhost:3000";
const out = path.resolve(import.meta.dirname, "../docs/screenshots");
const DESKTOP = 1280;
const PHONE = 390;

type Shot = { name: string; who?: string; path: string | ((page: Page) => Promise<void>); width: number };

const coordinator = "coordinator@neverok.example";
const officer = "officer@neverok.example";
const trainer = "trainer@neverok.example";
const booker = "booker@neverok.example";
const venueManager = "manager@moles.example";

async function firstLink(page: Page, start: string, prefix: string) {
  await page.goto(base + start);
  await page.locator(`main a[href^='${prefix}']`).first().click();
  await page.waitForLoadState("networkidle");
}

const SHOTS: Shot[] = [
  { name: "front-door-phone", path: "/", width: PHONE },
  { name: "coordinator-overview", who: coordinator, path: "/coordinator", width: DESKTOP },
  { name: "coordinator-calendar", who: coordinator, path: "/coordinator/calendar", width: DESKTOP },
  { name: "coordinator-queue", who: coordinator, path: "/coordinator/requests", width: DESKTOP },
  { name: "coordinator-venues", who: coordinator, path: "/coordinator/venues", width: DESKTOP },
  { name: "coordinator-support-directory", who: coordinator, path: "/coordinator/support", width: DESKTOP },
  { name: "coordinator-settings", who: coordinator, path: "/coordinator/settings", width: DESKTOP },
  { name: "coordinator-rooms", who: coordinator, path: "/coordinator/rooms", width: DESKTOP },
  { name: "impact-report", who: officer, path: "/reports/impact", width: DESKTOP },
  { name: "impact-institutions", who: officer, path: "/reports/impact/institutions", width: DESKTOP },
  { name: "officer-leaders", who: officer, path: "/officer/leaders", width: DESKTOP },
  { name: "trainer-home-phone", who: trainer, path: "/trainer", width: PHONE },
  { name: "booker-home-phone", who: booker, path: "/booker", width: PHONE },
  { name: "booker-history", who: booker, path: "/booker/bookings", width: DESKTOP },
  { name: "venue-staff-phone", who: venueManager, path: (page) => firstLink(page, "/booker", "/venues/"), width: PHONE },
  { name: "open-sessions-phone", path: "/sessions/open", width: PHONE },
];

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
fs.mkdirSync(out, { recursive: true });
let failed = 0;
for (const shot of SHOTS) {
  const context = await browser.newContext({
    viewport: { width: shot.width, height: shot.width === PHONE ? 844 : 900 },
    locale: "en-GB",
    timezoneId: "Europe/London",
  });
  const page = await context.newPage();
  try {
    if (shot.who) {
      await page.goto(`${base}/login`);
      await page.getByLabel("Email address").fill(shot.who);
      await page.getByLabel("Password", { exact: true }).fill(DEMO_PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL((url) => !url.pathname.startsWith("/login"));
    }
    if (typeof shot.path === "string") await page.goto(base + shot.path, { waitUntil: "networkidle" });
    else await shot.path(page);
    await page.screenshot({ path: path.join(out, `${shot.name}.png`), fullPage: true });
    console.log(`${shot.name}.png`);
  } catch (error) {
    failed++;
    console.error(`${shot.name}: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
  }
  await context.close();
}
await browser.close();
process.exit(failed ? 1 : 0);
