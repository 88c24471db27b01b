import { describe, expect, it } from "vitest";
import { DEFAULT_RETENTION, dueAt, retentionCutoffs, RetentionSchema } from "./retention.ts";

const at = new Date("2030-03-31T10:00:00.000Z");

describe("retention periods", () => {
  it("cut each category off its period before now, to the millisecond, at the end of a shorter month where the day is missing", () => {
    const cut = retentionCutoffs(DEFAULT_RETENTION, at);
    expect(cut.registrations.toISOString()).toBe("2027-03-31T10:00:00.000Z");
    expect(cut.feedbackText.toISOString()).toBe("2028-03-31T10:00:00.000Z");
    expect(cut.emailBodies.toISOString()).toBe("2029-03-31T10:00:00.000Z");
    expect(cut.auditEntries.toISOString()).toBe("2024-03-31T10:00:00.000Z");
    expect(cut.expiredTokens.toISOString()).toBe("2030-03-01T10:00:00.000Z");
    expect(retentionCutoffs({ ...DEFAULT_RETENTION, auditMonths: 71 }, at).auditEntries.toISOString()).toBe("2024-04-30T10:00:00.000Z");
  });

  it("say when something still kept falls due", () => {
    expect(dueAt("registrations", "2027-04-01T12:00:00.000Z", DEFAULT_RETENTION).toISOString()).toBe("2030-04-01T12:00:00.000Z");
    expect(dueAt("expiredTokens", "2030-03-10T00:00:00.000Z", DEFAULT_RETENTION).toISOString()).toBe("2030-04-09T00:00:00.000Z");
  });

  it("are whole numbers in range, with registrations kept for at least a year", () => {
    const parse = (over: Record<string, string>) =>
      RetentionSchema.safeParse({ ...Object.fromEntries(Object.entries(DEFAULT_RETENTION).map(([k, v]) => [k, String(v)])), ...over });
    expect(parse({}).success).toBe(true);
    expect(parse({ registrationsMonths: "6" }).error?.issues[0]?.message).toMatch(/at least 12 months/);
    expect(parse({ auditMonths: "1.5" }).error?.issues[0]?.message).toMatch(/whole number/);
    expect(parse({ expiredTokensDays: "0" }).error?.issues[0]?.message).toMatch(/at least 1 day/);
    expect(parse({ emailBodiesMonths: "" }).success).toBe(false);
  });
});
