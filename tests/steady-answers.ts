import { setSteadyAnswerClockForTests } from "#app/utils/steady-answer.server.ts";

const pauses: number[] = [];

/**
 * Times public answers on a clock that stands still and whose pauses pass at once, each one
 * recorded: a test sees how long an answer was held without sitting through it. The test setup
 * puts it in before every test.
 */
export function recordSteadyAnswerPauses(): void {
  pauses.length = 0;
  setSteadyAnswerClockForTests({
    now: () => 0,
    pause: async (ms) => {
      pauses.push(ms);
    },
  });
}

/** The pauses public answers took in this test so far, oldest first, in milliseconds. */
export const steadyAnswerPauses = (): number[] => [...pauses];
