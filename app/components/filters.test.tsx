// @vitest-environment jsdom
import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { FilterDate, FilterSelect, recordOptions } from "./filters.tsx";

describe("list filters", () => {
  it("a choice starts with the unfiltered option and shows the one in the address", () => {
    render(<FilterSelect id="phone-filter-course" name="course" label="Course" anyLabel="All courses" value={2} options={recordOptions(COURSES)} />);
    const select = screen.getByLabelText("Course") as HTMLSelectElement;
    expect(select.id).toBe("phone-filter-course");
    expect(select.name).toBe("course");
    expect(Array.from(select.options).map((o) => [o.value, o.text])).toEqual([
      ["", "All courses"],
      ["1", "Active Bystander"],
      ["2", "Consent"],
    ]);
    expect(select.value).toBe("2");
  });

  it("a date keeps what was typed and says beside it why it could not be used", () => {
    render(<FilterDate name="to" label="To" value="2018-01-01" problem="The end is before the start." hintId="dates-hint" />);
    const to = screen.getByLabelText("To") as HTMLInputElement;
    expect(to.value).toBe("2018-01-01");
    expect(to.getAttribute("aria-invalid")).toBe("true");
    expect(document.getElementById(to.getAttribute("aria-describedby") ?? "")?.textContent).toBe("The end is before the start.");
  });

  it("a date with nothing wrong is read with the range's hint", () => {
    render(<FilterDate name="from" label="From" value={undefined} hintId="dates-hint" />);
    const from = screen.getByLabelText("From");
    expect(from.getAttribute("aria-invalid")).toBeNull();
    expect(from.getAttribute("aria-describedby")).toBe("dates-hint");
  });
});

const COURSES = [
  { id: 1, name: "Active Bystander" },
  { id: 2, name: "Consent" },
];
