// @vitest-environment jsdom
import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { HistoryList } from "./history-list.tsx";

describe("a record's history", () => {
  it("lists each change with when it happened, in UK time", () => {
    render(
      <HistoryList
        events={[
          { id: 2, summary: "Rescheduled to Tue 14 Oct 2025", created_at: "2025-10-01T13:05:00.000Z" },
          { id: 1, summary: "Scheduled", created_at: "2025-01-10T09:30:00.000Z" },
        ]}
      />,
    );
    const items = screen.getAllByRole("listitem").map((li) => li.textContent);
    expect(items).toEqual([expect.stringMatching(/^Rescheduled to Tue 14 Oct 2025.*14:05/), expect.stringMatching(/^Scheduled.*09:30/)]);
  });

  it("says so when nothing has been recorded", () => {
    render(<HistoryList events={[]} empty="No changes recorded." />);
    expect(screen.getByText("No changes recorded.")).toBeTruthy();
    expect(screen.queryByRole("list")).toBeNull();
  });
});
