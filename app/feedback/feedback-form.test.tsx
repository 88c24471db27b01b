// @vitest-environment jsdom
import type { SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useActionData } from "@remix-run/react";
import { act, fireEvent, render, screen, within } from "@testing-library/react";
import { createMemoryRouter, RouterProvider } from "react-router-dom";
import { describe, expect, it } from "vitest";
import { FeedbackForm } from "./feedback-form.tsx";
import { FeedbackSchema } from "./schemas.ts";

const RATING = "Overall, how would you rate the session?";
const RECOMMEND = "Would you recommend this session to a friend?";
const BEFORE = "Before the session, how confident did you feel?";
const NOW = "Now, how confident do you feel?";
const DO_DIFFERENTLY = "What will you do differently after this session?";
const COMMENTS = "Anything else you would like to tell us?";

/**
 * The form on a page of its own, posting to an action that keeps what it was sent; `lastResult`
 * stands in for the server's answer to a post made without JavaScript.
 */
function renderForm(lastResult?: SubmissionResult<string[]>) {
  const received: Record<string, FormDataEntryValue>[] = [];
  function Page() {
    const reply = useActionData() as SubmissionResult<string[]> | undefined;
    return <FeedbackForm lastResult={reply ?? lastResult} topic="Consent" />;
  }
  const router = createMemoryRouter(
    [
      {
        path: "/",
        element: <Page />,
        action: async ({ request }) => {
          received.push(Object.fromEntries(await request.formData()));
          return null;
        },
      },
    ],
    {
      future: {
        v7_relativeSplatPath: true,
        v7_fetcherPersist: true,
        v7_normalizeFormMethod: true,
        v7_partialHydration: true,
        v7_skipActionErrorRevalidation: true,
      },
    },
  );
  render(<RouterProvider router={router} future={{ v7_startTransition: true }} />);
  /** Presses "Send feedback" and waits for the post, if the form let it go, to come back. */
  const send = () =>
    act(async () => {
      fireEvent.click(screen.getByRole("button", { name: "Send feedback" }));
      await new Promise<void>((resolve) => {
        if (router.state.navigation.state === "idle") return resolve();
        const stop = router.subscribe((state) => {
          if (state.navigation.state !== "idle") return;
          stop();
          resolve();
        });
      });
    });
  return { received, send };
}

/** A name that starts with `text`: a legend or label is followed by any error read out with it. */
const startingWith = (text: string) => new RegExp(`^${text.replace(/[?]/g, "\\?")}`);
const question = (legend: string) => screen.getByRole("group", { name: startingWith(legend) });
const choose = (legend: string, name: RegExp | string) => fireEvent.click(within(question(legend)).getByRole("radio", { name }));
const chosen = (legend: string) =>
  within(question(legend))
    .queryAllByRole("radio")
    .find((r) => (r as HTMLInputElement).checked)
    ?.getAttribute("value");
const type = (label: string, text: string) => fireEvent.input(screen.getByLabelText(startingWith(label)), { target: { value: text } });
const typed = (label: string) => (screen.getByLabelText(startingWith(label)) as HTMLTextAreaElement).value;

describe("the feedback form's confidence pair", () => {
  it("asks for how confident they feel now when only before is answered, beside that question, keeping every answer", async () => {
    const { received, send } = renderForm();
    choose(RATING, /Very good/);
    choose(RECOMMEND, "Yes");
    choose(BEFORE, /A little confident/);
    type(DO_DIFFERENTLY, "Step in sooner");
    type(COMMENTS, "Good pace");
    await send();

    expect(question(NOW)).toHaveTextContent("Also choose how confident you feel now");
    expect(question(NOW)).toHaveAccessibleDescription(/Also choose how confident you feel now/);
    expect(question(BEFORE)).not.toHaveAccessibleDescription(/Also choose/);
    expect(received).toEqual([]);
    expect([chosen(RATING), chosen(RECOMMEND), chosen(BEFORE), chosen(NOW)]).toEqual(["4", "yes", "2", undefined]);
    expect([typed(DO_DIFFERENTLY), typed(COMMENTS)]).toEqual(["Step in sooner", "Good pace"]);

    // Answering the other half takes the message away, and the pair is sent.
    await act(() => choose(NOW, /Quite confident/));
    expect(question(NOW)).not.toHaveTextContent("Also choose");
    await send();
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ rating: "4", recommend: "yes", confidenceBefore: "2", confidenceAfter: "4", doDifferently: "Step in sooner" });
  });

  it("asks for how confident they felt before when only now is answered, with every other missing answer at the same time", async () => {
    const { received, send } = renderForm();
    choose(NOW, /Very confident/);
    await send();

    expect(question(BEFORE)).toHaveAccessibleDescription(/Also choose how confident you felt before/);
    expect(question(NOW)).not.toHaveAccessibleDescription(/Also choose/);
    expect(question(RATING)).toHaveTextContent("Choose a rating from 1 to 5");
    expect(question(RECOMMEND)).toHaveTextContent("Choose yes, no or not sure");
    expect(chosen(NOW)).toBe("5");
    expect(received).toEqual([]);
  });

  it("may be left out altogether", async () => {
    const { received, send } = renderForm();
    choose(RATING, /Excellent/);
    choose(RECOMMEND, "Not sure");
    await send();
    expect(received).toHaveLength(1);
    expect(received[0]).toEqual({ rating: "5", recommend: "not_sure", doDifferently: "", comments: "" });
  });

  it("comes back from the server with the message beside the question and every answer still given, for a browser without JavaScript", () => {
    const posted = new FormData();
    for (const [name, value] of Object.entries({ recommend: "no", confidenceBefore: "1", doDifferently: "Ask first", comments: "Too short" })) {
      posted.set(name, value);
    }
    renderForm(parseWithZod(posted, { schema: FeedbackSchema }).reply());

    expect(question(NOW)).toHaveAccessibleDescription(/Also choose how confident you feel now/);
    expect(question(RATING)).toHaveAccessibleDescription(/Choose a rating from 1 to 5/);
    expect([chosen(RATING), chosen(RECOMMEND), chosen(BEFORE), chosen(NOW)]).toEqual([undefined, "no", "1", undefined]);
    expect([typed(DO_DIFFERENTLY), typed(COMMENTS)]).toEqual(["Ask first", "Too short"]);
  });
});
