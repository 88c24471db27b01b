import type { LoaderFunctionArgs } from "@remix-run/node";
import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "#app/db.server.ts";
import * as manageRoute from "#app/routes/registrations.$token.tsx";
import { createOpenSession } from "#app/signup/open-sessions.server.ts";
import { cancelWithToken, lookupManageToken, register } from "#app/signup/registrations.server.ts";
import { calendarCopy, london, londonDate, openSessionInput, outboxTo, pinClock, schedulingWorld, signUpAs } from "#tests/scheduling-fixtures.ts";
import { rescheduleSession } from "./sessions.server.ts";

const db = () => getDb();

beforeEach(() => pinClock("2030-10-02T08:00:00Z"));

const tokenIn = (text: string) => /\/registrations\/([A-Za-z0-9_-]{40,})/.exec(text)?.[1] ?? "";

describe("when an open session moves", () => {
  it("people with a place get the update with a link to their place; people waiting are told too, with where they stand, and no invitation", async () => {
    const w = await schedulingWorld(db());
    const sessionId = await createOpenSession(db(), w.coordinator, openSessionInput(w.courseId, { capacity: 2 }));
    const [ana, ben, cat, dev, eli] = [signUpAs("Ana"), signUpAs("Ben"), signUpAs("Cat"), signUpAs("Dev"), signUpAs("Eli")];
    for (const p of [ana, ben, cat, dev, eli]) await register(db(), sessionId, p);
    // Cat, first in the queue, leaves it: Dev is now first and Eli second.
    await cancelWithToken(db(), tokenIn((await outboxTo(db(), cat.email, "waiting-list-place"))[0]!.text));

    await rescheduleSession(db(), w.coordinator, {
      sessionId,
      startsAt: london(londonDate(3, 2), "15:00"),
      location: { address: "Great Hall" },
      reason: "Exams",
    });

    for (const p of [ana, ben]) {
      const [moved, ...more] = await outboxTo(db(), p.email, "session-rescheduled");
      expect(more).toHaveLength(0);
      expect(calendarCopy(moved!).method).toBe("REQUEST");
      expect(moved!.text).toMatch(/If you can no longer come, please cancel your place/);
      expect(moved!.text).toMatch(/See or cancel my place/i);
      expect((await lookupManageToken(db(), tokenIn(moved!.text)))?.registration.email).toBe(p.email);
    }
    for (const [p, position] of [
      [dev, 1],
      [eli, 2],
    ] as const) {
      const [moved, ...more] = await outboxTo(db(), p.email, "waiting-list-session-moved");
      expect(more).toHaveLength(0);
      expect(moved!.subject).toMatch(/^Moved: /);
      expect(moved!.text).toContain("Great Hall");
      expect(moved!.text).toContain(`You are still number ${position} on the waiting list`);
      expect(moved!.raw_mime).not.toMatch(/text\/calendar/i);
      // The link opens their own page, which shows where they stand.
      const token = tokenIn(moved!.text);
      const page = (await manageRoute.loader({
        request: new Request(`http://localhost:3000/registrations/${token}`),
        params: { token },
        context: {},
      } as LoaderFunctionArgs)) as {
        data: { state: string; position: number | null; registration: { status: string } };
      };
      expect(page.data).toMatchObject({ state: "found", position, registration: { status: "waiting" } });
    }
    // Someone who left the list hears nothing more.
    expect(await outboxTo(db(), cat.email, "waiting-list-session-moved")).toHaveLength(0);
    expect(await outboxTo(db(), cat.email, "session-rescheduled")).toHaveLength(0);
  });
});
