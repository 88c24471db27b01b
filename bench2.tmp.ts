import { openDatabase } from "#db/connection.ts";
import { complianceForYear, rosterMembers } from "#app/compliance/compliance.server.ts";
import { dashboardPage, chooseLeaderYear } from "#app/compliance/dashboard.server.ts";
const db = openDatabase("/tmp/pl/bench.sqlite");
const t = async (label: string, fn: () => Promise<unknown>, n = 20) => {
  const times: number[] = [];
  for (let i = 0; i < n; i++) { const s = performance.now(); await fn(); times.push(performance.now() - s); }
  times.sort((a, b) => a - b);
  console.log(label.padEnd(40), "min", times[0]!.toFixed(2), "med", times[n >> 1]!.toFixed(2));
};
await t("chooseLeaderYear", () => chooseLeaderYear(db));
await t("dashboardPage status p1", () => dashboardPage(db, 2026, { sort: "status" }, 1));
await t("dashboardPage q=smith", () => dashboardPage(db, 2026, { search: "smith" }, 1));
await t("dashboardPage group", () => dashboardPage(db, 2026, { group: "Freshers' Week Captains, University of Avonport" }, 1, { size: 100 }));
await t("group members", () => rosterMembers(db, 2026, { filters: { group: "Freshers' Week Captains, University of Avonport" } }));
await t("limit0", () => complianceForYear(db, 2026, { limit: 0 }));
