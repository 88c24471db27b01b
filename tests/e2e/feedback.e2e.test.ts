import crypto from "node:crypto";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeRegister } from "#app/register/register.server.ts";
import { attend, leaderSession } from "#tests/compliance-fixtures.ts";
import { TEST_PASSWORD } from "#tests/factories.ts";
import { createTrainer } from "#tests/scheduling-fixtures.ts";
import { expectAccessible, launchBrowser, newPage, signIn } from "./browser.ts";
import { demoCourse, e2eDb, newAccount, type Account } from "./data.ts";

const run = crypto.randomBytes(4).toString("hex");
const TITLE = `Feedback journey ${run}: Active Bystander`;

let browser: Browser;
let sessionId: number;
let code: string;
/** The single-use links the five attendees were emailed when the register closed. */
let tokens: string[];
let trainer: Account;
let otherTrainer: Account;
/** The London date the session started: its term is the one the results pages are asked for. */
let termParam: string;

/** A session two days ago with a trainer of its own, five people present, and its register closed: each person is emailed a link. */
async function deliveredSession() {
  const db = e2eDb();
  const course = await demoCourse("Active Bystander");
  trainer = { ...(await createTrainer(db, { name: `Trainer ${run}`, qualifiedFor: [course.id] })), password: TEST_PASSWORD };
  otherTrainer = { ...(await createTrainer(db, { qualifiedFor: [course.id] })), password: TEST_PASSWORD };
  termParam = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London" }).format(new Date(Date.now() - 2 * 86_400_000));
  sessionId = await leaderSession(db, course.id, termParam, { status: "scheduled", title: TITLE, capacity: 12, trainerIds: [trainer.id] });
  const attendees = Array.from({ length: 5 }, (_, i) => ({ name: `Attendee ${i + 1}`, email: `attendee-${run}-${i}@students.neverok.example` }));
  for (const who of attendees) await attend(db, sessionId, who);
  await closeRegister(db, trainer, sessionId);
  code = (await db.selectFrom("sessions").select("feedback_code").where("id", "=", sessionId).executeTakeFirstOrThrow()).feedback_code!;
  tokens = [];
  for (const who of attendees) {
    const mail = await db.selectFrom("email_messages").select("text").where("to_address", "=", who.email).executeTakeFirstOrThrow();
    tokens.push(/\/feedback\/([\w-]+)/.exec(mail.text)![1]!);
  }
}

const responses = (): Promise<Record<string, unknown>[]> =>
  e2eDb().selectFrom("feedback_responses").selectAll().where("session_id", "=", sessionId).orderBy("id").execute();

beforeAll(async () => {
  await deliveredSession();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function answer(
  page: Page,
  opts: { rating: string; recommend: "Yes" | "No" | "Not sure"; before?: string; after?: string; doDifferently?: string; comments?: string },
) {
  await page.getByRole("group", { name: "Overall, how would you rate the session?" }).getByLabel(opts.rating).check();
  await page.getByRole("group", { name: "Would you recommend this session to a friend?" }).getByLabel(opts.recommend, { exact: true }).check();
  if (opts.before) await page.getByRole("group", { name: "Before the session, how confident did you feel?" }).getByLabel(opts.before).check();
  if (opts.after) await page.getByRole("group", { name: "Now, how confident do you feel?" }).getByLabel(opts.after).check();
  if (opts.doDifferently) await page.getByLabel("What will you do differently after this session?").fill(opts.doDifferently);
  if (opts.comments) await page.getByLabel("Anything else you would like to tell us?").fill(opts.comments);
}

const send = async (page: Page) => {
  await page.getByRole("button", { name: "Send feedback" }).click();
  await page.getByText("Your feedback has been sent.").waitFor();
};

const sessionCard = (page: Page) => page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: TITLE }) });

describe("feedback after a session", () => {
  it("is given once through the emailed link, on a phone, with the support details a tick away", async () => {
    const { page, context } = await newPage(browser, { mobile: true });
    const res = await page.goto(`/feedback/${tokens[0]}`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()["referrer-policy"]).toBe("no-referrer");
    expect(res?.headers()["cache-control"]).toBe("no-store");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("How was the session?");
    expect(await page.getByText(TITLE).count()).toBe(1);
    // Signposted from the start; the fuller details only when asked for.
    expect(await page.getByRole("region", { name: "Support" }).isVisible()).toBe(true);
    const details = page.getByRole("heading", { name: "Support is here for you" });
    expect(await details.isVisible()).toBe(false);
    await expectAccessible(page);

    // Half a confidence pair is pointed out beside the missing answer.
    await answer(page, { rating: "4 Very good", recommend: "Yes", before: "2 A little confident" });
    await page.getByRole("button", { name: "Send feedback" }).click();
    await expect.poll(() => page.getByText("Also choose how confident you feel now").count()).toBe(1);
    expect(await responses()).toHaveLength(0);

    await page.getByLabel("I would like support").check();
    expect(await details.isVisible()).toBe(true);
    expect(await page.getByRole("link", { name: "999" }).first().getAttribute("href")).toBe("tel:999");
    await expectAccessible(page);

    await answer(page, {
      rating: "4 Very good",
      recommend: "Yes",
      before: "2 A little confident",
      after: "4 Quite confident",
      doDifferently: "Check in with a friend",
      comments: "The role plays helped",
    });
    await send(page);
    // Asked for support: the details come first on the thank-you page too.
    expect(await page.getByRole("heading", { name: "Support is here for you" }).isVisible()).toBe(true);
    await expectAccessible(page);

    const rows = await responses();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      source: "link",
      rating: 4,
      recommend: "yes",
      confidence_before: 2,
      confidence_after: 4,
      comments: "The role plays helped",
    });
    expect(Object.keys(rows[0]!).some((k) => /support|registration|email|name/.test(k))).toBe(false);

    // The same link again: used, said kindly, still signposted.
    await page.goto(`/feedback/${tokens[0]}`);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("This link has been used");
    expect(await page.getByRole("region", { name: "Support" }).count()).toBe(1);
    expect(await page.getByRole("button", { name: "Send feedback" }).count()).toBe(0);
    await expectAccessible(page);

    await page.goto("/feedback/not-a-real-link");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("This link doesn't work");
    await context.close();
  });

  it("is given through the room's QR code once per device", async () => {
    const { page, context } = await newPage(browser, { mobile: true });
    await page.goto(`/feedback/s/${code}`);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("How was the session?");
    const cookie = (await context.cookies()).find((c) => c.name === "neverok_feedback_device");
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/feedback" });
    expect(cookie!.value.length).toBeGreaterThanOrEqual(40);
    await expectAccessible(page);

    // A second tab on the same phone, opened before the first one sends.
    const second = await context.newPage();
    await second.goto(`/feedback/s/${code}`);

    await answer(page, { rating: "5 Excellent", recommend: "Not sure", before: "1 Not at all confident", after: "3 Fairly confident" });
    await send(page);

    await answer(second, { rating: "1 Poor", recommend: "No" });
    await second.getByRole("button", { name: "Send feedback" }).click();
    await expect.poll(() => second.getByRole("heading", { level: 1 }).textContent()).toBe("You have already given feedback");

    await page.goto(`/feedback/s/${code}`);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("You have already given feedback");
    expect(await page.getByRole("button", { name: "Send feedback" }).count()).toBe(0);

    const rows = await responses();
    expect(rows.map((r) => r.source)).toEqual(["link", "qr"]);
    expect(rows[1]).toMatchObject({ rating: 5, recommend: "not_sure" });
    await context.close();
  });

  it("shows the trainer their session's figures once five people have answered, and no one else's trainer", async () => {
    const tom = await newPage(browser);
    await signIn(tom.page, trainer);
    await tom.page.goto(`/trainer/feedback?term=${termParam}`);
    // One answer by link and one by the room's code: only the link counts towards showing the answers.
    await expect
      .poll(() => sessionCard(tom.page).textContent())
      .toContain("Fewer than 5 people on the register have answered by their own emailed link (1 so far, and 1 by the room's QR code)");
    expect(await sessionCard(tom.page).getByText("Answers", { exact: true }).count()).toBe(0);

    // Three more people use their emailed links: four by link, still one short.
    const { page, context } = await newPage(browser);
    const ratings = ["3 Good", "4 Very good", "5 Excellent", "4 Very good"];
    for (const [i, token] of tokens.slice(1, 4).entries()) {
      await page.goto(`/feedback/${token}`);
      await answer(page, {
        rating: ratings[i]!,
        recommend: "Yes",
        before: "2 A little confident",
        after: "3 Fairly confident",
        comments: i === 0 ? "More time for questions, please" : undefined,
      });
      await send(page);
    }
    await tom.page.reload();
    await expect.poll(() => sessionCard(tom.page).textContent()).toContain("(4 so far, and 1 by the room's QR code)");
    expect(await sessionCard(tom.page).getByText("More time for questions, please").count()).toBe(0);
    // The fifth.
    await page.goto(`/feedback/${tokens[4]}`);
    await answer(page, { rating: ratings[3]!, recommend: "Yes" });
    await send(page);
    await context.close();
    expect(await responses()).toHaveLength(6);

    await tom.page.reload();
    const card = sessionCard(tom.page);
    await expect.poll(() => card.getByText("Answers", { exact: true }).count()).toBe(1);
    expect(await card.textContent()).not.toContain("Fewer than 5");
    expect(await card.textContent()).toContain("4.2"); // (4 + 5 + 3 + 4 + 5 + 4) / 6
    expect(await card.textContent()).toContain("83%"); // five of six would recommend
    await card.getByText("Read the written answers").click();
    expect(await card.getByText("More time for questions, please").isVisible()).toBe(true);
    expect(await card.textContent()).not.toMatch(/Attendee|students\.neverok\.example/);
    await expectAccessible(tom.page);

    // The code for the room, for the trainer on the session.
    await tom.page.goto(`/trainer/sessions/${sessionId}/qr`);
    const figure = tom.page.getByRole("figure", { name: "Scan to give feedback" });
    expect(await figure.locator("svg").count()).toBe(1);
    expect(await figure.textContent()).toContain(`/feedback/s/${code}`);
    await expectAccessible(tom.page);
    await tom.context.close();

    const phone = await newPage(browser, { mobile: true });
    await signIn(phone.page, trainer);
    await phone.page.goto(`/trainer/feedback?term=${termParam}`);
    expect(await sessionCard(phone.page).getByText("Answers", { exact: true }).count()).toBe(1);
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await expectAccessible(phone.page);
    await phone.context.close();

    const chloe = await newPage(browser);
    await signIn(chloe.page, otherTrainer);
    await chloe.page.goto(`/trainer/feedback?term=${termParam}`);
    expect(await chloe.page.getByRole("heading", { level: 1 }).textContent()).toBe("Feedback on your sessions");
    expect(await chloe.page.getByText(TITLE).count()).toBe(0);
    expect(await chloe.page.getByText("More time for questions, please").count()).toBe(0);
    const refused = await chloe.page.goto(`/trainer/sessions/${sessionId}/qr`);
    expect(refused?.status()).toBe(404);
    await chloe.context.close();
  });

  it("shows the coordinator every session, with the same rule for small ones", async () => {
    const { page, context } = await newPage(browser);
    await signIn(page, await newAccount(["coordinator"]));
    await page.goto(`/coordinator/feedback?term=${termParam}`);
    const row = page.getByRole("row").filter({ hasText: TITLE });
    expect(await row.count()).toBe(1);
    expect(await row.textContent()).toContain(`With ${trainer.name}`);
    expect(await row.textContent()).toContain("4.2 / 5");
    await expectAccessible(page);
    await context.close();
  });
});
