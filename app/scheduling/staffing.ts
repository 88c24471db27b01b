import type { AssignmentStatus } from "#db/schema.ts";

/** Trainers who count towards a session's team: asked and not declined, or accepted. */
export const ACTIVE_ASSIGNMENTS = ["assigned", "accepted"] as const satisfies readonly AssignmentStatus[];

export const isActiveAssignment = (trainer: { status: string }) => (ACTIVE_ASSIGNMENTS as readonly string[]).includes(trainer.status);

export const activeTrainerCount = (trainers: readonly { status: string }[]) => trainers.filter(isActiveAssignment).length;

/**
 * How many more trainers a session needs: the number its course asks for, less those asked or
 * accepted. A session that is not scheduled (cancelled, delivered) needs nobody more.
 */
export function trainersMissing(session: { status: string; trainersNeeded: number }, activeTrainers: number): number {
  return session.status === "scheduled" ? Math.max(0, session.trainersNeeded - activeTrainers) : 0;
}

/** A scheduled session short of trainers: in the coordinator's queue, and marked on the calendar. */
export function isShortOfTrainers(session: { status: string; trainersNeeded: number; trainers: readonly { status: string }[] }): boolean {
  return trainersMissing(session, activeTrainerCount(session.trainers)) > 0;
}

const NUMBER_WORDS = ["no", "one", "two", "three", "four", "five", "six"];

/** "a trainer", "two trainers": whom to assign, in words. */
export function trainersToAssign(count: number): string {
  if (count === 1) return "a trainer";
  return `${NUMBER_WORDS[count] ?? count} trainers`;
}
