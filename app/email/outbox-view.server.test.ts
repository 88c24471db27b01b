import { createElement } from "react";
import { describe, expect, it } from "vitest";
import { getDb } from "#app/db.server.ts";
import { composeEmail, enqueueEmail } from "./outbox.server.ts";
import { getOutboxMessage, listOutbox } from "./outbox-view.server.ts";

const db = () => getDb();
let seq = 0;

async function message(to: string) {
  const email = await composeEmail({
    template: "test-outbox-view",
    to: { email: to, name: "Sam" },
    subject: "Hello",
    react: createElement("p", null, "Hello"),
  });
  await enqueueEmail(db(), email);
}

describe("the outbox's list", () => {
  it("filters by part of the address, case aside, and by status", async () => {
    const marker = `outbox-view-${Date.now()}${++seq}`;
    await message(`${marker}-a@example.ac.uk`);
    await message(`${marker}-b@example.ac.uk`);
    const all = await listOutbox(db(), { to: marker.toUpperCase() });
    expect(all.messages.map((m) => m.to_address).sort()).toEqual([`${marker}-a@example.ac.uk`, `${marker}-b@example.ac.uk`]);
    expect(all.filter).toEqual({ to: marker.toUpperCase() });
    const status = all.messages[0]!.status;
    expect((await listOutbox(db(), { to: marker, status })).messages).toHaveLength(2);
    expect((await listOutbox(db(), { to: marker, status: status === "failed" ? "sent" : "failed" })).messages).toHaveLength(0);
  });

  it("ignores what it cannot read in the address instead of failing", async () => {
    const result = await listOutbox(db(), { status: "lost", page: "-3", to: "x".repeat(300) });
    expect(result.filter).toEqual({});
    expect(result.page).toBe(1);
  });
});

describe("a message in the outbox", () => {
  it("lists the links in its text without the punctuation around them", async () => {
    const email = await composeEmail({
      template: "test-outbox-view",
      to: { email: `outbox-links-${++seq}@example.ac.uk`, name: "Sam" },
      subject: "Links",
      react: createElement(
        "p",
        null,
        "Read https://neverok.example/support. Or (https://neverok.example/advice), see “https://en.wikipedia.org/wiki/Consent_(law)”!",
      ),
    });
    const message = await getOutboxMessage(db(), await enqueueEmail(db(), email));
    expect(message!.links).toEqual(["https://neverok.example/support", "https://neverok.example/advice", "https://en.wikipedia.org/wiki/Consent_(law)"]);
  });
});
