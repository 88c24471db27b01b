import {
  bareRatio,
  checkGoals,
  coresCeiling,
  coresCpuLines,
  coresSpeedup,
  coresTable,
  failures,
  floorRatio,
  GOAL_LIMITS,
  databasesTable,
  growthTable,
  judgedP95,
  latencySummary,
  median,
  markdownTable,
  peakAt,
  percentile,
  renderMarkdown,
  resultsTable,
  type CoresResult,
  type DatasetResult,
  type Measurement,
  type PageSpec,
  type ProcessesRun,
  type RunInfo,
  type Turn,
} from "./report.ts";

const MB = 1024 * 1024;

const pages: PageSpec[] = [
  { id: "floor", title: "Floor", kind: "floor", how: "GET /privacy-notice" },
  { id: "booker", title: "Booker dashboard", kind: "interactive", how: "GET /booker" },
  { id: "impact", title: "Impact report", kind: "report", how: "GET /reports/impact" },
];

/** The same pages with the bare Remix page as the reference, and a POST that waits 400 ms on purpose. */
const withBare: PageSpec[] = [
  ...pages,
  { id: "bare", title: "Bare Remix page", kind: "reference", how: "GET / on bench/bare" },
  { id: "signup", title: "Registration POST", kind: "interactive", how: "POST /sessions/open/<id>", steadyMs: 400 },
];

/** Five turns of a page beside the floor: the page's p50 and the floor's in each (p95 twice each). */
function inTurns(page: Measurement, pageP50: number, floorP50: number): Measurement {
  const turns: Turn[] = Array.from({ length: 5 }, () => ({ p50: pageP50, p95: pageP50 * 2, floorP50, floorP95: floorP50 * 2 }));
  return { ...page, floorAlongside: { p50: floorP50, p95: floorP50 * 2 }, turns };
}

function processesRun(processes: number, rps: number, peakRss: number | null = 120 * MB): ProcessesRun {
  return { processes, requests: rps * 5, bad: 0, errors: 0, rps, p50: 20_000 / rps, p95: 40_000 / rps, p99: 50_000 / rps, peakRss };
}

function coresRun(oneRps: number, allRps: number, processes = 2, allPeak: number | null = 120 * MB): CoresResult {
  return { dataset: "city-1y", connections: 20, durationSeconds: 5, one: processesRun(1, oneRps), all: processesRun(processes, allRps, allPeak) };
}

function m(page: string, connections: number, p50: number, p95 = p50 * 2, peakRss: number | null = 100 * MB): Measurement {
  return {
    page,
    connections,
    requests: 100,
    bad: 0,
    errors: 0,
    rps: 1000 / p50,
    p50,
    p95,
    p99: p95 * 1.5,
    extended: false,
    skippedSeconds: null,
    statuses: {},
    peakRss,
  };
}

function dataset(
  name: string,
  years: number | null,
  measurements: Measurement[],
  cityScale = true,
  database: DatasetResult["database"] = "SQLite",
): DatasetResult {
  const counts = {
    sessions: 10,
    deliveredSessions: 8,
    registrations: 100,
    attendances: 90,
    headCounted: 40,
    bookingRequests: 5,
    feedback: 50,
    leaders: 20,
    leaderAppointments: 25,
  };
  return { name, label: name, database, years, cityScale, counts, measurements, peakRss: 150 * MB };
}

function runInfo(): RunInfo {
  return {
    date: new Date("2026-03-02T10:15:00Z"),
    machine: { cpuModel: "Test CPU", cpuCount: 2, totalMemoryBytes: 4096 * MB, os: "Linux", node: "v20.19.0" },
    load: null,
    tool: "autocannon 9.0.0",
    durationSeconds: 5,
    warmupSeconds: 1,
    settleSeconds: 30,
    warmupConnections: 10,
    connections: [10],
    dataNote: "the city-scale seed",
  };
}

describe("percentiles", () => {
  it("takes the middle value, or the mean of the middle two", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(Number.isNaN(median([]))).toBe(true);
  });

  it("takes the nearest rank, so p95 of 1..100 is 95 and never an interpolated value", () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(samples, 50)).toBe(50);
    expect(percentile(samples, 95)).toBe(95);
    expect(percentile(samples, 99)).toBe(99);
    expect(percentile(samples, 100)).toBe(100);
  });

  it("gives the one sample for a run of one request, and NaN for none", () => {
    expect(latencySummary([7])).toEqual({ p50: 7, p95: 7, p99: 7 });
    expect(Number.isNaN(latencySummary([]).p95)).toBe(true);
  });

  it("sees a slow tail that the median hides", () => {
    const samples = [...Array.from({ length: 90 }, () => 10), ...Array.from({ length: 10 }, () => 500)];
    expect(latencySummary(samples)).toEqual({ p50: 10, p95: 500, p99: 500 });
  });
});

describe("ratios to the floor", () => {
  it("divides by the floor at the same number of connections", () => {
    const ms = [m("floor", 1, 2, 4), m("floor", 10, 10, 20), m("booker", 10, 25, 30)];
    expect(floorRatio(ms, "floor", ms[2]!)).toEqual({ p50: 2.5, p95: 1.5 });
  });

  it("divides by the floor measured beside the page where there is one, not the floor's earlier run", () => {
    // The machine slowed between the floor's own run (10 ms) and the page's; beside the page the floor took 16.
    const page = { ...m("booker", 10, 40, 60), floorAlongside: { p50: 16, p95: 24 } };
    const ms = [m("floor", 10, 10, 20), page];
    expect(floorRatio(ms, "floor", page)).toEqual({ p50: 2.5, p95: 2.5 });
    expect(resultsTable(dataset("city-5y", 5, ms), pages)).toContain(" 16.0 / 24.0 |");
  });

  it("takes the median of the turns' ratios, so one turn hit by other work does not decide it", () => {
    // Five turns of 10 ms floor and 25 ms page; in the third, a burst made the page 60 ms.
    const turns = [25, 25, 60, 25, 25].map((p50) => ({ p50, p95: p50 * 1.5, floorP50: 10, floorP95: 15 }));
    const page = { ...m("booker", 10, 32, 80), floorAlongside: { p50: 10, p95: 15 }, turns };
    expect(floorRatio([page], "floor", page)).toEqual({ p50: 2.5, p95: 2.5 });
    // A page slow in most turns is still slow: three of five over 3× put the median over.
    const slow = { ...page, turns: [25, 35, 35, 35, 25].map((p50) => ({ p50, p95: p50 * 1.5, floorP50: 10, floorP95: 15 })) };
    expect(floorRatio([slow], "floor", slow)!.p50).toBe(3.5);
  });

  it("pairs each turn with the floor just before it, not with the floor's pooled figure", () => {
    // The machine slowed during the run: floor 10 then 20 ms, the page 2× each time.
    const turns = [10, 10, 20, 20, 20].map((f) => ({ p50: f * 2, p95: f * 4, floorP50: f, floorP95: f * 2 }));
    const page = { ...m("booker", 10, 40, 80), floorAlongside: { p50: 20, p95: 40 }, turns };
    expect(floorRatio([page], "floor", page)).toEqual({ p50: 2, p95: 2 });
  });

  it("has no ratio without a floor measured alongside", () => {
    expect(floorRatio([m("booker", 50, 5)], "floor", m("booker", 50, 5))).toBeNull();
  });
});

describe("ratios to the bare Remix page", () => {
  it("divides a page's ratio to the floor by the bare page's, so a drift between the two runs cancels", () => {
    // The bare page took 5 ms beside a 10 ms floor; later the machine was twice as slow, and the booker
    // page took 50 ms beside a 20 ms floor: 2.5× the floor, 5× the bare page.
    const bare = inTurns(m("bare", 10, 5), 5, 10);
    const booker = inTurns(m("booker", 10, 50), 50, 20);
    const ms = [m("floor", 10, 10), bare, booker];
    expect(bareRatio(ms, "floor", "bare", booker)).toEqual({ p50: 5, p95: 5 });
    expect(bareRatio(ms, "floor", "bare", bare)).toEqual({ p50: 1, p95: 1 });
  });

  it("gives the floor 1 over the bare page's ratio to the floor", () => {
    const ms = [m("floor", 10, 10), inTurns(m("bare", 10, 4), 4, 10)];
    expect(bareRatio(ms, "floor", "bare", ms[0]!)).toEqual({ p50: 2.5, p95: 2.5 });
  });

  it("divides by the bare page's own run at 50 connections, where nothing is in turns", () => {
    const ms = [m("floor", 50, 40), m("bare", 50, 20), m("booker", 50, 100)];
    expect(bareRatio(ms, "floor", "bare", ms[2]!)!.p50).toBe(5);
    expect(bareRatio(ms, "floor", "bare", ms[0]!)!.p50).toBe(2);
  });

  it("takes a page's deliberate wait off its time first, no lower than nothing", () => {
    const ms = [m("floor", 10, 10), inTurns(m("bare", 10, 5), 5, 10)];
    const post = inTurns(m("signup", 10, 430), 430, 10);
    // (430 - 400) / 10 = 3× the floor, over the bare page's 0.5×: 6×.
    expect(bareRatio(ms, "floor", "bare", post, 400)!.p50).toBeCloseTo(6);
    expect(bareRatio(ms, "floor", "bare", post)!.p50).toBeCloseTo(86);
    expect(floorRatio(ms, "floor", inTurns(m("signup", 10, 390), 390, 10), 400)!.p50).toBe(0);
  });

  it("has no ratio without the bare page measured at that number of connections, or when it was not run", () => {
    const booker = inTurns(m("booker", 10, 50), 50, 20);
    expect(bareRatio([m("floor", 10, 10), m("bare", 1, 5), booker], "floor", "bare", booker)).toBeNull();
    const skipped = { ...m("bare", 10, Number.NaN), skippedSeconds: 200 };
    expect(bareRatio([m("floor", 10, 10), skipped, booker], "floor", "bare", booker)).toBeNull();
  });

  it("gives each page's p50 over the bare page's in the results table", () => {
    const ms = [m("floor", 10, 10), inTurns(m("bare", 10, 5), 5, 10), inTurns(m("booker", 10, 50), 50, 20)];
    const table = resultsTable(dataset("city-1y", 1, ms), withBare);
    expect(table.split("\n")[0]).toMatch(/\| p95 × floor \| p50 × bare \|/);
    expect(table).toMatch(/\| Booker dashboard +\| +10 \|.*\| +2\.50× \| +2\.50× \| +5\.00× \|/);
    expect(table).toMatch(/\| Floor +\| +10 \|.*\| +1\.00× \| +1\.00× \| +2\.00× \|/);
    expect(table).toMatch(/\| Bare Remix page +\| +10 \|.*\| +0\.50× \| +0\.50× \| +1\.00× \|/);
  });
});

describe("one process and every core", () => {
  it("divides all cores' throughput by one process's", () => {
    expect(coresSpeedup(coresRun(200, 340))).toBe(1.7);
    const table = coresTable(coresRun(200, 340));
    expect(table).toMatch(/\| one process +\| +200\.0 \| +100 \|/);
    expect(table).toMatch(/\| 2 processes \(node:cluster\) \| +340\.0 \| +58\.8 \|/);
    expect(table).toMatch(/\| all over one +\| +1\.70× \| +0\.59× \|/);
  });

  it("tells what the runs took of the machine, and the most its cores could give at one process's CPU per answer", () => {
    // One process: 1,000 answers in 5 s for 5.5 s of CPU (5.5 ms each). Two: 1,500 answers, 9 s of CPU,
    // the load tool 1 s, on 2 cores: 10 s of core time less 1 s, at 5.5 ms an answer, is 1,636 answers, 1.64×.
    const c = coresRun(200, 300);
    c.one.cpu = { seconds: 5, server: 5.5, loadTool: 0.6, cores: 2 };
    c.all.cpu = { seconds: 5, server: 9, loadTool: 1, cores: 2 };
    expect(coresCeiling(c)).toBeCloseTo(1.636, 3);
    expect(coresCpuLines(c)).toEqual([
      "CPU per answer: 5.50 ms with one process, 6.00 ms with 2; with 2 the server and the load tool kept 2.00 of the machine's 2 cores busy (the load tool 0.20)",
      "The most this machine could give: its cores less the load tool's share, at one process's CPU per answer, is 1.64× one process's rate",
    ]);
    expect(coresTable(c)).toMatch(/\| one process +\| +200\.0 \| +100 \| +200 \| +250 \| +1\.10 \| +5\.50 \|/);
    expect(coresTable(c)).toMatch(/\| 2 processes \(node:cluster\) \| +300\.0 \| +66\.7 \| +133 \| +167 \| +1\.80 \| +6\.00 \|/);
    // Where CPU time could not be read, no figures and no ceiling.
    c.one.cpu = { ...c.one.cpu, server: null };
    expect(coresCeiling(c)).toBeNull();
    expect(coresCpuLines(c)).toEqual([]);
    expect(coresCeiling(coresRun(200, 300))).toBeNull();
  });
});

describe("goals", () => {
  const byGoal = (checks: ReturnType<typeof checkGoals>, word: string) => checks.find((c) => c.goal.includes(word))!;

  it("judges pages against the bare page, and growth, with the floor measured beside each page", () => {
    const beside = (page: Measurement, p50: number) => ({ ...page, floorAlongside: { p50, p95: p50 * 2 } });
    // Against the floor's early runs (5 ms, 40 ms) the booker looks 16× the bare page; beside each the floor was 20 and 60 ms.
    const bare = beside(m("bare", 10, 10), 20);
    const oneYear = dataset("city-1y", 1, [m("floor", 1, 5), m("floor", 10, 40), bare, beside(m("booker", 1, 10), 5), beside(m("booker", 10, 160), 60)]);
    const fiveYears = dataset("city-5y", 5, [m("floor", 1, 5), m("floor", 10, 40), bare, beside(m("booker", 1, 20), 10), beside(m("booker", 10, 160), 60)]);
    const checks = checkGoals([oneYear, fiveYears], withBare);
    expect(byGoal(checks, "interactive").status).toBe("PASS");
    // 10 → 20 ms, but the floor beside went 5 → 10: no growth.
    expect(byGoal(checks, "grows").status).toBe("PASS");
    // Without the floors beside, the same figures fail both.
    const plain = (d: DatasetResult) => ({ ...d, measurements: d.measurements.map(({ floorAlongside: _, ...rest }) => rest) });
    const without = checkGoals([plain(oneYear), plain(fiveYears)], withBare);
    expect(byGoal(without, "interactive").status).toBe("FAIL");
    expect(byGoal(without, "grows").status).toBe("FAIL");
  });

  it("judges growth by the change in each turn's cost over the floor where both runs were in turns", () => {
    const turns = (page: number, floor: number, burst = 1) =>
      [1, 1, burst, 1, 1].map((k) => ({ p50: page * k, p95: page * 2 * k, floorP50: floor, floorP95: floor * 2 }));
    const oneYear = dataset("city-1y", 1, [m("floor", 1, 5), { ...m("booker", 1, 10), turns: turns(10, 5) }]);
    // Five years: the floor beside went 5 → 6 ms and the page 10 → 12, with one burst turn; no growth.
    const steady = dataset("city-5y", 5, [m("floor", 1, 5), { ...m("booker", 1, 16), floorAlongside: { p50: 5, p95: 10 }, turns: turns(12, 6, 4) }]);
    expect(byGoal(checkGoals([oneYear, steady], pages), "history").status).toBe("PASS");
    // The page's cost over the floor doubled in every turn: growth, whatever the bursts.
    const grew = dataset("city-5y", 5, [m("floor", 1, 5), { ...m("booker", 1, 24), turns: turns(24, 6, 2) }]);
    const check = byGoal(checkGoals([oneYear, grew], pages), "history");
    expect(check.status).toBe("FAIL");
    expect(check.details[0]).toContain("(2.00× after the floor's");
  });

  it("judges a page that waits on purpose on the rest of its time when it asks whether the page grew", () => {
    const turns = (page: number, floor: number) => Array.from({ length: 5 }, () => ({ p50: page, p95: page, floorP50: floor, floorP95: floor }));
    const oneYear = dataset("city-1y", 1, [m("floor", 1, 5), { ...m("signup", 1, 412), turns: turns(412, 5) }]);
    // The machine went from a 5 ms floor to 2 ms and the POST answered in 412 ms both times: its work is
    // done within the wait. Scaled by the floor's drift, the same 412 ms would read as growth.
    const faster = dataset("city-5y", 5, [m("floor", 1, 2), { ...m("signup", 1, 412), turns: turns(412, 2) }]);
    expect(byGoal(checkGoals([oneYear, faster], withBare), "history").status).toBe("PASS");
    // Its work growing from 12 to 40 ms on the same machine is growth, and the details say what was judged.
    const grew = dataset("city-5y", 5, [m("floor", 1, 5), { ...m("signup", 1, 440), turns: turns(440, 5) }]);
    const check = byGoal(checkGoals([oneYear, grew], withBare), "history");
    expect(check.status).toBe("FAIL");
    expect(check.details[0]).toBe(
      "Registration POST: p50 412 ms with 1 year(s), 440 ms with 5 (less the 400 ms it waits on purpose, 3.33×, with no drift taken out)",
    );
  });

  it("fails a page that slows down with more history, once the machine's drift (the floor's change) is taken out", () => {
    const oneYear = dataset("city-1y", 1, [m("floor", 1, 5), m("booker", 1, 10), m("impact", 1, 10)]);
    // The machine was 1.6× slower for the second run: the floor shows it. The booker page moved with it;
    // the report grew far beyond it.
    const fiveYears = dataset("city-5y", 5, [m("floor", 1, 8), m("booker", 1, 16), m("impact", 1, 40)]);
    const check = byGoal(checkGoals([oneYear, fiveYears], pages), "history");
    expect(check.status).toBe("FAIL");
    expect(check.details.filter((d) => d.includes("year(s)"))).toEqual([expect.stringContaining("Impact report")]);
    expect(check.details.join("\n")).toContain("The floor moved 1.60×");

    const steady = dataset("city-5y", 5, [m("floor", 1, 8), m("booker", 1, 16), m("impact", 1, 17)]);
    expect(byGoal(checkGoals([oneYear, steady], pages), "history").status).toBe("PASS");
  });

  it("judges the floor against the bare page's p50 at 10 connections, in the same run", () => {
    // Beside a 10 ms floor the bare page took 5.5 ms: the floor is 1.82× it.
    const ok = dataset("city-1y", 1, [m("floor", 10, 10), inTurns(m("bare", 10, 5.5), 5.5, 10)]);
    const check = byGoal(checkGoals([ok], withBare), "The floor's p50");
    expect(check.status).toBe("PASS");
    expect(check.details).toEqual(["city-1y: the floor's p50 is 1.82× the bare page's (median of 5 turns, each beside the floor)"]);
    const slow = dataset("city-1y", 1, [m("floor", 10, 10), inTurns(m("bare", 10, 4.5), 4.5, 10)]);
    expect(byGoal(checkGoals([slow], withBare), "The floor's p50").status).toBe("FAIL");
    expect(byGoal(checkGoals([slow], withBare), "The floor's p50").details[0]).toContain("2.22× the bare page's");
    // Without the bare page at 10 connections there is nothing to judge.
    const alone = dataset("city-1y", 1, [m("floor", 10, 10), inTurns(m("bare", 1, 1), 1, 2)]);
    expect(byGoal(checkGoals([alone], withBare), "The floor's p50").status).toBe("NOT CHECKED");
    expect(byGoal(checkGoals([ok], pages), "The floor's p50").status).toBe("NOT CHECKED");
  });

  it("judges interactive pages and reports against 6× the bare page's p50 on city-scale data, and the POST less its steady wait", () => {
    // Bare page 0.5× the floor beside it; the booker 2.9× and the report 3× the floor: 5.8× and 6× the bare page.
    const base = [m("floor", 10, 10), inTurns(m("bare", 10, 5), 5, 10), inTurns(m("booker", 10, 29), 29, 10), inTurns(m("impact", 10, 30), 30, 10)];
    const ok = dataset("city-1y", 1, [...base, inTurns(m("signup", 10, 429), 429, 10)]);
    const check = byGoal(checkGoals([ok], withBare), "interactive");
    expect(check.status).toBe("PASS");
    expect(check.details[0]).toBe("3 page measurements within 6×.");
    // The POST's 429 ms is 86× the bare page, but it waits 400 ms on purpose: 29 ms of it is 5.8×, and the details say so.
    expect(check.details[1]).toMatch(
      /^city-1y: Registration POST is judged on its p50 less the 400 ms it waits on purpose .*: 5\.80× the bare page's p50 \(429 ms in all\)$/,
    );

    const slowPost = dataset("city-1y", 1, [...base, inTurns(m("signup", 10, 431), 431, 10)]);
    const failed = byGoal(checkGoals([slowPost], withBare), "interactive");
    expect(failed.status).toBe("FAIL");
    expect(failed.details).toEqual([expect.stringContaining("6.20× the bare page's p50 (431 ms in all) (over)")]);

    const slowPage = dataset("city-1y", 1, [...base.slice(0, 3), inTurns(m("impact", 10, 31), 31, 10)]);
    expect(byGoal(checkGoals([slowPage], withBare), "interactive").details).toEqual(["city-1y: Impact report is 6.20× the bare page's p50 (31.0 ms)"]);
    const skipped = dataset("city-1y", 1, [...base.slice(0, 3), { ...m("impact", 10, Number.NaN), skippedSeconds: 300 }]);
    expect(byGoal(checkGoals([skipped], withBare), "interactive").status).toBe("FAIL");

    // Not on the demo data, and not without the bare page.
    const demo = dataset("demo", null, base, false);
    expect(byGoal(checkGoals([demo], withBare), "interactive")).toMatchObject({ status: "NOT CHECKED", details: ["No city-scale data set was measured."] });
    expect(byGoal(checkGoals([ok], pages), "interactive").status).toBe("NOT CHECKED");
  });

  it("judges a report's p95 by the median of its turns, and says so beside the p95 over every answer", () => {
    const turn = (p95: number) => ({ p50: p95 / 2, p95, floorP50: 10, floorP95: 20 });
    const burst = { ...m("impact", 10, 45, 230), turns: [75, 80, 420, 78, 75].map(turn) };
    expect(judgedP95(burst)).toBe(78);
    const check = byGoal(checkGoals([dataset("city-5y", 5, [m("floor", 10, 10, 20), burst])], pages), "Impact report");
    expect(check.status).toBe("PASS");
    expect(check.details).toEqual([expect.stringContaining("p95 78.0 ms (median of 5 turns; 230 ms over every answer)")]);
    const slow = { ...burst, turns: [75, 105, 420, 102, 75].map(turn) };
    expect(byGoal(checkGoals([dataset("city-5y", 5, [m("floor", 10, 10, 20), slow])], pages), "Impact report").status).toBe("FAIL");
  });

  it("checks the reports' p95 against 100 ms on city-scale data only", () => {
    const city = dataset("city-5y", 5, [m("impact", 10, 40, 99)]);
    expect(byGoal(checkGoals([city], pages), "Impact report").status).toBe("PASS");
    const slow = dataset("city-5y", 5, [m("impact", 10, 40, 100)]);
    expect(byGoal(checkGoals([slow], pages), "Impact report").status).toBe("FAIL");
    const demo = dataset("demo", null, [m("impact", 10, 80, 900)], false);
    expect(byGoal(checkGoals([demo], pages), "Impact report").status).toBe("NOT CHECKED");
  });

  it("asks every core to serve at least 1.7× what one process does", () => {
    const d = [dataset("city-1y", 1, [m("floor", 10, 10)])];
    const ok = byGoal(checkGoals(d, pages, { cores: coresRun(200, 340) }), "every core");
    expect(ok.status).toBe("PASS");
    expect(ok.details).toEqual(["city-1y: one process 200 req/s (p50 100 ms), 2 processes 340 req/s (p50 58.8 ms): 1.70×"]);
    const short = byGoal(checkGoals(d, pages, { cores: coresRun(200, 330) }), "every core");
    expect(short.status).toBe("FAIL");
    expect(short.details[0]).toMatch(/1\.65× \(under\)$/);
    expect(byGoal(checkGoals(d, pages), "every core").status).toBe("NOT CHECKED");
    expect(byGoal(checkGoals(d, pages, { cores: coresRun(200, 200, 1) }), "every core")).toMatchObject({
      status: "NOT CHECKED",
      details: ["The machine has one core: there is nothing to compare one process with."],
    });
  });

  it("asks every page's p99 to stay under 3× its p50 at 50 connections", () => {
    const tail = (page: string, p50: number, p99: number) => ({ ...m(page, 50, p50), p99 });
    // The bare page is served by remix-serve, not the app's server: given beside the app's pages, not judged.
    const ok = dataset("city-1y", 1, [tail("floor", 10, 29), tail("booker", 40, 100), tail("bare", 5, 20)]);
    const check = byGoal(checkGoals([ok], withBare), "p99");
    expect(check.status).toBe("PASS");
    expect(check.details).toEqual([
      "2 page measurements with p99 under 3× their p50.",
      "city-1y: Bare Remix page, served by remix-serve, not judged: p99 20.0 ms, 4.00× its p50 of 5.00 ms",
    ]);
    const long = dataset("city-5y", 5, [tail("floor", 10, 29), tail("impact", 40, 120)]);
    const failed = byGoal(checkGoals([ok, long], withBare), "p99");
    expect(failed.status).toBe("FAIL");
    expect(failed.details).toEqual([
      "city-5y: Impact report p99 120 ms, 3.00× its p50 of 40.0 ms",
      "city-1y: Bare Remix page, served by remix-serve, not judged: p99 20.0 ms, 4.00× its p50 of 5.00 ms",
    ]);
    const skipped = dataset("city-5y", 5, [tail("floor", 10, 29), { ...m("impact", 50, Number.NaN), skippedSeconds: 120 }]);
    expect(byGoal(checkGoals([skipped], withBare), "p99").status).toBe("FAIL");
    expect(byGoal(checkGoals([dataset("city-1y", 1, [m("floor", 10, 10, 20)])], withBare), "p99")).toMatchObject({
      status: "NOT CHECKED",
      details: ["Nothing was run at 50 connections."],
    });
  });

  it("finds a page that slows with more history, and forgives a fast page's noise", () => {
    const oneYear = dataset("city-1y", 1, [m("floor", 1, 5.0), m("booker", 1, 1.0), m("impact", 1, 40)]);
    const fiveYears = dataset("city-5y", 5, [m("floor", 1, 5.5), m("booker", 1, 2.5), m("impact", 1, 90)]);
    const check = byGoal(checkGoals([fiveYears, oneYear], pages), "history");
    expect(check.status).toBe("FAIL");
    expect(check.details.filter((d) => d.includes("year(s)"))).toEqual([
      "Impact report: p50 40.0 ms with 1 year(s), 90.0 ms with 5 (2.05× after the floor's 1.10×)",
    ]);
    expect(byGoal(checkGoals([oneYear], pages), "history").status).toBe("NOT CHECKED");
  });

  it("checks the server's peak memory at 50 connections", () => {
    const under = dataset("city-1y", 1, [m("floor", 50, 5, 10, 250 * MB), m("booker", 10, 5, 10, 900 * MB)]);
    expect(peakAt(under.measurements, 50)).toBe(250 * MB);
    expect(byGoal(checkGoals([under], pages), "memory").status).toBe("PASS");
    const over = dataset("city-5y", 5, [m("floor", 50, 5, 10, 301 * MB)]);
    expect(byGoal(checkGoals([under, over], pages), "memory").status).toBe("FAIL");
    expect(byGoal(checkGoals([dataset("x", 1, [m("floor", 10, 5)])], pages), "memory").details[0]).toBe("Nothing was run at 50 connections.");
  });

  it("counts the app's server processes, not the bare page's, and the largest process of the all-cores run", () => {
    // The bare page's server is not the app's: its memory is not judged.
    const d = dataset("city-1y", 1, [m("floor", 50, 5, 10, 250 * MB), m("bare", 50, 2, 4, 400 * MB)]);
    expect(byGoal(checkGoals([d], withBare), "memory").details).toEqual(["city-1y: peak 250 MB resident"]);
    const ok = byGoal(checkGoals([d], withBare, { cores: coresRun(200, 340, 2, 290 * MB) }), "memory");
    expect(ok.status).toBe("PASS");
    expect(ok.details[1]).toBe("city-1y, 2 processes at 20 connections: the largest process peaked at 290 MB resident");
    const over = byGoal(checkGoals([d], withBare, { cores: coresRun(200, 340, 2, 310 * MB) }), "memory");
    expect(over.status).toBe("FAIL");
    expect(over.details[1]).toMatch(/peaked at 310 MB resident \(over\)$/);
    // Only the all-cores run, its memory unreadable: nothing to judge.
    const unread = byGoal(checkGoals([dataset("x", 1, [m("floor", 10, 5)])], pages, { cores: coresRun(200, 340, 2, null) }), "memory");
    expect(unread).toMatchObject({ status: "NOT CHECKED", details: ["The server's memory could not be read on this system."] });
  });
});

describe("the written report", () => {
  it("pads Markdown tables so the columns line up, numbers to the right", () => {
    expect(
      markdownTable(
        ["page", "ms"],
        [
          ["Booker", "5.0"],
          ["Impact report", "120"],
        ],
        [1],
      ),
    ).toBe(["| page          |  ms |", "| ------------- | --: |", "| Booker        | 5.0 |", "| Impact report | 120 |"].join("\n"));
  });

  it("compares growth with history on one database, not SQLite's one year with PostgreSQL's five", () => {
    const sets = [
      dataset("city-1y", 1, [m("booker", 1, 10)]),
      dataset("city-1y-pg", 1, [m("booker", 1, 12)], true, "PostgreSQL"),
      dataset("city-5y", 5, [m("booker", 1, 15)]),
      dataset("city-5y-pg", 5, [m("booker", 1, 40)], true, "PostgreSQL"),
    ];
    const table = growthTable(sets, pages, [1])!;
    expect(table).toMatch(/Booker dashboard \| +10\.0 \| +15\.0 \| +1\.50× \|/);
    expect(growthTable([sets[0]!, sets[3]!], pages, [1])).toBeNull();
  });

  it("sets each data set's pages on SQLite beside the same pages on PostgreSQL", () => {
    const sets = [
      dataset("City, 1 year", 1, [m("floor", 10, 5), m("booker", 10, 20)]),
      dataset("City, 1 year, on PostgreSQL", 1, [m("floor", 10, 6), m("booker", 10, 25)], true, "PostgreSQL"),
    ];
    const table = databasesTable(sets, pages, [10])!;
    expect(table).toMatch(/\| City, 1 year \| Booker dashboard \| +20\.0 \| +25\.0 \| +50 \/ 40 \|/);
    expect(table).toMatch(/\| City, 1 year \| Impact report +\| +– \| +– \| +– \/ – \|/);
    expect(databasesTable([sets[0]!], pages, [10])).toBeNull();
    expect(renderMarkdown(runInfo(), sets, pages, [])).toContain("## SQLite and PostgreSQL side by side");
    expect(renderMarkdown(runInfo(), [sets[0]!], pages, [])).not.toContain("side by side");
  });

  it("compares the smallest and largest history, page by page", () => {
    const table = growthTable([dataset("city-1y", 1, [m("booker", 1, 10)]), dataset("city-5y", 5, [m("booker", 1, 15)])], pages, [1])!;
    expect(table).toContain("p50 1y @1");
    expect(table).toMatch(/Booker dashboard \| +10\.0 \| +15\.0 \| +1\.50× \|/);
  });

  it("says when, on what and how, and gives every data set and goal", () => {
    const d1 = dataset("city-1y", 1, [m("floor", 10, 10), m("booker", 10, 20), m("impact", 10, 50, 90)]);
    const d5 = dataset("city-5y", 5, [m("floor", 10, 10), m("booker", 10, 21), m("impact", 10, 55, 95)]);
    const cores = coresRun(200, 340);
    const checks = checkGoals([d1, d5], pages, { cores });
    const md = renderMarkdown(
      {
        date: new Date("2026-03-02T10:15:00Z"),
        machine: { cpuModel: "Test CPU", cpuCount: 2, totalMemoryBytes: 4096 * MB, os: "Linux", node: "v20.19.0" },
        load: { min: 1.9, max: 6.5 },
        tool: "autocannon 9.0.0",
        durationSeconds: 5,
        warmupSeconds: 1,
        settleSeconds: 0,
        warmupConnections: 10,
        connections: [1, 10, 50],
        dataNote: "the city-scale seed",
      },
      [d1, d5],
      pages,
      checks,
      cores,
    );
    expect(md).toContain("2026-03-02 10:15 UTC");
    expect(md).toContain("Test CPU × 2, 4096 MB memory");
    expect(md).toContain("Other work was running");
    expect(md).toContain("## city-1y");
    expect(md).toContain("## city-5y");
    expect(md).toContain("## Growth with history");
    expect(md).toContain(`**PASS** Impact report and compliance dashboard under ${GOAL_LIMITS.reportP95Ms} ms p95`);
    expect(md).toContain("Slowest at 10 connections: Impact report (p95 95.0 ms)");
    expect(md).not.toContain("Fewer answers came back");
    expect(md).toContain("- **Reference, × bare:** the bare Remix page is `GET /` on bench/bare");
    expect(md).toContain("- **One process and every core:** after the first data set's pages, the floor alone for 5 s at 20 connections");
    expect(md).toContain("## One process and every core");
    expect(md).toContain("With every core the server answered 1.70× as many requests a second as with one.");
    expect(md).toContain("**PASS** With every core, the floor's throughput at 20 connections at least 1.70× one process's");
    expect(renderMarkdown(runInfo(), [d1], pages, [])).not.toContain("## One process and every core");
    // The steady state comes first only when the servers were run to it.
    expect(md).not.toContain("**Steady state:**");
    expect(renderMarkdown(runInfo(), [d1], pages, [])).toContain(
      "each server (the app's, then the bare page's) answers every page it serves, mixed, at 10 connections for 30 s",
    );
  });

  it("counts a run too slow to make as missing the goal, not as an error", () => {
    const skipped = { ...m("impact", 10, Number.NaN), requests: 0, skippedSeconds: 400, peakRss: null };
    const d = dataset("city-5y", 5, [m("floor", 10, 10), skipped]);
    expect(failures([d])).toEqual([]);
    expect(checkGoals([d], pages).find((c) => c.goal.includes("Impact report"))!.status).toBe("FAIL");
    expect(resultsTable(d, pages)).toContain("not run (≈400 s queued)");
  });

  it("lists the statuses of unexpected answers", () => {
    const erring = { ...m("impact", 50, 4000), bad: 24, statuses: { "500": 24 } };
    expect(failures([dataset("city-1y", 1, [erring])], pages)).toEqual(["city-1y: Impact report at 50 connections: 24 of 100 answers unexpected (24 × 500)"]);
  });

  it("marks a run that had to wait for every connection's answer", () => {
    const slow = { ...m("impact", 50, 4000, 5000), extended: true };
    const d = dataset("city-5y", 5, [m("floor", 50, 10), slow]);
    expect(resultsTable(d, pages)).toMatch(/\| Impact report +\| +50\* \|/);
  });
});
