/**
 * `npm run test:any-day`: the unit and integration suite again with the whole process's clock
 * moved, so a test that only passes in some weeks of the year fails here on any day instead of in
 * December on somebody else's machine. libfaketime (Debian's `faketime`) moves every clock the
 * process reads: JavaScript's Date, SQLite's own, timers alike.
 *
 * Each moment is one that has caught date arithmetic out before: a year on from today, more than
 * a year back, the last minutes of an academic year in London (31 July, BST), and the night the
 * clocks go forward. A run with `--moment "2027-02-28 12:00:00"` tries one more.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";

const MOMENTS = [
  { label: "a year from today", faketime: ["-f", "+365d"] },
  { label: "the last minutes of an academic year", faketime: ["2027-07-31 22:50:00"] },
  { label: "the night the clocks go forward", faketime: ["2028-03-26 00:40:00"] },
  { label: "more than a year ago", faketime: ["-f", "-400d"] },
];

const extra = process.argv.indexOf("--moment");
const moments = extra > 0 ? [{ label: process.argv[extra + 1]!, faketime: [process.argv[extra + 1]!] }] : MOMENTS;

if (spawnSync("faketime", ["--version"], { stdio: "ignore" }).error) {
  console.error("These tests need libfaketime to move the clock: apt-get install -y faketime (bash .ci/run installs it).");
  process.exit(1);
}

const vitest = path.resolve(import.meta.dirname, "../node_modules/vitest/vitest.mjs");
for (const moment of moments) {
  console.log(`\nThe unit and integration tests at ${moment.label} (${moment.faketime.join(" ")}, UTC):`);
  // faketime starts the clock at that moment and lets it run on, so timers still fire.
  const result = spawnSync("faketime", [...moment.faketime, process.execPath, vitest, "run", "--reporter=dot"], {
    stdio: "inherit",
    env: { ...process.env, TZ: "UTC" },
  });
  if (result.status !== 0) {
    console.error(`\nThe tests fail at ${moment.label}: a test depends on today's date.`);
    process.exit(result.status ?? 1);
  }
}
