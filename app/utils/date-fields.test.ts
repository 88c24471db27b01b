import { parseWithZod } from "@conform-to/zod/v4";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { BookingRequestSchema } from "#app/bookings/schemas.ts";
import { ExternalCompletionSchema, EndAppointmentSchema, LeaderSchema, LeaderYearSchema } from "#app/compliance/schemas.ts";
import { termFromParam } from "#app/feedback/feedback.server.ts";
import { rangeProblem, ReportQuerySchema } from "#app/reports/period.ts";
import { CalendarQuerySchema } from "#app/scheduling/calendar-grid.ts";
import { SettingsSchema } from "#app/settings/schemas.ts";
import { OpenSessionSchema } from "#app/signup/schemas.ts";
import { AvailabilitySchema, TimeOffSchema } from "#app/trainers/schemas.ts";
import { pinClock } from "#tests/scheduling-fixtures.ts";
import { dateProblem, DateQuery, isRealDate, londonTimeProblem } from "./date-fields.ts";

describe("dateProblem", () => {
  it("accepts real days only, saying what is wrong with the rest", () => {
    expect(dateProblem("2026-10-31")).toBeNull();
    expect(dateProblem("2028-02-29")).toBeNull();
    expect(dateProblem("2026-02-30")).toBe("30 February 2026 does not exist: February has 28 days");
    expect(dateProblem("2027-02-29")).toBe("29 February 2027 does not exist: February has 28 days");
    expect(dateProblem("2026-04-31")).toBe("31 April 2026 does not exist: April has 30 days");
    expect(dateProblem("2026-13-01")).toMatch(/12 months/);
    expect(dateProblem("2026-00-10")).toMatch(/12 months/);
    expect(dateProblem("2026-01-00")).toMatch(/day of the month/);
    for (const v of ["", "31/10/2026", "2026-1-5", "2026-10-31T00:00", " 2026-10-31", "2026‐10‐31", "２０２６-10-31"])
      expect(dateProblem(v), v).toBe("Enter a date like 2026-10-31");
    expect(dateProblem("0001-01-01")).toMatch(/year from 1900/);
    expect(dateProblem("9999-12-31")).toMatch(/year from 1900/);
  });
});

describe("londonTimeProblem", () => {
  it("refuses the hour the clocks skip in March, in any year, and accepts the rest", () => {
    expect(londonTimeProblem("2026-03-29", "01:00")).toMatch(/^The clocks go forward at 01:00 on Sunday 29 March 2026, so 01:00 does not exist/);
    expect(londonTimeProblem("2026-03-29", "01:59")).toMatch(/01:59 does not exist/);
    expect(londonTimeProblem("2031-03-30", "01:30")).toMatch(/Sunday 30 March 2031/);
    for (const [d, t] of [
      ["2026-03-29", "00:59"],
      ["2026-03-29", "02:00"],
      ["2026-03-28", "01:30"],
      ["2026-10-25", "01:30"],
      ["2026-07-01", "01:30"],
    ]) {
      expect(londonTimeProblem(d!, t!), `${d} ${t}`).toBeNull();
    }
  });
});

/** What the page shows after a post: the error beside each field, and the value typed. */
function submit<S extends z.ZodType>(schema: S, fields: Record<string, string>) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  const submission = parseWithZod(form, { schema });
  const reply = submission.reply();
  return { status: submission.status, errors: reply.error ?? {}, typed: reply.initialValue ?? {} };
}

const openSession = {
  courseId: "1",
  date: "2031-06-04",
  time: "10:00",
  place: "address",
  address: "Hall",
  capacity: "20",
  policy: "anyone",
};
const booking = {
  organisationId: "1",
  courseId: "1",
  groupSize: "20",
  audience: "students",
  date1: "2031-06-04",
  time1: "10:00",
  date2: "2031-06-05",
  time2: "10:00",
  locationKind: "campus",
};

describe("every form's dates and times", () => {
  const cases: { form: string; schema: z.ZodType; valid: Record<string, string>; field: string; timeField?: string }[] = [
    { form: "open session", schema: OpenSessionSchema, valid: openSession, field: "date", timeField: "time" },
    {
      form: "open session deadline",
      schema: OpenSessionSchema,
      valid: { ...openSession, deadlineDate: "2031-06-03", deadlineTime: "12:00" },
      field: "deadlineDate",
      timeField: "deadlineTime",
    },
    { form: "booking request, first choice", schema: BookingRequestSchema, valid: booking, field: "date1", timeField: "time1" },
    { form: "booking request, second choice", schema: BookingRequestSchema, valid: booking, field: "date2", timeField: "time2" },
    {
      form: "booking request, third choice",
      schema: BookingRequestSchema,
      valid: { ...booking, date3: "2031-06-06", time3: "10:00" },
      field: "date3",
      timeField: "time3",
    },
    { form: "time off, first day", schema: TimeOffSchema, valid: { startDate: "2031-06-04" }, field: "startDate" },
    { form: "time off, last day", schema: TimeOffSchema, valid: { startDate: "2031-01-04", endDate: "2031-06-04" }, field: "endDate" },
    { form: "leader appointment", schema: LeaderSchema, valid: { name: "A B", email: "a@b.ac.uk", roleId: "1", startedOn: "2031-06-04" }, field: "startedOn" },
    {
      form: "training elsewhere",
      schema: ExternalCompletionSchema,
      valid: { personId: "1", courseId: "1", completedOn: "2031-06-04", provider: "Union" },
      field: "completedOn",
    },
    {
      form: "end of a role",
      schema: EndAppointmentSchema,
      valid: { personId: "1", appointmentId: "1", endedOn: "2031-06-04", reason: "Left" },
      field: "endedOn",
    },
    { form: "leader year deadline", schema: LeaderYearSchema, valid: { startYear: "2031", deadline: "2031-10-31" }, field: "deadline" },
  ];

  it.each(cases)("$form: accepts a real date", ({ schema, valid }) => {
    expect(submit(schema, valid).status).toBe("success");
  });

  it.each(cases)("$form: refuses 30 February beside the field, keeping what was typed", ({ schema, valid, field }) => {
    const year = field === "deadline" ? "2032" : "2031";
    const result = submit(schema, { ...valid, [field]: `${year}-02-30` });
    expect(result.status).toBe("error");
    const days = year === "2032" ? 29 : 28;
    expect(result.errors[field]).toEqual([`30 February ${year} does not exist: February has ${days} days`]);
    expect(result.typed[field]).toBe(`${year}-02-30`);
  });

  it.each(cases.filter((c) => c.timeField))("$form: refuses a time the spring-forward day skips, beside the time", ({ schema, valid, field, timeField }) => {
    const result = submit(schema, { ...valid, [field]: "2031-03-30", [timeField!]: "01:30" });
    expect(result.status).toBe("error");
    expect(result.errors[timeField!]).toEqual([
      expect.stringMatching(/^The clocks go forward at 01:00 on Sunday 30 March 2031, so 01:30 does not exist in the UK that day/),
    ]);
    expect(result.typed[timeField!]).toBe("01:30");
  });

  it.each(cases.filter((c) => c.timeField))("$form: refuses a time that is not one", ({ schema, valid, timeField }) => {
    for (const bad of ["24:00", "10:60", "9:00", "10.30"]) {
      expect(submit(schema, { ...valid, [timeField!]: bad }).errors[timeField!], bad).toEqual(["Enter a time like 14:00"]);
    }
  });

  it("weekly availability and working hours refuse times that are not times", () => {
    const availability = submit(AvailabilitySchema, { "windows[0].weekday": "1", "windows[0].startTime": "25:00", "windows[0].endTime": "17:00" });
    expect(availability.errors["windows[0].startTime"]).toEqual(["Enter a time like 14:00"]);
    const settings = submit(SettingsSchema, {
      workingDays: "1",
      workingHoursStart: "09:60",
      workingHoursEnd: "18:00",
      travelBufferMinutes: "30",
      reminderLeadHours: "24",
      bookerCancellationCutoffHours: "48",
      defaultMaxSessionsPerWeek: "4",
    });
    expect(settings.errors.workingHoursStart).toEqual(["Enter a time like 14:00"]);
  });
});

describe("dates in query strings", () => {
  it("use a real day or none at all", () => {
    expect(DateQuery.parse("2026-02-30")).toBeUndefined();
    expect(DateQuery.parse("2026-02-28")).toBe("2026-02-28");
    expect(ReportQuerySchema.parse({ from: "2026-02-30", to: "2026-04-31" })).toMatchObject({ from: undefined, to: undefined });
    expect(CalendarQuerySchema.parse({ date: "2026-02-30" }).date).toBeUndefined();
    expect(isRealDate("2026-02-30")).toBe(false);
  });

  it("the report's custom range says what is wrong beside each date", () => {
    expect(rangeProblem(new URLSearchParams({ year: "", from: "2026-02-30", to: "2026-04-31" }))).toEqual({
      from: "30 February 2026 does not exist: February has 28 days",
      to: "31 April 2026 does not exist: April has 30 days",
    });
  });

  it("the feedback results' term ignores a day that does not exist", () => {
    pinClock("2031-06-01T12:00:00Z");
    expect(termFromParam("2026-02-30")).toEqual(termFromParam(null));
    expect(termFromParam("2026-02-28")).not.toEqual(termFromParam(null));
  });
});

describe("domain functions given a date and time", () => {
  it("an open session refuses 30 February and a skipped hour itself, beside the right field", async () => {
    const { getDb } = await import("#app/db.server.ts");
    const { createOpenSession } = await import("#app/signup/open-sessions.server.ts");
    const { createCourse, createUser } = await import("#tests/factories.ts");
    const { RuleViolation } = await import("#app/utils/errors.ts");
    pinClock("2030-10-02T08:00:00Z");
    const db = getDb();
    const coordinator = await createUser(db, { roles: ["coordinator"] });
    const courseId = await createCourse(db);
    const input = { ...OpenSessionSchema.parse(openSession), courseId };
    const refusal = async (overrides: Partial<typeof input>) =>
      createOpenSession(db, coordinator, { ...input, ...overrides }).then(
        () => null,
        (err: unknown) => (err instanceof RuleViolation ? { field: err.field, message: err.message } : err),
      );
    expect(await refusal({ date: "2031-02-30" })).toEqual({ field: "date", message: "30 February 2031 does not exist: February has 28 days" });
    expect(await refusal({ date: "2031-03-30", time: "01:30" })).toEqual({ field: "time", message: expect.stringMatching(/01:30 does not exist/) });
    expect(await refusal({ deadlineDate: "2031-02-29", deadlineTime: "12:00" })).toEqual({
      field: "deadlineDate",
      message: expect.stringMatching(/29 February 2031 does not exist/),
    });
    const sessions = await db.selectFrom("sessions").select("id").where("course_id", "=", courseId).execute();
    expect(sessions).toEqual([]);
  });

  it("a booking request's preferred times say what is wrong beside each", async () => {
    const { checkPreferredTimes } = await import("#app/bookings/requests.server.ts");
    const { DEFAULT_SETTINGS } = await import("#app/settings/schemas.ts");
    const { ClosureCalendar } = await import("#app/scheduling/closures.server.ts");
    pinClock("2030-10-02T08:00:00Z");
    const input = { ...BookingRequestSchema.parse(booking), date1: "2031-02-30", date2: "2031-03-30", time2: "01:30", date3: "2031-06-06", time3: "25:00" };
    const { errors } = checkPreferredTimes(
      input,
      90,
      {
        ...DEFAULT_SETTINGS,
        workingDays: [1, 2, 3, 4, 5, 6, 7],
        workingHoursStart: "00:00",
        workingHoursEnd: "23:59",
      },
      new ClosureCalendar([]),
    );
    expect(errors).toEqual({
      date1: ["30 February 2031 does not exist: February has 28 days"],
      time2: [expect.stringMatching(/01:30 does not exist/)],
      time3: ["Enter a time like 14:00"],
    });
  });
});
