import { describe, expect, it } from "vitest";
import { accessSummary, describeAccessSet, describeUnmet, rankRoomsByNeeds, readAccessSet, storeAccessSet, unmetNeeds } from "./room-access.ts";

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

  it("rank rooms meeting the most needs first, keeping the order of rooms that meet as many", () => {
    const rooms = [
      { name: "Bare", access_features: "" },
      { name: "Looped", access_features: "hearing_loop" },
      { name: "Also bare", access_features: "quiet_room" },
      { name: "Both", access_features: "step_free,hearing_loop" },
    ];
    const ranked = rankRoomsByNeeds(rooms, ["step_free", "hearing_loop"]);
    expect(ranked.map((r) => [r.room.name, r.unmetText])).toEqual([
      ["Both", null],
      ["Looped", "Does not meet the group's needs: no step-free access"],
      ["Bare", "Does not meet the group's needs: no step-free access, no hearing loop"],
      ["Also bare", "Does not meet the group's needs: no step-free access, no hearing loop"],
    ]);
    expect(rankRoomsByNeeds(rooms, []).map((r) => r.room.name)).toEqual(["Bare", "Looped", "Also bare", "Both"]);
  });

  it("sum up what is ticked and what is typed in one line", () => {
    expect(accessSummary("hearing_loop,step_free", "Lift by the main door")).toBe("Step-free access, hearing loop. Lift by the main door");
    expect(accessSummary("", "  ")).toBeNull();
    expect(accessSummary("quiet_room", null)).toBe("Quiet room nearby");
  });
});
