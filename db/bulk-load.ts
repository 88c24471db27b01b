import type SQLite from "better-sqlite3";
import { CompiledQuery, sql, type Insertable } from "kysely";
import { catchUpNumbering, dialectOf } from "./dialect.ts";
import { sqliteHandleOf } from "./dialects/sqlite.ts";
import type { Database, Db } from "./schema.ts";

type Row = Record<string, unknown>;

/**
 * Writes many generated rows fast, on either database: SQLite through statements prepared once on
 * its handle, PostgreSQL by gathering a transaction's rows and sending them as multi-row inserts.
 * Reads take `?` placeholders on both.
 */
export interface BulkLoad {
  /** A row for the current transaction: written now on SQLite, at the transaction's end on PostgreSQL. */
  insert<T extends keyof Database & string>(table: T, row: Insertable<Database[T]>): void;
  /** Runs `write` (which only calls insert) as one transaction; rows may point at rows written later in it. */
  transaction(write: () => void): Promise<void>;
  all<T>(query: string, ...params: unknown[]): Promise<T[]>;
  get<T>(query: string, ...params: unknown[]): Promise<T | undefined>;
  /** Brings the database's own bookkeeping up to date once the load is over: statistics, numbering. */
  finish(): Promise<void>;
}

export function openBulkLoad(db: Db): BulkLoad {
  return dialectOf(db) === "postgres" ? new PostgresBulkLoad(db) : new SqliteBulkLoad(sqliteHandleOf(db));
}

class SqliteBulkLoad implements BulkLoad {
  private stmts = new Map<string, SQLite.Statement>();
  /** The page cache's size before the load, while one is under way. */
  private cacheSize: number | undefined;

  constructor(private readonly raw: SQLite.Database) {}

  private start() {
    if (this.cacheSize !== undefined) return;
    this.raw.pragma("journal_mode = WAL");
    this.raw.pragma("synchronous = OFF");
    // Room for the indexes' pages while they grow, so a year's transaction rarely spills to disk.
    this.cacheSize = this.raw.pragma("cache_size", { simple: true }) as number;
    this.raw.pragma("cache_size = -262144");
  }

  insert<T extends keyof Database & string>(table: T, row: Insertable<Database[T]>) {
    const cols = Object.keys(row);
    const key = `${table}(${cols.join(",")})`;
    let stmt = this.stmts.get(key);
    if (!stmt) {
      stmt = this.raw.prepare(`insert into ${table} (${cols.join(", ")}) values (${cols.map(() => "?").join(", ")})`);
      this.stmts.set(key, stmt);
    }
    stmt.run(Object.values(row));
  }

  async transaction(write: () => void) {
    this.start();
    this.raw.transaction(() => {
      // Rows may point at rows the same transaction writes later; the keys are checked at commit.
      this.raw.pragma("defer_foreign_keys = ON");
      write();
    })();
  }

  async all<T>(query: string, ...params: unknown[]) {
    return this.raw.prepare(query).all(...params) as T[];
  }

  async get<T>(query: string, ...params: unknown[]) {
    return this.raw.prepare(query).get(...params) as T | undefined;
  }

  async finish() {
    if (this.cacheSize === undefined) return;
    try {
      this.raw.exec("ANALYZE");
      this.raw.pragma("wal_checkpoint(TRUNCATE)");
    } finally {
      this.raw.pragma("synchronous = NORMAL");
      this.raw.pragma(`cache_size = ${this.cacheSize}`);
      this.cacheSize = undefined;
    }
  }
}

/** PostgreSQL takes at most 65,535 values in one statement. */
const MAX_VALUES = 60_000;

class PostgresBulkLoad implements BulkLoad {
  /** The current transaction's rows, by table in the order each table was first written. */
  private pending = new Map<string, Row[]>();

  constructor(private readonly db: Db) {}

  insert<T extends keyof Database & string>(table: T, row: Insertable<Database[T]>) {
    let rows = this.pending.get(table);
    if (!rows) this.pending.set(table, (rows = []));
    rows.push(row as Row);
  }

  async transaction(write: () => void) {
    this.pending.clear();
    write();
    const tables = [...this.pending.keys()];
    await this.db.transaction().execute(async (trx) => {
      for (const table of await tablesInKeyOrder(trx, tables)) await insertRows(trx, table, this.pending.get(table)!);
    });
    this.pending.clear();
  }

  async all<T>(query: string, ...params: unknown[]) {
    let n = 0;
    const text = query.replace(/\?/g, () => `$${++n}`);
    return (await this.db.executeQuery<T>(CompiledQuery.raw(text, params))).rows;
  }

  async get<T>(query: string, ...params: unknown[]) {
    return (await this.all<T>(query, ...params))[0];
  }

  async finish() {
    await catchUpNumbering(this.db);
    await sql`analyze`.execute(this.db);
  }
}

/** Rows into one PostgreSQL table as multi-row inserts, each under the limit on values in one statement. */
export async function insertRows(db: Db, table: string, rows: Row[]): Promise<void> {
  if (!rows.length) return;
  const cols = Object.keys(rows[0]!);
  const size = Math.max(1, Math.floor(MAX_VALUES / cols.length));
  for (let i = 0; i < rows.length; i += size) {
    const values = rows.slice(i, i + size).map((r) => sql`(${sql.join(cols.map((c) => sql`${r[c] ?? null}`))})`);
    await sql`insert into ${sql.table(table)} (${sql.join(cols.map((c) => sql.ref(c)))}) values ${sql.join(values)}`.execute(db);
  }
}

/**
 * `tables` ordered so that each comes after the tables its foreign keys point at in the connection's
 * schema (ties keep their order): PostgreSQL checks keys row by row, so a load goes in this order.
 */
export async function tablesInKeyOrder(db: Db, tables: string[]): Promise<string[]> {
  const { rows: keys } = await sql<{ from: string; to: string }>`
    select distinct c.conrelid::regclass::text as "from", c.confrelid::regclass::text as "to"
      from pg_constraint c join pg_namespace n on n.oid = c.connamespace
     where c.contype = 'f' and n.nspname = current_schema()`.execute(db);
  const ordered: string[] = [];
  const visit = (table: string, path: Set<string>) => {
    if (ordered.includes(table) || path.has(table)) return;
    path.add(table);
    for (const k of keys) if (k.from === table && k.to !== table && tables.includes(k.to)) visit(k.to, path);
    ordered.push(table);
  };
  for (const t of tables) visit(t, new Set());
  return ordered;
}
