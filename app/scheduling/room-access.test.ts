import { describe, expect, it } from "vitest";
import { describeAccessSet, describeUnmet, readAccessSet, storeAccessSet, unmetNeeds } from "./room-access.ts";

describe("access features", () => {
  it("are stored once each, in the list's order, and read back dropping anything unknown", () => {
    expect(storeAccessSet(["quiet_room", "step_free", "quiet_room", "lift"])).toBe("step_free,quiet_room");
    expect(storeAccessSet([])).toBe("");
    expect(readAccessSet("quiet_room,lift,step_free")).toEqual(["step_free", "quiet_room"]);
    expect(readAccessSet("")).toEqual([]);
    expect(readAccessSet(null)).toEqual([]);
  });

  it("say which needs a room does not meet, plainly, and nothing when it meets them all", () => {
    expect(unmetNeeds(["step_free", "hearing_loop"], ["hearing_loop"])).toEqual(["step_free"]);
    expect(unmetNeeds(["step_free"], ["step_free", "hearing_loop"])).toEqual([]);
    expect(unmetNeeds([], [])).toEqual([]);
    expect(describeUnmet(["step_free", "hearing_loop"])).toBe("Does not meet the group's needs: no step-free access, no hearing loop");
    expect(describeUnmet([])).toBeNull();
    expect(describeAccessSet(["step_free", "accessible_toilet"])).toBe("Step-free access, accessible toilet");
    expect(describeAccessSet([])).toBeNull();
  });
});
