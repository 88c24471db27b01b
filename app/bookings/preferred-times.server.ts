import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";

/** The times each booker asked for, in their order of preference, for many requests in one query. */
export async function preferredTimesOf(db: Kysely<Database>, requestIds: readonly number[]): Promise<Map<number, string[]>> {
  const byRequest = new Map<number, string[]>();
  if (requestIds.length === 0) return byRequest;
  const times = await db
    .selectFrom("booking_request_times")
    .select(["request_id", "starts_at"])
    .where("request_id", "in", requestIds)
    .orderBy("position")
    .execute();
  for (const t of times) {
    const list = byRequest.get(t.request_id);
    if (list) list.push(t.starts_at);
    else byRequest.set(t.request_id, [t.starts_at]);
  }
  return byRequest;
}
