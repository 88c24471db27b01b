/**
 * Public forms whose work differs by what is on file (an email is written for a known address,
 * nothing for an unknown one) answer no sooner than a fixed time after the request arrived, so how
 * long the answer takes tells nothing either. The work is done before answering, as usual; the time
 * is chosen well above what the work takes, so the answer's time is the same for everyone.
 */
export const STEADY_ANSWER_MS = 400;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `work` and returns its result (or throws its error) no sooner than `ms` after it started. */
export async function answerAfter<T>(work: () => Promise<T>, ms = STEADY_ANSWER_MS): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    const left = ms - (performance.now() - started);
    if (left > 0) await pause(left);
  }
}
