import os from "node:os";
import type { Db } from "#db/schema.ts";
import { addMs, now } from "#app/utils/time.ts";
import { randomToken } from "#app/utils/tokens.server.ts";

/**
 * A lease says which process runs a kind of work, until when. Several server processes (and the cron
 * command) share one database; each tries to take the lease, and only its holder does the work. The
 * holder renews it while it runs and gives it up when it stops; if it dies instead, another takes it
 * over once it expires.
 */

/** The lease the background jobs (reminders, mail, retention) run under. */
export const BACKGROUND_JOBS = "background-jobs";

/** This process as a lease holder: host and process id for whoever reads the table, and a random part so a reused id is not the same holder. */
export const THIS_PROCESS = `${os.hostname()}:${process.pid}:${randomToken(6)}`;

export interface LeaseClaim {
  name: string;
  holder: string;
  /** How long the lease lasts from now unless renewed. */
  ttlMs: number;
}

/**
 * Takes the lease, or renews it for its holder, and says whether `holder` now has it. One conditional
 * write decides: the row is written only where there is none, it has expired, or it is already the
 * holder's, so of several processes trying at once exactly one gets a lease that is free.
 */
export async function takeLease(db: Db, claim: LeaseClaim): Promise<boolean> {
  const at = now();
  // The conflicting row is written, and so returned, only where the condition holds.
  const taken = await db
    .insertInto("job_leases")
    .values({ name: claim.name, holder: claim.holder, expires_at: addMs(at, claim.ttlMs).toISOString() })
    .onConflict((oc) =>
      oc
        .column("name")
        .doUpdateSet((eb) => ({ holder: eb.ref("excluded.holder"), expires_at: eb.ref("excluded.expires_at") }))
        .where((eb) => eb.or([eb("job_leases.expires_at", "<=", at.toISOString()), eb("job_leases.holder", "=", eb.ref("excluded.holder"))])),
    )
    .returning("holder")
    .executeTakeFirst();
  return taken?.holder === claim.holder;
}

/** Who holds the lease now; null when no one does or it has expired. */
export async function leaseHolder(db: Db, name: string): Promise<string | null> {
  const row = await db.selectFrom("job_leases").select("holder").where("name", "=", name).where("expires_at", ">", now().toISOString()).executeTakeFirst();
  return row?.holder ?? null;
}

/** Gives the lease up, so another process may take it at once; only its holder can. */
export async function releaseLease(db: Db, name: string, holder: string): Promise<void> {
  await db.deleteFrom("job_leases").where("name", "=", name).where("holder", "=", holder).execute();
}
