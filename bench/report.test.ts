import {
  checkGoals,
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
  type DatasetResult,
  type Measurement,
  type PageSpec,
  type RunInfo,
} from "./report.ts";

const MB = 1024 * 1024;

const pages: PageSpec[] = [
  { id: "floor", title: "Floor", kind: "floor", how: "GET /privacy-notice" },
  { id: "booker", title: "Booker dashboard", kind: "interactive", how: "GET /booker" },
  { id: "impact", title: "Impact report", kind: "report", how: "GET /reports/impact" },
];

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

describe("goals", () => {
  const byGoal = (checks: ReturnType<typeof checkGoals>, word: string) => checks.find((c) => c.goal.includes(word))!;

  it("judges the 3× goal and growth with the floor measured beside each page", () => {
    const beside = (page: Measurement, p50: number) => ({ ...page, floorAlongside: { p50, p95: p50 * 2 } });
    // Against the floor's early runs (5 ms, 40 ms) the booker looks 4× slower; beside it the floor was slow too.
    const oneYear = dataset("city-1y", 1, [m("floor", 1, 5), m("floor", 10, 40), beside(m("booker", 1, 10), 5), beside(m("booker", 10, 160), 60)]);
    const fiveYears = dataset("city-5y", 5, [m("floor", 1, 5), m("floor", 10, 40), beside(m("booker", 1, 20), 10), beside(m("booker", 10, 160), 60)]);
    const checks = checkGoals([oneYear, fiveYears], pages);
    expect(byGoal(checks, "within").status).toBe("PASS");
    // 10 → 20 ms, but the floor beside went 5 → 10: no growth.
    expect(byGoal(checks, "grows").status).toBe("PASS");
    // Without the floors beside, the same figures fail both.
    const plain = (d: DatasetResult) => ({ ...d, measurements: d.measurements.map(({ floorAlongside: _, ...rest }) => rest) });
    const without = checkGoals([plain(oneYear), plain(fiveYears)], pages);
    expect(byGoal(without, "within").status).toBe("FAIL");
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

  it("passes a page within 3× of the floor at 10 connections and fails one beyond, at p50 or p95", () => {
    const ok = dataset("city-1y", 1, [m("floor", 10, 10, 20), m("booker", 10, 29, 59)]);
    expect(byGoal(checkGoals([ok], pages), "interactive").status).toBe("PASS");
    const slowTail = dataset("city-1y", 1, [m("floor", 10, 10, 20), m("booker", 10, 12, 61)]);
    const check = byGoal(checkGoals([slowTail], pages), "interactive");
    expect(check.status).toBe("FAIL");
    expect(check.details[0]).toContain("Booker dashboard");
    expect(check.details[0]).toContain("3.05×");
  });

  it("judges a report's p95 by the median of its turns, and says so beside the p95 over every answer", () => {
    const turn = (p95: number) => ({ p50: p95 / 2, p95, floorP50: 10, floorP95: 20 });
    const burst = { ...m("impact", 10, 90, 230), turns: [150, 160, 420, 155, 150].map(turn) };
    expect(judgedP95(burst)).toBe(155);
    const check = byGoal(checkGoals([dataset("city-5y", 5, [m("floor", 10, 10, 20), burst])], pages), "Impact report");
    expect(check.status).toBe("PASS");
    expect(check.details).toEqual([expect.stringContaining("p95 155 ms (median of 5 turns; 230 ms over every answer)")]);
    const slow = { ...burst, turns: [150, 210, 420, 205, 150].map(turn) };
    expect(byGoal(checkGoals([dataset("city-5y", 5, [m("floor", 10, 10, 20), slow])], pages), "Impact report").status).toBe("FAIL");
  });

  it("checks the reports' p95 against 200 ms on city-scale data only", () => {
    const city = dataset("city-5y", 5, [m("impact", 10, 80, 199)]);
    expect(byGoal(checkGoals([city], pages), "Impact report").status).toBe("PASS");
    const slow = dataset("city-5y", 5, [m("impact", 10, 80, 240)]);
    expect(byGoal(checkGoals([slow], pages), "Impact report").status).toBe("FAIL");
    const demo = dataset("demo", null, [m("impact", 10, 80, 900)], false);
    expect(byGoal(checkGoals([demo], pages), "Impact report").status).toBe("NOT CHECKED");
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
    const d1 = dataset("city-1y", 1, [m("floor", 10, 10), m("booker", 10, 20), m("impact", 10, 50, 150)]);
    const d5 = dataset("city-5y", 5, [m("floor", 10, 10), m("booker", 10, 21), m("impact", 10, 55, 160)]);
    const checks = checkGoals([d1, d5], pages);
    const md = renderMarkdown(
      {
        date: new Date("2026-03-02T10:15:00Z"),
        machine: { cpuModel: "Test CPU", cpuCount: 2, totalMemoryBytes: 4096 * MB, os: "Linux", node: "v20.19.0" },
        load: { min: 1.9, max: 6.5 },
        tool: "autocannon 9.0.0",
        durationSeconds: 5,
        warmupSeconds: 1,
        connections: [1, 10, 50],
        dataNote: "the city-scale seed",
      },
      [d1, d5],
      pages,
      checks,
    );
    expect(md).toContain("2026-03-02 10:15 UTC");
    expect(md).toContain("Test CPU × 2, 4096 MB memory");
    expect(md).toContain("Other work was running");
    expect(md).toContain("## city-1y");
    expect(md).toContain("## city-5y");
    expect(md).toContain("## Growth with history");
    expect(md).toContain(`**PASS** Impact report and compliance dashboard under ${GOAL_LIMITS.reportP95Ms} ms p95`);
    expect(md).toContain("Slowest at 10 connections: Impact report (p95 150 ms)");
    expect(md).not.toContain("Fewer answers came back");
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
