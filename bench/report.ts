/**
 * The arithmetic and the writing-up of `npm run bench`: percentiles from raw latencies, ratios to
 * the floor and to the bare Remix page, the goal checks and the Markdown for docs/benchmarks.md. No I/O here.
 */

/**
 * What a page is, for the goals: the floor, a page a person waits on, a report, a feed a calendar app
 * polls, or the reference (the bare Remix page on its own server: what the framework alone costs).
 */
export type PageKind = "floor" | "interactive" | "report" | "feed" | "reference";

export interface PageSpec {
  id: string;
  title: string;
  kind: PageKind;
  /** Shown in the report, e.g. "GET /booker as the booker". */
  how: string;
  /**
   * Answered no sooner than this many milliseconds after the request arrives, on purpose (the
   * registration POST's steady answer): the goal against the bare page judges its p50 less this.
   */
  steadyMs?: number;
}

export interface Measurement {
  page: string;
  connections: number;
  requests: number;
  /** Requests that were answered but not as expected (a page not 2xx; a POST not 2xx or a redirect). */
  bad: number;
  /** How many of each unexpected status, e.g. { "500": 24 }. */
  statuses: Record<string, number>;
  /** Connection errors and timeouts. */
  errors: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  /**
   * True when the timed run got fewer answers than connections (the page was that slow), and it was
   * run again until every connection had one answer: all of them queued at once.
   */
  extended: boolean;
  /** Not run, because it would have queued about this many seconds of work on the server. */
  skippedSeconds: number | null;
  /** Highest resident memory of the server seen while this ran, in bytes; null where it cannot be read. */
  peakRss: number | null;
  /**
   * The floor measured in turns with this run, at the same number of connections, on the same server.
   * A shared machine's speed drifts over a run of several minutes; a page is compared with the floor
   * measured beside it, not with one measured minutes earlier.
   */
  floorAlongside?: { p50: number; p95: number };
  /**
   * Each turn of the page and the floor beside it, in order: the page's p50 and p95 in that turn and
   * the floor's in the turn just before it. The ratios and the reports' p95 are the median over the
   * turns, so a burst of other work on a shared machine during one turn does not decide a goal.
   */
  turns?: Turn[];
}

export interface Turn {
  p50: number;
  p95: number;
  floorP50: number;
  floorP95: number;
}

export interface DatasetCounts {
  sessions: number;
  deliveredSessions: number;
  registrations: number;
  attendances: number;
  headCounted: number;
  bookingRequests: number;
  feedback: number;
  leaders: number;
  leaderAppointments: number;
}

export interface DatasetResult {
  /** "city-1y", "city-5y", "demo". */
  name: string;
  label: string;
  /** Which database served it: the same rows on each when both are measured. */
  database: "SQLite" | "PostgreSQL";
  /** Years of history, when the data set was built with a number of years. */
  years: number | null;
  /** True for the city-scale data the goals are stated for. */
  cityScale: boolean;
  counts: DatasetCounts;
  measurements: Measurement[];
  /** The server's own high-water mark (VmHWM) over the whole data set, in bytes. */
  peakRss: number | null;
}

/** The floor at one connection count on a server of one or more processes, for the one-process and all-cores comparison. */
export interface ProcessesRun {
  /** Server processes that served (WEB_CONCURRENCY): 1 is the server alone; more are workers under node:cluster. */
  processes: number;
  requests: number;
  /** Answers not as expected, and connection errors or timeouts. */
  bad: number;
  errors: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  /** The largest high-water mark (VmHWM) among the processes that served, in bytes; null where it cannot be read. */
  peakRss: number | null;
  /** CPU time over the measured run, in seconds: what the machine had, and what the server and the load tool took of it. */
  cpu?: {
    /** The run's length. */
    seconds: number;
    /** All the server's processes together (under node:cluster the primary too); null where it cannot be read. */
    server: number | null;
    /** The benchmark's own process, where the load tool runs. */
    loadTool: number;
    /** The cores the machine offers (available parallelism). */
    cores: number;
  };
}

/** The server's CPU time per answer in a run, in ms; null where not measured. */
export function cpuPerAnswerMs(r: ProcessesRun): number | null {
  return r.cpu && r.cpu.server !== null && r.requests > 0 ? (1000 * r.cpu.server) / r.requests : null;
}

/**
 * The most the all-cores run could answer on this machine, as a multiple of one process's rate: every
 * core's time over the run, less what the load tool took, spent at one process's CPU per answer.
 * Null where the CPU times were not measured.
 */
export function coresCeiling(c: CoresResult): number | null {
  const perAnswer = cpuPerAnswerMs(c.one);
  const cpu = c.all.cpu;
  if (perAnswer === null || !cpu || !(c.one.rps > 0)) return null;
  const serverSeconds = cpu.cores * cpu.seconds - cpu.loadTool;
  return (1000 * serverSeconds) / perAnswer / cpu.seconds / c.one.rps;
}

/** The floor measured on the same data with one server process and with one per core. */
export interface CoresResult {
  /** The data set's name, e.g. "city-1y". */
  dataset: string;
  connections: number;
  durationSeconds: number;
  one: ProcessesRun;
  all: ProcessesRun;
}

export interface GoalCheck {
  goal: string;
  status: "PASS" | "FAIL" | "NOT CHECKED";
  details: string[];
}

export interface Limits {
  /** The floor's p50 at most this many times the bare Remix page's. */
  floorBareMultiple: number;
  /** Every interactive page's and report's p50 at most this many times the bare Remix page's, on city-scale data. */
  bareMultiple: number;
  reportP95Ms: number;
  growthRatio: number;
  /** Below this difference (ms) a 5-year page is "no slower" whatever the ratio: timer noise on a fast page. */
  growthSlackMs: number;
  /** With one server process per core, the floor's throughput at least this many times one process's. */
  coresSpeedup: number;
  /** Every page's p99 under this many times its p50 at the tail connection count. */
  tailMultiple: number;
  /** Per server process. */
  memoryBytes: number;
  /** The connection count the latency goals are stated at, the one for memory and the one for the tail. */
  latencyConnections: number;
  memoryConnections: number;
  tailConnections: number;
  /** Cost with history is compared at this concurrency, where latency is the work alone and not queueing. */
  growthConnections: number;
  /** The one-process and all-cores runs of the floor are made at this many connections. */
  coresConnections: number;
}

export const GOAL_LIMITS: Limits = {
  floorBareMultiple: 2,
  bareMultiple: 6,
  reportP95Ms: 100,
  growthRatio: 1.5,
  growthSlackMs: 2,
  coresSpeedup: 1.7,
  tailMultiple: 3,
  memoryBytes: 300 * 1024 * 1024,
  latencyConnections: 10,
  memoryConnections: 50,
  tailConnections: 50,
  growthConnections: 1,
  coresConnections: 20,
};

function nearestRank(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((q / 100) * sorted.length))) - 1]!;
}

/** Nearest-rank percentile of unsorted samples: the smallest value with at least q% of them at or below it. */
export function percentile(samples: readonly number[], q: number): number {
  return nearestRank(
    [...samples].sort((a, b) => a - b),
    q,
  );
}

export function latencySummary(samples: readonly number[]): { p50: number; p95: number; p99: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: nearestRank(sorted, 50), p95: nearestRank(sorted, 95), p99: nearestRank(sorted, 99) };
}

function find(ms: readonly Measurement[], page: string, connections: number) {
  return ms.find((m) => m.page === page && m.connections === connections);
}

/** The floor a page is compared with: the one measured beside it, else the floor's own run at the same number of connections. */
function floorFor(ms: readonly Measurement[], floorId: string, m: Measurement): { p50: number; p95: number } | undefined {
  return m.floorAlongside ?? find(ms, floorId, m.connections);
}

/** The middle value (the mean of the middle two for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const usableTurns = (m: Measurement) => (m.turns ?? []).filter((t) => t.p50 > 0 && t.p95 > 0 && t.floorP50 > 0 && t.floorP95 > 0);

/**
 * A page's p50 and p95 over the floor's at the same number of connections. Measured in turns with
 * the floor, it is the median of each turn's ratio to the floor just before it; otherwise the whole
 * run over the floor's run. With `lessMs`, the page's times are taken less that much first (no lower
 * than 0): a page that waits that long on purpose is judged on the rest.
 */
export function floorRatio(ms: readonly Measurement[], floorId: string, m: Measurement, lessMs = 0): { p50: number; p95: number } | null {
  const less = (v: number) => Math.max(0, v - lessMs);
  const turns = usableTurns(m);
  if (turns.length) return { p50: median(turns.map((t) => less(t.p50) / t.floorP50)), p95: median(turns.map((t) => less(t.p95) / t.floorP95)) };
  const floor = floorFor(ms, floorId, m);
  if (!floor || !(floor.p50 > 0) || !(floor.p95 > 0)) return null;
  return { p50: less(m.p50) / floor.p50, p95: less(m.p95) / floor.p95 };
}

/**
 * A page's p50 and p95 over the bare Remix page's at the same number of connections. Both are
 * measured beside the app's floor (in turns at 1 and 10 connections), so the ratio is the page's ratio
 * to the floor over the bare page's, and the machine's drift between the two runs cancels; for the
 * floor itself it is 1 over the bare page's ratio to the floor. `lessMs` as for floorRatio, on the page only.
 */
export function bareRatio(ms: readonly Measurement[], floorId: string, bareId: string, m: Measurement, lessMs = 0): { p50: number; p95: number } | null {
  const bare = find(ms, bareId, m.connections);
  // A bare page not run has no times (NaN), so no ratio.
  const b = bare ? floorRatio(ms, floorId, bare) : null;
  if (!b || !(b.p50 > 0) || !(b.p95 > 0)) return null;
  if (m.page === floorId) return { p50: 1 / b.p50, p95: 1 / b.p95 };
  const r = floorRatio(ms, floorId, m, lessMs);
  return r && { p50: r.p50 / b.p50, p95: r.p95 / b.p95 };
}

/** All cores' throughput over one process's, for the floor on the same data. */
export function coresSpeedup(c: CoresResult): number {
  return c.all.rps / c.one.rps;
}

/** The p95 a report is judged by: the median of its turns' p95 where it was measured in turns, else the run's. */
export function judgedP95(m: Measurement): number {
  const turns = usableTurns(m);
  return turns.length ? median(turns.map((t) => t.p95)) : m.p95;
}

/** Peak server memory over the runs at one connection count. */
export function peakAt(ms: readonly Measurement[], connections: number): number | null {
  const values = ms.filter((m) => m.connections === connections && m.peakRss !== null).map((m) => m.peakRss!);
  return values.length ? Math.max(...values) : null;
}

export function statusText(statuses: Record<string, number>): string {
  const parts = Object.entries(statuses).map(([status, n]) => `${n} × ${status}`);
  return parts.length ? parts.join(", ") : "none";
}

export function failures(datasets: readonly DatasetResult[], pages: readonly PageSpec[] = []): string[] {
  const title = (id: string) => pages.find((p) => p.id === id)?.title ?? id;
  return datasets.flatMap((d) =>
    d.measurements
      .filter((m) => m.bad > 0 || m.errors > 0 || (m.requests === 0 && m.skippedSeconds === null))
      .map(
        (m) =>
          `${d.name}: ${title(m.page)} at ${m.connections} connections: ${m.bad} of ${m.requests} answers unexpected (${statusText(m.statuses)})${m.errors ? `, ${m.errors} connection errors or timeouts` : ""}${m.requests === 0 && !m.errors ? ", no answers" : ""}`,
      ),
  );
}

const ms1 = (n: number) => (Number.isFinite(n) ? (n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : n.toFixed(0)) : "–");
const x2 = (n: number | undefined) => (n === undefined || !Number.isFinite(n) ? "–" : `${n.toFixed(2)}×`);
export const megabytes = (bytes: number | null) => (bytes === null ? "n/a" : `${Math.round(bytes / (1024 * 1024))} MB`);

/** The years apart data sets to compare for growth: the smallest and the largest number of years, on the first data set's database. */
export function growthPair(datasets: readonly DatasetResult[]): [DatasetResult, DatasetResult] | null {
  const database = datasets[0]?.database;
  const withYears = datasets.filter((d) => d.years !== null && d.database === database).sort((a, b) => a.years! - b.years!);
  if (withYears.length < 2) return null;
  const first = withYears[0]!;
  const last = withYears[withYears.length - 1]!;
  return first.years === last.years ? null : [first, last];
}

export interface GoalOptions {
  /** The floor with one server process and with one per core, where that was measured. */
  cores?: CoresResult | null;
  limits?: Limits;
}

export function checkGoals(datasets: readonly DatasetResult[], pages: readonly PageSpec[], options: GoalOptions = {}): GoalCheck[] {
  const limits = options.limits ?? GOAL_LIMITS;
  const cores = options.cores ?? null;
  const floor = pages.find((p) => p.kind === "floor");
  const bare = pages.find((p) => p.kind === "reference");
  const references = new Set(pages.filter((p) => p.kind === "reference").map((p) => p.id));
  const title = (id: string) => pages.find((p) => p.id === id)?.title ?? id;
  const notRun = (d: DatasetResult, id: string, m: Measurement) =>
    `${d.name}: ${title(id)} was not run (about ${Math.round(m.skippedSeconds ?? 0)} s of queued work)`;
  const checks: GoalCheck[] = [];

  // 1. The floor (the app's page shell and navigation, no data) near the bare Remix page, both measured beside the floor in the same run.
  {
    const details: string[] = [];
    let measured = 0;
    let failed = 0;
    for (const d of datasets) {
      const m = floor ? find(d.measurements, floor.id, limits.latencyConnections) : undefined;
      const r = m && floor && bare ? bareRatio(d.measurements, floor.id, bare.id, m) : null;
      if (!r) continue;
      measured++;
      const ok = r.p50 <= limits.floorBareMultiple;
      if (!ok) failed++;
      const turns = usableTurns(find(d.measurements, bare!.id, limits.latencyConnections)!).length;
      details.push(
        `${d.name}: the floor's p50 is ${x2(r.p50)} the bare page's${turns ? ` (median of ${turns} turns, each beside the floor)` : ""}${ok ? "" : " (over)"}`,
      );
    }
    checks.push({
      goal: `The floor's p50 within ${limits.floorBareMultiple}× the bare Remix page's at ${limits.latencyConnections} connections, in the same run`,
      status: measured === 0 ? "NOT CHECKED" : failed ? "FAIL" : "PASS",
      details: measured === 0 ? [`The bare Remix page and the floor were not both measured at ${limits.latencyConnections} connections.`] : details,
    });
  }

  // 2. Interactive pages and reports within N× the bare Remix page's p50 on city-scale data. A page that
  // waits on purpose before answering (the registration POST) is judged on its p50 less that wait.
  {
    const details: string[] = [];
    let measured = 0;
    let failed = 0;
    for (const d of datasets.filter((d) => d.cityScale)) {
      for (const p of pages.filter((p) => p.kind === "interactive" || p.kind === "report")) {
        const m = find(d.measurements, p.id, limits.latencyConnections);
        if (m && m.skippedSeconds !== null) {
          measured++;
          failed++;
          details.push(notRun(d, p.id, m));
          continue;
        }
        const r = m && floor && bare ? bareRatio(d.measurements, floor.id, bare.id, m, p.steadyMs ?? 0) : null;
        if (!r) continue;
        measured++;
        const ok = r.p50 <= limits.bareMultiple;
        if (!ok) failed++;
        if (p.steadyMs)
          details.push(
            `${d.name}: ${title(p.id)} is judged on its p50 less the ${p.steadyMs} ms it waits on purpose before answering (the same for everyone, so not work): ${x2(r.p50)} the bare page's p50 (${ms1(m!.p50)} ms in all)${ok ? "" : " (over)"}`,
          );
        else if (!ok) details.push(`${d.name}: ${title(p.id)} is ${x2(r.p50)} the bare page's p50 (${ms1(m!.p50)} ms)`);
      }
    }
    if (measured > 0 && !failed) details.unshift(`${measured} page measurements within ${limits.bareMultiple}×.`);
    checks.push({
      goal: `Every interactive page and both reports within ${limits.bareMultiple}× the bare Remix page's p50 at ${limits.latencyConnections} connections on city-scale data`,
      status: measured === 0 ? "NOT CHECKED" : failed ? "FAIL" : "PASS",
      details:
        measured > 0
          ? details
          : datasets.some((d) => d.cityScale)
            ? ["No interactive page or report was measured beside the floor and the bare Remix page."]
            : ["No city-scale data set was measured."],
    });
  }

  // 3. The reports under a p95 on city-scale data.
  {
    const details: string[] = [];
    let measured = 0;
    let failed = 0;
    for (const d of datasets.filter((d) => d.cityScale)) {
      for (const p of pages.filter((p) => p.kind === "report")) {
        const m = find(d.measurements, p.id, limits.latencyConnections);
        if (!m) continue;
        measured++;
        if (m.skippedSeconds !== null) {
          failed++;
          details.push(notRun(d, p.id, m));
          continue;
        }
        const p95 = judgedP95(m);
        const ok = p95 < limits.reportP95Ms;
        if (!ok) failed++;
        const turns = usableTurns(m).length;
        details.push(
          `${d.name}: ${title(p.id)} p95 ${ms1(p95)} ms${turns ? ` (median of ${turns} turns; ${ms1(m.p95)} ms over every answer)` : ""}${ok ? "" : " (over)"}`,
        );
      }
    }
    checks.push({
      goal: `Impact report and compliance dashboard under ${limits.reportP95Ms} ms p95 at ${limits.latencyConnections} connections on city-scale data`,
      status: measured === 0 ? "NOT CHECKED" : failed ? "FAIL" : "PASS",
      details: measured === 0 ? ["No city-scale data set was measured."] : details,
    });
  }

  // 4. No page slower with five times the history. The two data sets are measured minutes apart, and a
  // shared machine drifts in between: each page is judged by its cost over the floor's in the same run
  // (the floor renders no data at all, so it is the yardstick; its own change is the machine's drift).
  {
    const pair = growthPair(datasets);
    const details: string[] = [];
    let failed = 0;
    if (pair) {
      const [small, large] = pair;
      const floorA = floor ? find(small.measurements, floor.id, limits.growthConnections) : undefined;
      const floorB = floor ? find(large.measurements, floor.id, limits.growthConnections) : undefined;
      for (const p of pages) {
        // The floor is the yardstick; the bare page's server holds no data.
        if (p.kind === "floor" || p.kind === "reference") continue;
        const a = find(small.measurements, p.id, limits.growthConnections);
        const b = find(large.measurements, p.id, limits.growthConnections);
        if (!a || !b) continue;
        // A page that waits on purpose before answering (the registration POST) is judged on the rest
        // of its time, as against the bare page, and as it is: its work is done within the wait, so the
        // little after it is not work that runs faster or slower with the machine, and scaling it by the
        // floor's drift would count the drift as growth.
        const lessMs = p.steadyMs ?? 0;
        const workA = Math.max(0, a.p50 - lessMs);
        const workB = Math.max(0, b.p50 - lessMs);
        if (!(workA > 0)) continue;
        // The machine's drift: the floor beside each of the two runs where there is one. Measured in
        // turns, each page's cost over the floor is the median over its turns, so the drift is the
        // change in the page's own p50 less the change in that cost.
        const costA = floor ? floorRatio(small.measurements, floor.id, a) : null;
        const costB = floor ? floorRatio(large.measurements, floor.id, b) : null;
        const beforeA = floor ? floorFor(small.measurements, floor.id, a) : undefined;
        const beforeB = floor ? floorFor(large.measurements, floor.id, b) : undefined;
        const paired = usableTurns(a).length > 0 && usableTurns(b).length > 0 && costA && costB;
        const ratio = lessMs ? workB / workA : paired ? costB.p50 / costA.p50 : b.p50 / a.p50 / (beforeA && beforeB ? beforeB.p50 / beforeA.p50 : 1);
        const drift = workB / workA / ratio;
        if (ratio > limits.growthRatio && workB - workA * drift > limits.growthSlackMs) {
          failed++;
          details.push(
            `${title(p.id)}: p50 ${ms1(a.p50)} ms with ${small.years} year(s), ${ms1(b.p50)} ms with ${large.years} (${
              lessMs ? `less the ${lessMs} ms it waits on purpose, ${x2(ratio)}, with no drift taken out` : `${x2(ratio)} after the floor's ${x2(drift)}`
            })`,
          );
        }
      }
      if (floorA && floorB)
        details.push(
          `The floor moved ${x2(floorB.p50 / floorA.p50)} between the two runs (${ms1(floorA.p50)} → ${ms1(floorB.p50)} ms): the machine's drift, taken out of each page's change (using the floor measured beside each page where there is one).`,
        );
      if (!failed)
        details.push(
          `No page's p50 at ${limits.growthConnections} connection(s) rose more than ${x2(limits.growthRatio)} from ${small.years} to ${large.years} years of history.`,
        );
    }
    checks.push({
      goal: `No page's cost grows with total history (p50 at ${limits.growthConnections} connection(s) over the floor's, ${pair ? `${pair[0].years} vs ${pair[1].years} years` : "two data sets"}, at most ${x2(limits.growthRatio)} or ${limits.growthSlackMs} ms)`,
      status: pair ? (failed ? "FAIL" : "PASS") : "NOT CHECKED",
      details: pair ? details : ["Needs two data sets with different years of history."],
    });
  }

  // 5. One server process per core serves more than one process does: the floor on the same data.
  {
    const ratio = cores ? coresSpeedup(cores) : Number.NaN;
    const ok = ratio >= limits.coresSpeedup;
    const measured = cores !== null && cores.all.processes > 1;
    checks.push({
      goal: `With every core, the floor's throughput at ${limits.coresConnections} connections at least ${x2(limits.coresSpeedup)} one process's`,
      status: !measured ? "NOT CHECKED" : ok ? "PASS" : "FAIL",
      details: !cores
        ? ["The floor was not measured with one server process and with one per core."]
        : !measured
          ? ["The machine has one core: there is nothing to compare one process with."]
          : [
              `${cores.dataset}: one process ${cores.one.rps.toFixed(0)} req/s (p50 ${ms1(cores.one.p50)} ms), ${cores.all.processes} processes ${cores.all.rps.toFixed(0)} req/s (p50 ${ms1(cores.all.p50)} ms): ${x2(ratio)}${ok ? "" : " (under)"}`,
              ...coresCpuLines(cores),
            ],
    });
  }

  // 6. No long tail: p99 near p50 under load, page by page. The app's pages: the bare page is served
  // by remix-serve, not the app's server, and is given beside them for comparison.
  {
    const details: string[] = [];
    const reference: string[] = [];
    let measured = 0;
    let failed = 0;
    for (const d of datasets) {
      for (const p of pages) {
        const m = find(d.measurements, p.id, limits.tailConnections);
        if (!m) continue;
        if (references.has(p.id)) {
          if (m.skippedSeconds === null)
            reference.push(
              `${d.name}: ${title(p.id)}, served by remix-serve, not judged: p99 ${ms1(m.p99)} ms, ${x2(m.p99 / m.p50)} its p50 of ${ms1(m.p50)} ms`,
            );
          continue;
        }
        measured++;
        if (m.skippedSeconds !== null) {
          failed++;
          details.push(notRun(d, p.id, m));
          continue;
        }
        const ratio = m.p99 / m.p50;
        if (!(ratio < limits.tailMultiple)) {
          failed++;
          details.push(`${d.name}: ${title(p.id)} p99 ${ms1(m.p99)} ms, ${x2(ratio)} its p50 of ${ms1(m.p50)} ms`);
        }
      }
    }
    if (measured > 0 && !failed) details.push(`${measured} page measurements with p99 under ${limits.tailMultiple}× their p50.`);
    checks.push({
      goal: `Every page's p99 under ${limits.tailMultiple}× its p50 at ${limits.tailConnections} connections`,
      status: measured === 0 ? "NOT CHECKED" : failed ? "FAIL" : "PASS",
      details: measured === 0 ? [`Nothing was run at ${limits.tailConnections} connections.`] : [...details, ...reference],
    });
  }

  // 7. Memory per server process: the app's server at the memory connection count (the bare page's
  // server is not the app's), and the largest process of the all-cores run.
  {
    const details: string[] = [];
    let measured = 0;
    let failed = 0;
    const own = (d: DatasetResult) => d.measurements.filter((m) => !references.has(m.page));
    const ran = datasets.some((d) => own(d).some((m) => m.connections === limits.memoryConnections));
    for (const d of datasets) {
      const peak = peakAt(own(d), limits.memoryConnections);
      if (peak === null) continue;
      measured++;
      const ok = peak < limits.memoryBytes;
      if (!ok) failed++;
      details.push(`${d.name}: peak ${megabytes(peak)} resident${ok ? "" : " (over)"}`);
    }
    if (cores && cores.all.peakRss !== null) {
      measured++;
      const ok = cores.all.peakRss < limits.memoryBytes;
      if (!ok) failed++;
      details.push(
        `${cores.dataset}, ${cores.all.processes} processes at ${cores.connections} connections: the largest process peaked at ${megabytes(cores.all.peakRss)} resident${ok ? "" : " (over)"}`,
      );
    } else if (cores) details.push("The all-cores run's processes' memory could not be read on this system.");
    checks.push({
      goal: `Server memory under ${megabytes(limits.memoryBytes)} per process at ${limits.memoryConnections} connections, and in the all-cores run`,
      status: measured === 0 ? "NOT CHECKED" : failed ? "FAIL" : "PASS",
      details:
        measured > 0
          ? details
          : ran || cores
            ? ["The server's memory could not be read on this system."]
            : [`Nothing was run at ${limits.memoryConnections} connections.`],
    });
  }
  return checks;
}

/** Rows of a Markdown table, with the columns padded so it reads in a terminal too. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[], rightAligned: readonly number[] = []): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length), 3));
  const cell = (s: string, i: number) => (rightAligned.includes(i) ? s.padStart(widths[i]!) : s.padEnd(widths[i]!));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => cell(c, i)).join(" | ")} |`;
  const rule = `| ${widths.map((w, i) => (rightAligned.includes(i) ? `${"-".repeat(w - 1)}:` : "-".repeat(w))).join(" | ")} |`;
  return [line(header), rule, ...rows.map(line)].join("\n");
}

export function resultsTable(d: DatasetResult, pages: readonly PageSpec[]): string {
  const floor = pages.find((p) => p.kind === "floor");
  const bare = pages.find((p) => p.kind === "reference");
  const rows: string[][] = [];
  for (const p of pages) {
    for (const m of d.measurements.filter((m) => m.page === p.id).sort((a, b) => a.connections - b.connections)) {
      if (m.skippedSeconds !== null) {
        rows.push([p.title, String(m.connections), "–", "–", "–", "–", "–", "–", "–", "–", "–", `not run (≈${Math.round(m.skippedSeconds)} s queued)`]);
        continue;
      }
      const r = floor ? floorRatio(d.measurements, floor.id, m) : null;
      const b = floor && bare ? bareRatio(d.measurements, floor.id, bare.id, m) : null;
      rows.push([
        p.title,
        `${m.connections}${m.extended ? "*" : ""}`,
        m.rps.toFixed(1),
        ms1(m.p50),
        ms1(m.p95),
        ms1(m.p99),
        x2(r?.p50),
        x2(r?.p95),
        x2(b?.p50),
        m.floorAlongside ? `${ms1(m.floorAlongside.p50)} / ${ms1(m.floorAlongside.p95)}` : "–",
        megabytes(m.peakRss),
        m.bad || m.errors ? `${m.bad + m.errors} of ${m.requests}` : "0",
      ]);
    }
  }
  return markdownTable(
    ["page", "conns", "req/s", "p50 ms", "p95 ms", "p99 ms", "p50 × floor", "p95 × floor", "p50 × bare", "floor beside, p50 / p95 ms", "peak RSS", "failed"],
    rows,
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
  );
}

export function countsTable(datasets: readonly DatasetResult[]): string {
  const n = (v: number) => v.toLocaleString("en-GB");
  return markdownTable(
    [
      "data set",
      "sessions",
      "delivered",
      "registrations",
      "attended (named)",
      "head-counted",
      "booking requests",
      "feedback answers",
      "leaders",
      "leader appointments",
    ],
    datasets.map((d) => [
      d.label,
      n(d.counts.sessions),
      n(d.counts.deliveredSessions),
      n(d.counts.registrations),
      n(d.counts.attendances),
      n(d.counts.headCounted),
      n(d.counts.bookingRequests),
      n(d.counts.feedback),
      n(d.counts.leaders),
      n(d.counts.leaderAppointments),
    ]),
    [1, 2, 3, 4, 5, 6, 7, 8, 9],
  );
}

export function growthTable(datasets: readonly DatasetResult[], pages: readonly PageSpec[], connections: readonly number[]): string | null {
  const pair = growthPair(datasets);
  if (!pair) return null;
  const [small, large] = pair;
  const header = ["page"];
  for (const c of connections) header.push(`p50 ${small.years}y @${c}`, `p50 ${large.years}y @${c}`, `ratio @${c}`);
  const rows = pages.map((p) => {
    const row = [p.title];
    for (const c of connections) {
      const a = find(small.measurements, p.id, c);
      const b = find(large.measurements, p.id, c);
      row.push(a ? ms1(a.p50) : "–", b ? ms1(b.p50) : "–", a && b ? x2(b.p50 / a.p50) : "–");
    }
    return row;
  });
  return markdownTable(header, rows, header.map((_, i) => i).slice(1));
}

/** Each data set measured on both databases: its pages' p50 and throughput on SQLite and on PostgreSQL, side by side. */
export function databasesTable(datasets: readonly DatasetResult[], pages: readonly PageSpec[], connections: readonly number[]): string | null {
  const pairs = datasets
    .filter((d) => d.database === "SQLite")
    .flatMap((a) => {
      const b = datasets.find((d) => d.database === "PostgreSQL" && d.years === a.years && d.cityScale === a.cityScale);
      return b ? [[a, b] as const] : [];
    });
  if (!pairs.length) return null;
  const header = ["data set", "page"];
  for (const c of connections) header.push(`SQLite p50 @${c}`, `PostgreSQL p50 @${c}`, `req/s @${c} SQLite / PostgreSQL`);
  const rows = pairs.flatMap(([a, b]) =>
    pages.map((p) => {
      const row = [a.label, p.title];
      for (const c of connections) {
        const x = find(a.measurements, p.id, c);
        const y = find(b.measurements, p.id, c);
        const rps = (m: Measurement | undefined) => (m && Number.isFinite(m.rps) ? m.rps.toFixed(0) : "–");
        row.push(x ? ms1(x.p50) : "–", y ? ms1(y.p50) : "–", `${rps(x)} / ${rps(y)}`);
      }
      return row;
    }),
  );
  return markdownTable(header, rows, header.map((_, i) => i).slice(2));
}

/** What the two runs took of the machine's CPU, and the ceiling that puts on all cores over one. */
export function coresCpuLines(c: CoresResult): string[] {
  const one = cpuPerAnswerMs(c.one);
  const all = cpuPerAnswerMs(c.all);
  const cpu = c.all.cpu;
  const ceiling = coresCeiling(c);
  if (one === null || all === null || !cpu || ceiling === null) return [];
  const busy = ((cpu.server ?? 0) + cpu.loadTool) / cpu.seconds;
  return [
    `CPU per answer: ${ms1(one)} ms with one process, ${ms1(all)} ms with ${c.all.processes}; with ${c.all.processes} the server and the load tool kept ${busy.toFixed(2)} of the machine's ${cpu.cores} cores busy (the load tool ${(cpu.loadTool / cpu.seconds).toFixed(2)})`,
    `The most this machine could give: its cores less the load tool's share, at one process's CPU per answer, is ${x2(ceiling)} one process's rate`,
  ];
}

/** The floor with one server process and with one per core, and all cores' throughput over one's. */
export function coresTable(c: CoresResult): string {
  const cores = (r: ProcessesRun) => (r.cpu && r.cpu.server !== null ? (r.cpu.server / r.cpu.seconds).toFixed(2) : "–");
  const perAnswer = (r: ProcessesRun) => {
    const ms = cpuPerAnswerMs(r);
    return ms === null ? "–" : ms1(ms);
  };
  const row = (r: ProcessesRun) => [
    r.processes === 1 ? "one process" : `${r.processes} processes (node:cluster)`,
    r.rps.toFixed(1),
    ms1(r.p50),
    ms1(r.p95),
    ms1(r.p99),
    cores(r),
    perAnswer(r),
    megabytes(r.peakRss),
    r.bad || r.errors ? `${r.bad + r.errors} of ${r.requests}` : "0",
  ];
  return markdownTable(
    ["server", "req/s", "p50 ms", "p95 ms", "p99 ms", "server's cores busy", "CPU ms per answer", "largest process's peak RSS", "failed"],
    [row(c.one), row(c.all), ["all over one", x2(coresSpeedup(c)), x2(c.all.p50 / c.one.p50), "", "", "", "", "", ""]],
    [1, 2, 3, 4, 5, 6, 7, 8],
  );
}

export function goalLines(checks: readonly GoalCheck[]): string {
  return checks.map((c) => [`- **${c.status}** ${c.goal}`, ...c.details.map((d) => `  - ${d}`)].join("\n")).join("\n");
}

/** The slowest pages at one connection count, slowest first, by p95. */
export function slowest(d: DatasetResult, pages: readonly PageSpec[], connections: number, count = 3): string[] {
  return d.measurements
    .filter((m) => m.connections === connections)
    .sort((a, b) => b.p95 - a.p95)
    .slice(0, count)
    .map((m) => `${pages.find((p) => p.id === m.page)?.title ?? m.page} (p95 ${ms1(m.p95)} ms)`);
}

export interface RunInfo {
  date: Date;
  machine: { cpuModel: string; cpuCount: number; totalMemoryBytes: number; os: string; node: string };
  /** The lowest and highest one-minute load average seen during the measurements: other work on the machine skews the figures. */
  load: { min: number; max: number } | null;
  tool: string;
  durationSeconds: number;
  warmupSeconds: number;
  /** Seconds each data set's servers ran, every page mixed, before anything was measured (0: not at all). */
  settleSeconds: number;
  /** Connections for a page's warm-up and for settling a server. */
  warmupConnections: number;
  connections: number[];
  /** e.g. "the city-scale seed", or the note that the demo data stood in for it. */
  dataNote: string;
}

export function renderMarkdown(
  run: RunInfo,
  datasets: readonly DatasetResult[],
  pages: readonly PageSpec[],
  checks: readonly GoalCheck[],
  cores: CoresResult | null = null,
): string {
  const m = run.machine;
  const out: string[] = [];
  out.push("# Benchmarks", "");
  out.push(
    `Measured by \`npm run bench\` on ${run.date.toISOString().slice(0, 16).replace("T", " ")} UTC. Do not edit by hand: run it again.`,
    "",
    `- **Machine:** ${m.cpuModel} × ${m.cpuCount}, ${megabytes(m.totalMemoryBytes).replace(" MB", "")} MB memory, ${m.os}, Node ${m.node}.`,
    `- **Load:** ${run.tool} on the same machine, against the production build served by the app's own server (NODE_ENV=production, background jobs off, one process), and against the bare Remix page served beside it by remix-serve. Each page for ${run.durationSeconds} s at each of ${run.connections.join(", ")} connections, after a ${run.warmupSeconds} s warm-up.`,
    ...(run.settleSeconds > 0
      ? [
          `- **Steady state:** a new server's code is optimised over its first minute or so, far past a page's warm-up, so before anything on a data set is measured each server (the app's, then the bare page's) answers every page it serves, mixed, at ${run.warmupConnections} connections for ${run.settleSeconds} s, as a deployed server has been doing. The one-process and every-core servers are new and have warm-ups of their own (below).`,
        ]
      : []),
    `- **Data:** ${run.dataNote}`,
    ...(run.load
      ? [
          `- **Load on the machine:** one-minute load average ${run.load.min.toFixed(1)} to ${run.load.max.toFixed(1)} during the measurements, on ${m.cpuCount} cores; the server and the load tool account for about 2 of it${
            run.load.max > m.cpuCount + 2 ? ". Other work was running, so these figures are slower and noisier than the machine can do." : "."
          }`,
        ]
      : []),
    "- **Latency** is from each request's own time (p50 / p95 / p99 over every response in the run); **peak RSS** is the server process's highest resident memory sampled every 100 ms during that run.",
    "- **× floor:** at 1 and 10 connections each page is measured in turns with the floor on the same server (a floor turn, then a page turn, five times, each a fifth of the time); the floor beside column pools the floor's turns. The ratio is the median of the five turns' ratios to the floor just before each, so the machine's drift over a run of several minutes, and a burst of other work during one turn, count neither for nor against a page. Without turns (50 connections) it is the page's run over the floor's own run.",
    "- **Reports' p95:** the goal takes the median of the five turns' p95 for the same reason; the goal lines give it beside the p95 over every answer, which is the table's.",
    "- **Reference, × bare:** the bare Remix page is `GET /` on bench/bare, a Remix app with the same Remix, React, Vite and future flags as the app: one route of 12 paragraphs, no loader, no session, no styles, built by the benchmark and served by remix-serve (`@remix-run/serve`) on a port of its own. It is measured like any page, in turns with the app's floor at 1 and 10 connections and alone at 50. A page's **p50 × bare** is its ratio to the floor over the bare page's ratio to the floor, both measured beside the floor, so the drift between the two runs cancels; for the floor it is 1 over the bare page's ratio. It is what a page costs over what Remix itself costs to answer a request.",
    `- **One process and every core:** after the first data set's pages, the floor alone for ${run.durationSeconds} s at ${GOAL_LIMITS.coresConnections} connections on a new server with one process (WEB_CONCURRENCY=1), after a warm-up of at least 5 s, then on one with a process per core (WEB_CONCURRENCY set to the machine's available parallelism, under node:cluster), after a warm-up of as many requests for each process as the one process had, on the same data. Memory there is the largest process's high-water mark (VmHWM).`,
    "",
  );
  out.push(
    "## Pages",
    "",
    markdownTable(
      ["page", "what is requested", "kind"],
      pages.map((p) => [p.title, p.how, p.kind]),
    ),
    "",
  );
  out.push("## Data sets", "", countsTable(datasets), "");
  for (const d of datasets) {
    out.push(`## ${d.label}`, "", resultsTable(d, pages), "");
    if (d.measurements.some((m) => m.skippedSeconds !== null)) {
      out.push(
        "Not run: a page so slow that this many connections would leave the server more than the allowed time of queued work (`--max-queue`, seconds), judged from its figures at fewer connections.",
        "",
      );
    }
    if (d.measurements.some((m) => m.extended)) {
      out.push(
        `\\* Too slow to answer every connection within ${run.durationSeconds} s, so this run went on until each connection had one answer: that many people opening the page at once.`,
        "",
      );
    }
    out.push(`Server peak resident memory over the whole data set: ${megabytes(d.peakRss)}.`, "");
    const at10 = slowest(d, pages, GOAL_LIMITS.latencyConnections);
    if (at10.length) out.push(`Slowest at ${GOAL_LIMITS.latencyConnections} connections: ${at10.join(", ")}.`, "");
  }
  const growth = growthTable(
    datasets,
    pages,
    run.connections.filter((c) => c <= GOAL_LIMITS.latencyConnections),
  );
  if (growth)
    out.push(
      "## Growth with history",
      "",
      "The same pages with more years of history behind them. A page that shows one term should not slow down.",
      "",
      growth,
      "",
    );
  const both = databasesTable(
    datasets,
    pages,
    run.connections.filter((c) => c <= GOAL_LIMITS.latencyConnections),
  );
  if (both)
    out.push(
      "## SQLite and PostgreSQL side by side",
      "",
      "The same seeded rows served from the SQLite file and, copied in, from PostgreSQL on the same machine (its server sharing the two cores), by one app process each; the goals below are judged on each data set, on each database.",
      "",
      both,
      "",
    );
  if (cores)
    out.push(
      "## One process and every core",
      "",
      `The floor on ${cores.dataset} at ${cores.connections} connections for ${cores.durationSeconds} s, on a server of one process and on one of ${cores.all.processes} (one per core), each started anew and warmed up. With every core the server answered ${x2(coresSpeedup(cores))} as many requests a second as with one.`,
      "",
      coresTable(cores),
      "",
    );
  out.push("## Goals", "", goalLines(checks), "");
  out.push(
    "## Reading these figures",
    "",
    "- The load tool runs on the same machine as the server and takes a core of its own; on a two-core machine the server has one core. Other work on the machine shows up as noise, most at 1 connection where few requests are counted.",
    "- At 1 connection a page's latency is its cost alone; at 10 and 50 it includes waiting behind other requests, since one Node process serves them in turn.",
    "- The bare Remix page's server, remix-serve, is Express with compression and an access log, as the app's own server is; it holds no data and no session. So × bare is what the app adds to the framework on every request (the layout, the session, the queries, the rendering of real pages), whatever the machine's speed.",
    "- With every core, the load tool still runs on the same machine and takes part of a core itself: on two cores the server's processes share what is left, so the all-cores figure here is below what the same processes would do with the cores to themselves. The table gives the server's CPU time per answer and how many cores it kept busy; one process alone keeps more than one busy, since V8 collects garbage and compiles on threads of its own. The goal's lines give the most the machine could give: every core's time less the load tool's, spent at one process's CPU per answer.",
    "- Before each run the benchmark waits for the server to be idle, since requests still queued when the load tool stops would otherwise land on the next run. A run is skipped when, from the page's figures at fewer connections, it would queue more than `--max-queue` seconds of work.",
    "- Resident memory seldom shrinks, so a run's peak includes what earlier runs left behind; each data set starts a new server, which first requests every page once to check it answers.",
    "- With a page slower than a few hundred milliseconds, a run at 1 connection has only a handful of answers, so its p95 and p99 are those few answers, not a distribution.",
    "- The registration POST signs up a new person each time (distinct name and email) to one open session with its places raised so it never fills; each one writes the registration and its confirmation email.",
    "",
  );
  return out.join("\n");
}
