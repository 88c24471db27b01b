// @vitest-environment jsdom
import { fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { useClipboard } from "./use-clipboard.ts";

function Probe({ onFailure }: { onFailure?: () => void }) {
  const { state, copy } = useClipboard(onFailure);
  return (
    <>
      <button type="button" onClick={() => copy("webcal://example/feed.ics")}>
        Copy
      </button>
      <p role="status">{state}</p>
    </>
  );
}

function withClipboard(clipboard: Partial<Clipboard> | undefined) {
  Object.defineProperty(navigator, "clipboard", { value: clipboard, configurable: true });
}

afterEach(() => withClipboard(undefined));

describe("useClipboard", () => {
  it("says the text is copied once the browser has taken it", async () => {
    const writeText = vi.fn().mockResolvedValue(undefined);
    withClipboard({ writeText });
    render(<Probe />);
    fireEvent.click(screen.getByRole("button", { name: "Copy" }));
    expect(await screen.findByText("copied")).toBeInTheDocument();
    expect(writeText).toHaveBeenCalledWith("webcal://example/feed.ics");
  });

  it("shows a refusal instead of leaving it unhandled, and lets the page offer the text by hand", async () => {
    withClipboard({ writeText: vi.fn().mockRejectedValue(new DOMException("Not allowed", "NotAllowedError")) });
    const onFailure = vi.fn();
    render(<Probe onFailure={onFailure} />);
    fireEvent.click(screen.getByRole("button", { name: "Copy" }));
    expect(await screen.findByText("failed")).toBeInTheDocument();
    expect(onFailure).toHaveBeenCalledOnce();
  });

  it("fails the same way where the browser has no clipboard at all (a page not served over HTTPS)", () => {
    withClipboard(undefined);
    render(<Probe />);
    fireEvent.click(screen.getByRole("button", { name: "Copy" }));
    expect(screen.getByText("failed")).toBeInTheDocument();
  });
});
