/** A write refused by a unique index (SQLite's message; PostgreSQL's code 23505). */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { message?: string; code?: string } | null;
  return e?.code === "23505" || String(e?.message ?? "").includes("UNIQUE constraint failed");
}
