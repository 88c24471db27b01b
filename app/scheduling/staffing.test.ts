import { describe, expect, it } from "vitest";
import { activeTrainerCount, isShortOfTrainers, trainersMissing, trainersToAssign } from "./staffing.ts";

const trainer = (status: "assigned" | "accepted" | "declined") => ({ status });

describe("a session's trainers", () => {
  it("count those asked or accepted, never those who declined", () => {
    expect(activeTrainerCount([trainer("assigned"), trainer("accepted"), trainer("declined")])).toBe(2);
  });

  it("fall short while fewer than the course asks for are asked or accepted", () => {
    const session = { status: "scheduled", trainersNeeded: 2 };
    expect(trainersMissing(session, 0)).toBe(2);
    expect(trainersMissing(session, 1)).toBe(1);
    expect(trainersMissing(session, 2)).toBe(0);
    expect(trainersMissing(session, 3)).toBe(0);
    expect(isShortOfTrainers({ ...session, trainers: [trainer("accepted"), trainer("declined")] })).toBe(true);
    expect(isShortOfTrainers({ ...session, trainers: [trainer("accepted"), trainer("assigned")] })).toBe(false);
  });

  it("are no longer wanted once the session is cancelled or delivered", () => {
    expect(trainersMissing({ status: "cancelled", trainersNeeded: 2 }, 0)).toBe(0);
    expect(isShortOfTrainers({ status: "delivered", trainersNeeded: 1, trainers: [] })).toBe(false);
  });

  it("are named in words for the coordinator", () => {
    expect(trainersToAssign(1)).toBe("a trainer");
    expect(trainersToAssign(2)).toBe("two trainers");
    expect(trainersToAssign(4)).toBe("four trainers");
    expect(trainersToAssign(12)).toBe("12 trainers");
  });
});
