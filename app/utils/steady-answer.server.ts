/**
 * Public forms whose work differs by what is on file (an email is written for a known address,
 * nothing for an unknown one) answer no sooner than a fixed time after the request arrived, so how
 * long the answer takes tells nothing either. The work is done before answering, as usual; the time
 * is chosen well above what the work takes, so the answer's time is the same for everyone.
 */
export const STEADY_ANSWER_MS = 400;

/** What an answer's time is read from and waited on. */
export interface SteadyAnswerClock {
  /** Milliseconds from any fixed point. */
  now(): number;
  pause(ms: number): Promise<void>;
}

const realClock: SteadyAnswerClock = {
  now: () => performance.now(),
  pause: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

let clock = realClock;

/** For tests: answers timed on `replacement`, so a test can see the pause without sitting through it; none puts the real clock back. */
export function setSteadyAnswerClockForTests(replacement?: SteadyAnswerClock): void {
  clock = replacement ?? realClock;
}

/** Runs `work` and returns its result (or throws its error) no sooner than `ms` after it started. */
export async function answerAfter<T>(work: () => Promise<T>, ms = STEADY_ANSWER_MS): Promise<T> {
  const started = clock.now();
  try {
    return await work();
  } finally {
    const left = ms - (clock.now() - started);
    if (left > 0) await clock.pause(left);
  }
}
