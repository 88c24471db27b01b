// @vitest-environment jsdom
import { getFormProps } from "@conform-to/react";
import { act, fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { TextField } from "./field.tsx";
import { useSchemaForm } from "./schema-form.ts";

const RoomSchema = z.object({
  capacity: z.coerce.number({ message: "Give the number of people it holds." }).int().min(1, "A room holds at least one person."),
});

function RoomForm({ quietUntilSent = false }: { quietUntilSent?: boolean }) {
  const [form, fields] = useSchemaForm(RoomSchema, { id: "room", ...(quietUntilSent ? { shouldValidate: "onSubmit" as const } : {}) });
  return (
    <form {...getFormProps(form)}>
      <TextField meta={fields.capacity} label="Capacity" type="number" hint="People, seated." />
      <button type="submit">Save</button>
    </form>
  );
}

async function type(input: HTMLElement, value: string) {
  await act(async () => {
    fireEvent.input(input, { target: { value } });
  });
}

async function leave(input: HTMLElement) {
  await act(async () => {
    fireEvent.focusOut(input);
  });
}

describe("a form checked by its schema in the browser", () => {
  it("says what is wrong beside a field when the person leaves it, and clears it as they correct it", async () => {
    render(<RoomForm />);
    const capacity = screen.getByLabelText("Capacity");
    await type(capacity, "0");
    expect(screen.queryByText("A room holds at least one person.")).toBeNull();

    await leave(capacity);
    const message = screen.getByText("A room holds at least one person.");
    expect(capacity.getAttribute("aria-invalid")).toBe("true");
    // Both the hint and the message are read out with the field.
    expect(capacity.getAttribute("aria-describedby")?.split(" ")).toEqual(["room-capacity-hint", message.closest("ul")?.id]);

    await type(capacity, "12");
    expect(screen.queryByText("A room holds at least one person.")).toBeNull();
    expect(capacity.getAttribute("aria-describedby")).toBe("room-capacity-hint");
  });

  it("stays quiet until sent when the form asks for that", async () => {
    render(<RoomForm quietUntilSent />);
    const capacity = screen.getByLabelText("Capacity");
    await type(capacity, "0");
    await leave(capacity);
    expect(screen.queryByText("A room holds at least one person.")).toBeNull();

    await act(async () => {
      fireEvent.click(screen.getByRole("button", { name: "Save" }));
    });
    expect(screen.getByText("A room holds at least one person.")).toBeTruthy();
  });
});
