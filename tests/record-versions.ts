import { PostgresAdapter, sql, type Kysely, type KyselyPlugin } from "kysely";
import type { Database } from "#db/schema.ts";
import type { RecordFeature } from "#app/utils/record-cache.server.ts";

export interface Statement {
  sql: string;
  parameters: readonly unknown[];
}

export interface Trace {
  /** The features the outermost cached figure asked the versions of: the first versions read. */
  features: RecordFeature[] | null;
  /** Every other statement run from then on, in order: what is read before is not kept, so it is the key's business. */
  statements: Statement[];
  /** The tables those statements name after `from` or `join`. */
  tables: Set<string>;
}

/**
 * Runs `figure` on a view of `db` that writes down each statement, with a record cache of its own
 * (the cache is kept per database object), so every cached figure it asks for is worked out afresh.
 */
export async function traceFigure(db: Kysely<Database>, figure: (db: Kysely<Database>) => Promise<unknown>): Promise<Trace> {
  const trace: Trace = { features: null, statements: [], tables: new Set() };
  const executor = db.getExecutor();
  const tracer: KyselyPlugin = {
    transformQuery(args) {
      const compiled = executor.compileQuery(args.node, args.queryId);
      if (/\bfrom\s+"record_versions"/i.test(compiled.sql)) {
        trace.features ??= compiled.parameters.filter((p): p is RecordFeature => typeof p === "string");
      } else if (trace.features) {
        trace.statements.push({ sql: compiled.sql, parameters: compiled.parameters });
        for (const m of compiled.sql.matchAll(/\b(?:from|join)\s+"([a-z_]+)"/gi)) trace.tables.add(m[1]!);
      }
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  await figure(db.withPlugin(tracer));
  return trace;
}

export type WriteEvent = "insert" | "update" | "delete";

export interface VersionTrigger {
  table: string;
  event: WriteEvent;
  feature: string;
  /** An update trigger's columns (`after update of …`), sorted; null for every column. */
  columns: string[] | null;
}

/** Every trigger that raises a record version, read from the database's own catalogue, in a stable order. */
export async function versionTriggers(db: Kysely<Database>): Promise<VersionTrigger[]> {
  const found: VersionTrigger[] = [];
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    const { rows } = await sql<{ name: string; table: string; event: string; action: string }>`
      select trigger_name as name, event_object_table as "table", event_manipulation as event, action_statement as action
      from information_schema.triggers where trigger_schema = current_schema()`.execute(db);
    const { rows: columns } = await sql<{ name: string; column: string }>`
      select trigger_name as name, event_object_column as "column"
      from information_schema.triggered_update_columns where trigger_schema = current_schema()`.execute(db);
    for (const r of rows) {
      const feature = /\bbump_record_version\w*\('(\w+)'\)/.exec(r.action)?.[1];
      if (!feature) continue;
      const event = r.event.toLowerCase() as WriteEvent;
      const of = columns.filter((c) => c.name === r.name).map((c) => c.column);
      found.push({ table: r.table, event, feature, columns: event === "update" && of.length ? of.sort() : null });
    }
  } else {
    const { rows } = await sql<{ table: string; sql: string }>`select tbl_name as "table", sql from sqlite_master where type = 'trigger'`.execute(db);
    for (const r of rows) {
      const on = /\bafter\s+(insert|update|delete)(?:\s+of\s+(.+?))?\s+on\s/i.exec(r.sql);
      const feature = /\bupdate\s+record_versions\s+set\s+version\s*=\s*version\s*\+\s*1\s+where\s+name\s*=\s*'(\w+)'/i.exec(r.sql)?.[1];
      if (!on || !feature) continue;
      const columns = on[2]
        ? on[2]
            .split(",")
            .map((c) => c.trim())
            .sort()
        : null;
      found.push({ table: r.table, event: on[1]!.toLowerCase() as WriteEvent, feature, columns });
    }
  }
  const key = (t: VersionTrigger) => `${t.table} ${t.feature} ${t.event}`;
  return found.sort((a, b) => key(a).localeCompare(key(b)));
}
