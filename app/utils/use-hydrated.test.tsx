// @vitest-environment jsdom
import { render, screen } from "@testing-library/react";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { useHydrated } from "./use-hydrated.ts";

function Probe() {
  return <p>{useHydrated() ? "Print" : "Use your browser's print command"}</p>;
}

describe("useHydrated", () => {
  it("is false in the server's HTML and true once the page hydrates, with no mismatch between the two", () => {
    const html = renderToString(<Probe />);
    expect(html).toContain("Use your browser&#x27;s print command");

    const container = document.createElement("div");
    container.innerHTML = html;
    document.body.append(container);
    // A hydration mismatch is logged with console.error, which fails the test.
    render(<Probe />, { container, hydrate: true });
    expect(screen.getByText("Print")).toBeInTheDocument();
  });
});
