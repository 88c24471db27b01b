import { Form } from "@remix-run/react";
import { Button } from "./button.tsx";

/** Archive hides a record from new bookings but keeps its history; restore brings it back. */
export function ArchiveForm({ archived, noun }: { archived: boolean; noun: string }) {
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={archived ? "restore" : "archive"} />
      <Button type="submit" variant={archived ? "secondary" : "danger"}>
        {archived ? `Restore this ${noun}` : `Archive this ${noun}`}
      </Button>
    </Form>
  );
}
