import { getFormProps } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { requirePermission } from "#app/auth/guards.server.ts";
import { ArchiveForm } from "#app/components/archive-form.tsx";
import { SubmitOrCancel } from "#app/components/button.tsx";
import { CheckboxGroup, FormErrors, TextareaField, TextField } from "#app/components/field.tsx";
import { Card, PageHeader } from "#app/components/layout.tsx";
import { useSchemaForm } from "#app/components/schema-form.ts";
import { getDb } from "#app/db.server.ts";
import { recordFromAddress, submitRecordForm } from "#app/reference/record-page.server.ts";
import { getRoom, saveRoom } from "#app/reference/reference.server.ts";
import { RoomSchema } from "#app/reference/schemas.ts";
import { ACCESS_FEATURE_OPTIONS, readAccessSet } from "#app/scheduling/room-access.ts";
import { readFormData } from "#app/utils/request-body.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.room?.name ?? "New room"} · NeverOK Training` }];

const loadRoom = (param: string | undefined) => recordFromAddress(param, (id) => getRoom(getDb(), id), "room");

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "manage:reference-data");
  return { room: await loadRoom(params.roomId) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requirePermission(request, "manage:reference-data");
  const room = await loadRoom(params.roomId);
  return submitRecordForm(actor, await readFormData(request), {
    kind: "room",
    record: room,
    schema: RoomSchema,
    save: (id, value) => saveRoom(getDb(), actor, id, value),
    path: "/coordinator/rooms",
    said: {
      saved: (value) => `Saved ${value.name}, ${value.building}.`,
      archived: (name) => `${name} is archived: it will not be offered for sessions.`,
      restored: (name) => `${name} is in use again.`,
    },
  });
}

export default function RoomPage() {
  const { room } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useSchemaForm(RoomSchema, {
    id: `room-${room?.id ?? "new"}`,
    lastResult,
    defaultValue: room
      ? {
          name: room.name,
          building: room.building,
          capacity: String(room.capacity),
          accessFeatures: readAccessSet(room.access_features),
          accessibilityNotes: room.accessibility_notes ?? "",
        }
      : undefined,
  });
  return (
    <>
      <PageHeader
        title={room ? `${room.name}, ${room.building}` : "Add a room"}
        actions={room ? <ArchiveForm archived={room.is_archived === 1} noun="room" /> : null}
      />
      <Card className="max-w-3xl">
        <Form method="post" {...getFormProps(form)} className="space-y-5">
          <FormErrors id={form.errorId} errors={form.errors} />
          <div className="grid gap-5 sm:grid-cols-2">
            <TextField meta={fields.name} label="Room name or number" />
            <TextField meta={fields.building} label="Building" />
          </div>
          <TextField meta={fields.capacity} label="Capacity (people)" type="number" inputMode="numeric" className="max-w-xs" />
          <CheckboxGroup
            meta={fields.accessFeatures}
            legend="Access features"
            hint="Tick what the room has. When scheduling, rooms that meet a group's needs are offered first."
            options={ACCESS_FEATURE_OPTIONS}
          />
          <TextareaField
            meta={fields.accessibilityNotes}
            label="More about access"
            optional
            hint="Where the lift or ramp is, which entrance to use: what someone would want to know before coming."
          />
          <SubmitOrCancel cancelTo="/coordinator/rooms">{room ? "Save changes" : "Add room"}</SubmitOrCancel>
        </Form>
      </Card>
    </>
  );
}
