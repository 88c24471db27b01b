// @vitest-environment jsdom
import { getFormProps } from "@conform-to/react";
import { act, fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { CheckboxField, DateAndTime, ErrorSummary, SelectField, TextareaField, TextField } from "./field.tsx";
import { useSchemaForm } from "./schema-form.ts";

const LeaderSchema = z.object({
  group: z.string({ message: "Give the group." }),
  role: z.string({ message: "Choose a role." }),
  notes: z.string({ message: "Say something." }),
  isPresident: z.literal("on", { message: "Tick it." }),
});

function LeaderForm() {
  const [form, fields] = useSchemaForm(LeaderSchema, { id: "leader", shouldValidate: "onSubmit" });
  return (
    <form {...getFormProps(form)}>
      <TextField meta={fields.group} label="Group" hint="The club or society." suggestions={["Chess Club", "Hall Reps"]} />
      <SelectField meta={fields.role} label="Role" placeholder="Choose a role" options={[{ value: "1", label: "Hall rep" }]} />
      <TextareaField meta={fields.notes} label="Notes" optional />
      <CheckboxField meta={fields.isPresident} label="President or chair" hint="Copied on reminders." />
      <button type="submit">Save</button>
    </form>
  );
}

const describedBy = (label: string) => screen.getByLabelText(label, { exact: false }).getAttribute("aria-describedby")?.split(" ") ?? [];

describe("the form fields", () => {
  it("name each control by its label, read its hint with it, and offer the suggestions given", () => {
    render(<LeaderForm />);
    expect(describedBy("Group")).toEqual(["leader-group-hint"]);
    expect(screen.getByText("The club or society.").id).toBe("leader-group-hint");
    const list = document.getElementById(screen.getByLabelText("Group").getAttribute("list") ?? "");
    expect(Array.from(list?.querySelectorAll("option") ?? []).map((o) => o.value)).toEqual(["Chess Club", "Hall Reps"]);
    expect(screen.getByLabelText("Notes", { exact: false }).tagName).toBe("TEXTAREA");
    expect(screen.getByText("(optional)")).toBeTruthy();
    expect(describedBy("President or chair")).toEqual(["leader-isPresident-hint"]);
    expect(screen.getByRole("option", { name: "Choose a role" })).toBeTruthy();
  });

  it("put each field's errors beside it and tie them to the control", async () => {
    render(<LeaderForm />);
    await act(async () => {
      fireEvent.click(screen.getByRole("button", { name: "Save" }));
    });
    const expected: [string, string][] = [
      ["Group", "Give the group."],
      ["Role", "Choose a role."],
      ["Notes", "Say something."],
      ["President or chair", "Tick it."],
    ];
    for (const [label, message] of expected) {
      const errorList = screen.getByText(message).closest("ul");
      expect(describedBy(label)).toContain(errorList?.id);
      expect(screen.getByLabelText(label, { exact: false }).getAttribute("aria-invalid")).toBe("true");
    }
  });
});

const SessionSchema = z.object({
  title: z.string().optional(),
  date: z.string({ message: "Give the date." }),
  time: z.string({ message: "Give the start time." }),
});

function SessionForm() {
  const [form, fields] = useSchemaForm(SessionSchema, { id: "session" });
  return (
    <form {...getFormProps(form)}>
      <ErrorSummary form={form} fields={fields} labels={{ date: "Date", time: "Start time" }} />
      <TextField meta={fields.title} label="Title" optional />
      <DateAndTime date={fields.date} time={fields.time} />
      <button type="submit">Open</button>
    </form>
  );
}

describe("the list of problems at the top of a long form", () => {
  it("appears once the form is sent, naming each field wrong and linking to it", async () => {
    render(<SessionForm />);
    // A field left empty says so beside itself; the list waits until the form is sent.
    await act(async () => {
      fireEvent.focusOut(screen.getByLabelText("Date"));
    });
    expect(screen.getByText("Give the date.")).toBeTruthy();
    expect(screen.queryByText("Some answers need another look:")).toBeNull();
    await act(async () => {
      fireEvent.click(screen.getByRole("button", { name: "Open" }));
    });
    const links = screen.getAllByRole("link").map((a) => [a.textContent, a.getAttribute("href")]);
    expect(links).toEqual([
      ["Date: Give the date.", `#${screen.getByLabelText("Date").id}`],
      ["Start time: Give the start time.", `#${screen.getByLabelText("Start time").id}`],
    ]);
  });
});
