import { describe, expect, it } from "vitest";
import {
  complianceFilter,
  dashboardSearch,
  groupKind,
  groupPath,
  groupStatusLine,
  groupsToShow,
  GROUPS_SHOWN,
  parseDashboardQuery,
  reminderResultMessage,
  ReminderRequestSchema,
} from "./dashboard.ts";

const parse = (qs: string) => parseDashboardQuery(new URLSearchParams(qs));

describe("the dashboard's query string", () => {
  it("reads every filter, and defaults to worst first on page 1", () => {
    expect(parse("")).toEqual({ sort: "status", page: 1 });
    expect(parse("year=2026&role=3&group=Rugby+Club&status=due_soon&q=+amira+&sort=group&page=4")).toEqual({
      year: 2026,
      role: 3,
      group: "Rugby Club",
      status: "due_soon",
      q: "amira",
      sort: "group",
      page: 4,
    });
  });

  it("drops what makes no sense instead of failing the page", () => {
    expect(parse("year=nineteen&role=-1&group=&status=lost&q=&sort=shoe+size&page=0")).toEqual({ sort: "status", page: 1 });
    expect(parse(`year=1900&role=1.5&q=${"x".repeat(200)}&page=abc`)).toEqual({ sort: "status", page: 1 });
  });

  it("takes the first of a doubled parameter", () => {
    expect(parse("status=overdue&status=compliant&role=2&role=5")).toMatchObject({ status: "overdue", role: 2 });
  });

  it("turns into the filters the report takes", () => {
    expect(complianceFilter(parse("role=2&group=Hall+Reps&status=overdue&q=chen&sort=name&page=3&year=2026"))).toEqual({
      role: 2,
      group: "Hall Reps",
      status: "overdue",
      search: "chen",
      sort: "name",
    });
  });

  it("writes links with the defaults left out, and changes applied", () => {
    const q = parse("year=2026&group=LGBTQ%2B+Society&status=overdue&page=3");
    expect(dashboardSearch(q)).toBe("?year=2026&group=LGBTQ%2B+Society&status=overdue&page=3");
    expect(dashboardSearch(q, { page: 1, sort: "group" })).toBe("?year=2026&group=LGBTQ%2B+Society&status=overdue&sort=group");
    expect(dashboardSearch(q, { status: undefined, group: "" })).toBe("?year=2026&page=3");
    expect(dashboardSearch({})).toBe("");
    // What it writes, it reads back the same.
    expect(parse(dashboardSearch(q).slice(1))).toEqual(q);
  });

  it("puts a group's name in the path safely", () => {
    expect(groupPath("LGBTQ+ Society", 2026)).toBe("/officer/groups/LGBTQ%2B%20Society?year=2026");
    expect(groupPath("Sport/Rec & Co")).toBe("/officer/groups/Sport%2FRec%20%26%20Co");
  });
});

describe("the groups in the breakdown", () => {
  const group = (i: number, overdue: number, compliant: number) => ({
    groupName: `Group ${String(i).padStart(3, "0")}`,
    overdue,
    compliant,
    total: 10,
    ended: 0,
  });
  it("are all of them, by name, when there are few or all are asked for", () => {
    const few = [group(1, 0, 10), group(2, 5, 5)];
    expect(groupsToShow(few, false)).toEqual({ shown: few, total: 2, mostBehind: false });
    const many = Array.from({ length: 400 }, (_, i) => group(i, i % 7, 10 - (i % 7)));
    expect(groupsToShow(many, true).shown).toHaveLength(400);
  });
  it("are the ones most behind when there are many", () => {
    const many = Array.from({ length: 400 }, (_, i) => group(i, i === 250 ? 9 : i % 5, i % 5 === 4 && i % 2 ? 0 : 6));
    const { shown, total, mostBehind } = groupsToShow(many, false);
    expect([total, mostBehind, shown.length]).toEqual([400, true, GROUPS_SHOWN]);
    expect(shown[0]!.groupName).toBe("Group 250");
    // Then four overdue each, the least trained first.
    expect(shown[1]).toMatchObject({ overdue: 4, compliant: 0 });
    expect(shown.every((g) => g.overdue >= 4)).toBe(true);
  });
});

describe("where a group stands", () => {
  it("is told as a committee's, a venue's staff's or a group of leaders'", () => {
    expect(groupStatusLine("committee", { compliant: 7, total: 9, ended: 0 })).toBe("7 of 9 committee members trained: 78%");
    expect(groupStatusLine("venue", { compliant: 12, total: 16, ended: 1 })).toBe("Trained staff: 12 of 15 (80%)");
    expect(groupStatusLine("other", { compliant: 1, total: 1, ended: 0 })).toBe("1 of 1 leader trained: 100%");
    expect(groupStatusLine("other", { compliant: 0, total: 2, ended: 2 })).toBe("Nobody in this group has a current role that needs training.");
  });

  it("knows a venue and a committee from the organisation, or from the roles", () => {
    expect(groupKind("partner_venue", ["Door supervisor"])).toBe("venue");
    expect(groupKind("sports_club", ["Buddy"])).toBe("committee");
    expect(groupKind(null, ["Society committee", "Sports club committee"])).toBe("committee");
    expect(groupKind(null, ["Society committee", "Buddy"])).toBe("other");
    expect(groupKind("leader_programme", ["Hall rep"])).toBe("other");
    expect(groupKind(null, [])).toBe("other");
  });
});

describe("the reminders form", () => {
  const base = { year: "2026", intent: "review" };
  it("sends to everyone overdue, a group or the chosen", () => {
    expect(ReminderRequestSchema.parse({ ...base, to: "overdue" })).toMatchObject({ to: "overdue", year: 2026, copyPresidents: false });
    expect(ReminderRequestSchema.parse({ ...base, to: "group", group: " Rugby Club ", copyPresidents: "on" })).toMatchObject({
      group: "Rugby Club",
      copyPresidents: true,
    });
    expect(ReminderRequestSchema.parse({ ...base, to: "chosen", personId: ["4", "9"] }).personId).toEqual([4, 9]);
  });
  it("asks for the group, or for someone chosen, beside the right field", () => {
    const noGroup = ReminderRequestSchema.safeParse({ ...base, to: "group", group: "" });
    expect(noGroup.error?.issues).toEqual([expect.objectContaining({ path: ["group"], message: "Choose a group" })]);
    const nobody = ReminderRequestSchema.safeParse({ ...base, to: "chosen" });
    expect(nobody.error?.issues).toEqual([expect.objectContaining({ path: ["to"], message: expect.stringMatching(/^Nobody was chosen/) })]);
    expect(ReminderRequestSchema.safeParse({ ...base, to: "everyone" }).success).toBe(false);
  });
  it("says what happened", () => {
    const p = { personId: 1 };
    expect(reminderResultMessage({ sent: [p, p], skippedRecent: [p], skippedNothingDue: [], presidentsCopied: 1 })).toBe(
      "Sent 2 reminders. Skipped 1 leader reminded in the last 7 days. Copied 1 president.",
    );
    expect(reminderResultMessage({ sent: [], skippedRecent: [p, p, p], skippedNothingDue: [p], presidentsCopied: 0 })).toBe(
      "Sent no reminders. Skipped 3 leaders reminded in the last 7 days. Skipped 1 leader with nothing due.",
    );
  });
});
