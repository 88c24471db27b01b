import { describe, expect, it } from "vitest";
import { RESTART_LIMIT, serverProcessFlags, superviseServerProcesses, type ServerProcess } from "./workers.ts";

type End = (worker: FakeProcess, code: number | null, signal: NodeJS.Signals | null) => void;

class FakeProcess implements ServerProcess {
  signals: NodeJS.Signals[] = [];
  process = {
    pid: 0,
    kill: (signal: NodeJS.Signals) => {
      this.signals.push(signal);
      return true;
    },
  };
  constructor(pid: number) {
    this.process.pid = pid;
  }
}

/** A supervisor over pretend server processes, with a clock the test moves. */
function supervised(count: number) {
  const started: FakeProcess[] = [];
  const lines: string[] = [];
  const exits: number[] = [];
  let end: End = () => {};
  let at = 0;
  const supervisor = superviseServerProcesses<FakeProcess>({
    count,
    start: () => {
      const p = new FakeProcess(1000 + started.length);
      started.push(p);
      return p;
    },
    onEnd: (listener) => {
      end = listener;
    },
    log: (line) => lines.push(line),
    exit: (code) => exits.push(code),
    clock: () => at,
  });
  const live = () => started.filter((p) => !ended.has(p));
  const ended = new Set<FakeProcess>();
  return {
    supervisor,
    started,
    lines,
    exits,
    live,
    end(p: FakeProcess, code: number | null, signal: NodeJS.Signals | null = null) {
      ended.add(p);
      end(p, code, signal);
    },
    advance(ms: number) {
      at += ms;
    },
  };
}

describe("several server processes", () => {
  it("starts as many as asked and replaces one that fails or is killed, saying so", () => {
    const s = supervised(2);
    expect(s.started).toHaveLength(2);
    s.end(s.started[0]!, 1);
    s.end(s.started[1]!, null, "SIGKILL");
    expect(s.live()).toHaveLength(2);
    expect(s.lines).toContain("Server process 1000 failed (exit code 1); starting another.");
    expect(s.lines).toContain("Server process 1001 was ended by SIGKILL; starting another.");
    expect(s.exits).toEqual([]);
  });

  it("does not replace one that stopped cleanly when told to, and ends when none is left", () => {
    const s = supervised(2);
    s.end(s.started[0]!, 0);
    expect(s.live()).toHaveLength(1);
    expect(s.exits).toEqual([]);
    s.end(s.started[1]!, 0);
    expect(s.started).toHaveLength(2);
    expect(s.exits).toEqual([0]);
  });

  it("on a stop, passes the signal to every process, replaces none, and ends once all have stopped", () => {
    const s = supervised(3);
    s.supervisor.stop("SIGTERM");
    s.supervisor.stop("SIGINT");
    expect(s.started.map((p) => p.signals)).toEqual([["SIGTERM"], ["SIGTERM"], ["SIGTERM"]]);
    s.end(s.started[0]!, 0);
    s.end(s.started[1]!, null, "SIGTERM");
    expect(s.exits).toEqual([]);
    s.end(s.started[2]!, 0);
    expect(s.started).toHaveLength(3);
    expect(s.exits).toEqual([0]);
  });

  it("gives up on processes that keep dying: past the limit it stops the others and fails", () => {
    const s = supervised(2);
    for (let i = 0; i < RESTART_LIMIT.restarts; i++) s.end(s.live()[0]!, 1);
    expect(s.live()).toHaveLength(2);
    s.end(s.live()[0]!, 1);
    expect(s.live()).toHaveLength(1);
    expect(s.live()[0]!.signals).toEqual(["SIGTERM"]);
    expect(s.lines.at(-1)).toMatch(/after 5 restarts within 60 seconds: stopping the others/);
    s.end(s.live()[0]!, 0);
    expect(s.exits).toEqual([1]);
  });

  it("keeps replacing processes that die now and then", () => {
    const s = supervised(2);
    for (let i = 0; i < RESTART_LIMIT.restarts * 3; i++) {
      s.advance(RESTART_LIMIT.withinMs / (RESTART_LIMIT.restarts - 1));
      s.end(s.live()[0]!, 1);
    }
    expect(s.live()).toHaveLength(2);
    expect(s.exits).toEqual([]);
  });
});

describe("the flags of each server process", () => {
  it("adds collecting on the process's own thread when the processes are as many as the cores, or more", () => {
    expect(serverProcessFlags(["--enable-source-maps"], 2, 2)).toEqual(["--enable-source-maps", "--single-threaded-gc"]);
    expect(serverProcessFlags([], 4, 2)).toEqual(["--single-threaded-gc"]);
  });

  it("leaves the flags alone when there are fewer processes than cores", () => {
    expect(serverProcessFlags(["--enable-source-maps"], 2, 8)).toEqual(["--enable-source-maps"]);
  });

  it("keeps a choice given by hand, either way", () => {
    expect(serverProcessFlags(["--no-single-threaded-gc"], 2, 2)).toEqual(["--no-single-threaded-gc"]);
    expect(serverProcessFlags(["--single_threaded_gc"], 2, 2)).toEqual(["--single_threaded_gc"]);
  });

  it("returns a new list, leaving the primary's own untouched", () => {
    const own = ["--enable-source-maps"];
    expect(serverProcessFlags(own, 2, 2)).not.toBe(own);
    expect(own).toEqual(["--enable-source-maps"]);
  });
});
