import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { answerAfter, setSteadyAnswerClockForTests, STEADY_ANSWER_MS } from "./steady-answer.server.ts";

// The real clock (performance.now and setTimeout), on fake timers: time is moved on, not waited for.
beforeEach(() => {
  setSteadyAnswerClockForTests();
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Work that takes `ms` and then gives `result`, or fails with it when it is an Error. */
const work = (ms: number, result: unknown) => () =>
  new Promise((resolve, reject) => setTimeout(() => (result instanceof Error ? reject(result) : resolve(result)), ms));

/** Whether a promise has settled yet, and how. */
function watch(promise: Promise<unknown>) {
  const state: { settled: boolean; value?: unknown; error?: unknown } = { settled: false };
  promise.then(
    (value) => Object.assign(state, { settled: true, value }),
    (error: unknown) => Object.assign(state, { settled: true, error }),
  );
  return state;
}

describe("answerAfter", () => {
  it("gives quick work's result no sooner than the steady time after it began", async () => {
    const answer = watch(answerAfter(work(150, "done")));
    await vi.advanceTimersByTimeAsync(STEADY_ANSWER_MS - 1);
    expect(answer.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(answer).toEqual({ settled: true, value: "done" });
  });

  it("holds a failure just as long, then throws the same error", async () => {
    const failure = new Error("no such address");
    const answer = watch(answerAfter(work(10, failure)));
    await vi.advanceTimersByTimeAsync(STEADY_ANSWER_MS - 1);
    expect(answer.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(answer.error).toBe(failure);
  });

  it("adds nothing to work that takes longer than the steady time", async () => {
    const answer = watch(answerAfter(work(STEADY_ANSWER_MS + 100, "slow")));
    await vi.advanceTimersByTimeAsync(STEADY_ANSWER_MS + 100);
    expect(answer).toEqual({ settled: true, value: "slow" });
  });

  it("takes another time when given one", async () => {
    const answer = watch(answerAfter(work(0, "done"), 50));
    await vi.advanceTimersByTimeAsync(49);
    expect(answer.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(answer.settled).toBe(true);
  });
});
