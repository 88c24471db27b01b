import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { describe, expect, it } from "vitest";
import { formBody } from "#tests/factories.ts";
import { AvailabilitySchema, DeclineSchema, formatHours, TimeOffSchema } from "./schemas.ts";

describe("trainer form schemas", () => {
  it("tell the browser which fields must be filled in, so a form checks the same before it is sent", () => {
    expect(getZodConstraint(TimeOffSchema)).toEqual({ startDate: { required: true }, endDate: { required: false }, reason: { required: false } });
    expect(getZodConstraint(DeclineSchema)).toMatchObject({ reason: { required: true } });
    expect(getZodConstraint(AvailabilitySchema)).toMatchObject({
      "windows[].weekday": { required: true },
      "windows[].startTime": { required: true },
      "windows[].endTime": { required: true },
    });
  });

  it("read a decline's reason trimmed, and ask again beside the field for one too short to help the coordinator", () => {
    const given = parseWithZod(formBody({ sessionId: "12", reason: "  Clash with teaching  " }), { schema: DeclineSchema });
    expect(given.status === "success" && given.value).toEqual({ sessionId: 12, reason: "Clash with teaching" });
    const short = parseWithZod(formBody({ sessionId: "12", reason: " no " }), { schema: DeclineSchema });
    expect(short.reply().error).toEqual({ reason: ["Say why you cannot deliver it, so the coordinator can plan"] });
  });

  it("put an inverted window's error on its end time and an overlap on the later start", () => {
    const submission = parseWithZod(
      formBody({
        "windows[0].weekday": "2",
        "windows[0].startTime": "13:00",
        "windows[0].endTime": "17:00",
        "windows[1].weekday": "2",
        "windows[1].startTime": "09:00",
        "windows[1].endTime": "14:00",
        "windows[2].weekday": "5",
        "windows[2].startTime": "12:00",
        "windows[2].endTime": "10:00",
      }),
      { schema: AvailabilitySchema },
    );
    expect(submission.status).toBe("error");
    const error = submission.reply().error!;
    expect(error["windows[0].startTime"]?.[0]).toBe("Overlaps 09:00–14:00 on the same day");
    expect(error["windows[2].endTime"]?.[0]).toBe("End after the start time");
  });

  it("read a time off without a last day as a single day", () => {
    const single = parseWithZod(formBody({ startDate: "2030-03-10" }), { schema: TimeOffSchema });
    expect(single.status).toBe("success");
    const inverted = parseWithZod(formBody({ startDate: "2030-03-10", endDate: "2030-03-09" }), { schema: TimeOffSchema });
    expect(inverted.reply().error?.endDate?.[0]).toBe("The last day cannot be before the first day");
  });

  it("show hours to one decimal place", () => {
    expect(formatHours(0)).toBe("0");
    expect(formatHours(4.5)).toBe("4.5");
    expect(formatHours(10 / 3)).toBe("3.3");
  });
});
