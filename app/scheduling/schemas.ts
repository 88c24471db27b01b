import { z } from "zod";
import { DateField, DateQuery, londonMoments, TimeField, TimeQuery } from "#app/utils/date-fields.ts";
import { EmailedReason } from "#app/utils/validation.ts";

/** One schema per form of the coordinator's request and session pages, used by the page and by its action. */

const id = z.coerce.number().int().positive();

/** Where a session is held: a campus room, or an address (a booker's own premises, an online room). */
export type Location = { roomId: number } | { address: string };

/** The "Where" choice of a form: "room:12" from the list of rooms, or "address" with the address typed beside it. */
export const PlaceField = z.string({ error: "Choose where" }).regex(/^(room:\d+|address)$/, { error: "Choose where" });

export function locationOf(place: string, address: string | null | undefined): Location {
  return place.startsWith("room:") ? { roomId: Number(place.slice(5)) } : { address: address ?? "" };
}

/** The time the coordinator is looking at for a request: one of the booker's choices, or another they type. */
export const ScheduleSlotQuerySchema = z.object({
  slot: z.enum(["1", "2", "3", "other"]).optional().catch(undefined),
  date: DateQuery,
  time: TimeQuery,
});
export type ScheduleSlotQuery = z.infer<typeof ScheduleSlotQuerySchema>;

/** A request scheduled at the chosen time: in a room, unless the group asked for its own premises. */
export const ScheduleRequestSchema = z.object({
  intent: z.literal("schedule"),
  startsAt: z.iso.datetime({ error: "Choose a time first" }),
  roomId: z.coerce.number({ error: "Choose a room" }).int().positive({ error: "Choose a room" }).optional(),
});
export type ScheduleRequestFields = z.input<typeof ScheduleRequestSchema>;

export const DeclineRequestSchema = z.object({ intent: z.literal("decline"), reason: EmailedReason() });

export const AssignTrainerSchema = z.object({
  intent: z.literal("assign"),
  trainerId: id,
  overrideReason: z.string().trim().max(500).optional(),
});

export const RemoveTrainerSchema = z.object({ intent: z.literal("remove"), trainerId: id });

export const RescheduleSchema = z
  .object({
    intent: z.literal("reschedule"),
    date: DateField(),
    time: TimeField("Enter a start time"),
    place: PlaceField,
    address: z.string().trim().max(300).optional(),
    reason: EmailedReason(),
    /** The booker's change this move answers, if any. */
    changeId: z.coerce.number().int().positive().optional(),
  })
  .refine((v) => v.place !== "address" || !!v.address, { path: ["address"], error: "Give the address" })
  .superRefine(londonMoments(["date", "time"]));

export const CancelSessionSchema = z.object({ intent: z.literal("cancel"), reason: EmailedReason() });

/** The coordinator's answers to a booker's change: accept it as it stands, or decline it with a reason sent to the booker. */
export const AcceptChangeSchema = z.object({ intent: z.literal("accept-change"), changeId: z.coerce.number().int().positive() });
export const DeclineChangeSchema = z.object({
  intent: z.literal("decline-change"),
  changeId: z.coerce.number().int().positive(),
  reason: EmailedReason(),
});
