/** Where a session happens, as a person reads it: "Seminar Room 1.14, East Building" or the address. */
export function sessionWhere(s: { room: { name: string; building: string } | null; address: string | null }): string {
  if (s.room) return `${s.room.name}, ${s.room.building}`;
  return s.address ?? "To be confirmed";
}
