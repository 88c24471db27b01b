/**
 * Several server processes on one port (WEB_CONCURRENCY), under node:cluster: this primary process
 * starts them, starts another when one dies, and stops them all when it is told to stop. It serves
 * nothing itself. See docs/decisions/018.
 */

/**
 * The command-line flags each server process starts with: the primary's own, and, when the processes
 * are as many as the machine's cores, each collecting its garbage on its own thread.
 *
 * V8 gives every process helper threads for collecting, as many as the machine has cores, and a
 * process uses them while its main thread runs on: one busy process kept 1.15 of two cores busy.
 * With a process per core every core already runs a process's main thread, and the helpers of one
 * take turns on the cores the others need. Given its own thread, each process's collection costs
 * what it costs, once. Fewer processes than cores leave cores free for the helpers, which then
 * shorten each pause, so the flags are left as they are. A flag about it given by hand wins.
 */
export function serverProcessFlags(execArgv: readonly string[], count: number, cores: number): string[] {
  const chosen = execArgv.some((flag) => /^--(no-)?single[-_]threaded[-_]gc$/.test(flag));
  return count >= cores && !chosen ? [...execArgv, "--single-threaded-gc"] : [...execArgv];
}

/** What the supervisor needs of a cluster worker. */
export interface ServerProcess {
  process: { pid?: number; kill(signal: NodeJS.Signals): boolean };
}

export interface SupervisorOptions<W extends ServerProcess> {
  count: number;
  /** Starts one server process (cluster.fork). */
  start: () => W;
  /** Registers for the end of any server process (cluster's "exit" event). */
  onEnd: (listener: (worker: W, code: number | null, signal: NodeJS.Signals | null) => void) => void;
  log: (line: string) => void;
  /** Ends this process (process.exit). */
  exit: (code: number) => void;
  /** Milliseconds now, for counting recent restarts. */
  clock?: () => number;
}

/**
 * A process that keeps dying (a bad setting, a database that is gone) is not restarted for ever: past
 * this many restarts within the window, everything stops with a failure, for the service manager to see.
 */
export const RESTART_LIMIT = { restarts: 5, withinMs: 60_000 };

export interface Supervisor {
  /** Passes the signal on to every server process, and ends once they all have (exit code 0). */
  stop(signal: NodeJS.Signals): void;
}

export function superviseServerProcesses<W extends ServerProcess>(options: SupervisorOptions<W>): Supervisor {
  const { log, exit } = options;
  const clock = options.clock ?? Date.now;
  const running = new Set<W>();
  const restarts: number[] = [];
  let stopping = false;
  let exitCode = 0;

  const start = () => running.add(options.start());
  const stopAll = (signal: NodeJS.Signals) => {
    stopping = true;
    if (running.size === 0) exit(exitCode);
    for (const worker of running) worker.process.kill(signal);
  };

  options.onEnd((worker, code, signal) => {
    running.delete(worker);
    const pid = worker.process.pid;
    if (stopping) {
      if (running.size === 0) exit(exitCode);
      return;
    }
    // A server process ends with 0 only when it was told to stop and has finished its requests.
    if (code === 0) {
      log(`Server process ${pid} stopped.`);
      if (running.size === 0) exit(0);
      return;
    }
    const how = signal ? `was ended by ${signal}` : `failed (exit code ${code})`;
    const at = clock();
    while (restarts.length && restarts[0]! <= at - RESTART_LIMIT.withinMs) restarts.shift();
    if (restarts.length >= RESTART_LIMIT.restarts) {
      log(`Server process ${pid} ${how}, after ${restarts.length} restarts within ${RESTART_LIMIT.withinMs / 1000} seconds: stopping the others.`);
      exitCode = 1;
      stopAll("SIGTERM");
      return;
    }
    restarts.push(at);
    log(`Server process ${pid} ${how}; starting another.`);
    start();
  });

  log(`Starting ${options.count} server processes (this process, ${process.pid}, looks after them).`);
  for (let i = 0; i < options.count; i++) start();
  return {
    stop(signal) {
      if (stopping) return;
      log(`Stopping the ${running.size} server processes (${signal}).`);
      stopAll(signal);
    },
  };
}
