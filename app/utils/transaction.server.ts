import { isWriteTransaction, WriteConflict, writeTransaction as databaseWriteTransaction } from "#db/transaction.ts";
import type { Db } from "#db/schema.ts";
import { RuleViolation } from "./errors.ts";

export { isWriteTransaction };

/**
 * The database's write transaction (#db/transaction.ts) for the app's rules: when other writers keep
 * clashing with this one past its retries, the person gets a refusal on the form asking them to try
 * again, as for any rule, rather than an error page.
 */
export async function writeTransaction<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  try {
    return await databaseWriteTransaction(db, fn);
  } catch (err) {
    if (err instanceof WriteConflict) throw new RuleViolation("form", err.message);
    throw err;
  }
}
