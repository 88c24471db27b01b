import { expect } from "vitest";
import { RuleViolation } from "#app/utils/errors.ts";

/** The refusal a domain function answered with; the test fails when it succeeds or fails any other way. */
export async function rejection(promise: Promise<unknown>): Promise<RuleViolation> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RuleViolation);
  return err as RuleViolation;
}

/** A refusal about `field` that says what `message` matches. */
export async function expectViolation(promise: Promise<unknown>, field: string, message: RegExp) {
  const err = await rejection(promise);
  expect(err.field).toBe(field);
  expect(err.message).toMatch(message);
}
