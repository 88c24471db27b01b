import pg from "pg";
import {
  Kysely,
  OperationNodeTransformer,
  PostgresDialect,
  sql,
  type KyselyPlugin,
  type LogConfig,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type PrimitiveValueListNode,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
  type ValueNode,
  type ColumnMetadata,
  type DatabaseIntrospector,
  type DatabaseMetadataOptions,
  type TableMetadata,
} from "kysely";
import type { Database, Db } from "../schema.ts";

const INT8 = 20;
const NUMERIC = 1700;

/**
 * How column values come back. `count(*)` and `sum` of integers are int8, `avg` is numeric, and pg
 * hands both over as strings so as to lose no digits; every such figure here (attendances, hours,
 * shares) is far inside a double's exact range, and the code treats them as numbers, as SQLite
 * returns them. The app's own columns are integer and text (ISO-8601 times, 0/1 flags), which pg
 * already returns as SQLite does.
 */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary") => {
    if (oid === INT8 || oid === NUMERIC) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  }) as pg.CustomTypesConfig["getTypeParser"],
};

const withoutNul = (value: unknown) => (typeof value === "string" && value.includes("\u0000") ? value.replaceAll("\u0000", "") : value);

class NulFreeValues extends OperationNodeTransformer {
  protected override transformValue(node: ValueNode): ValueNode {
    return { ...node, value: withoutNul(node.value) };
  }
  protected override transformPrimitiveValueList(node: PrimitiveValueListNode): PrimitiveValueListNode {
    return { ...node, values: node.values.map(withoutNul) };
  }
}

/**
 * PostgreSQL's text cannot hold U+0000 and refuses a statement that carries one, where SQLite takes
 * it. Nobody types it; it arrives only in hostile input (a search box, a link's query), which must
 * get the same answer as on SQLite rather than an error, so every value sent is sent without it.
 */
class NulFreeValuesPlugin implements KyselyPlugin {
  private readonly transformer = new NulFreeValues();
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.transformer.transformNode(args.node);
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

/**
 * Kysely's PostgreSQL dialect, introspecting only the connection's own schema (schemaTables): the
 * migrator and the privacy tools then never read another schema's tables, nor fail when another
 * schema in the same database is dropped or renamed as they read.
 */
class OwnSchemaPostgresDialect extends PostgresDialect {
  override createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return {
      getSchemas: async () => [{ name: await currentSchema(db) }],
      getTables: (options) => schemaTables(db, options),
      getMetadata: async (options) => ({ tables: await schemaTables(db, options) }),
    };
  }
}

/** A pool of connections to the PostgreSQL database at `url` (postgres:// or postgresql://). */
export function openPostgres(url: string, options: { max?: number; log?: LogConfig } = {}): Db {
  const pool = new pg.Pool({ connectionString: url, types, max: options.max ?? 10 });
  // A connection that drops while idle in the pool is replaced on the next checkout; without a
  // listener its error would end the process.
  pool.on("error", () => {});
  return new Kysely<Database>({ dialect: new OwnSchemaPostgresDialect({ pool }), log: options.log, plugins: [new NulFreeValuesPlugin()] });
}

export function isPostgresUrl(target: string): boolean {
  return /^postgres(ql)?:\/\//i.test(target);
}

/** The schema the connection's unqualified table names resolve to: the first on its search_path. */
export async function currentSchema<DB>(db: Kysely<DB>): Promise<string> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  return rows[0]!.schema;
}

/**
 * The tables of the connection's own schema and their columns, read from information_schema for that
 * schema alone. Kysely's introspection reads every schema in the database and resolves each table by
 * name, so it fails when another schema is dropped or renamed while it runs (a restore, another
 * deployment or test run sharing the database).
 */
export async function schemaTables(db: Kysely<unknown>, options: Partial<DatabaseMetadataOptions> = {}): Promise<TableMetadata[]> {
  const { rows } = await sql<{
    table_name: string;
    table_type: string;
    schema: string;
    column_name: string;
    data_type: string;
    is_nullable: string;
    column_default: string | null;
    is_identity: string;
  }>`
    select t.table_name, t.table_type, t.table_schema as schema, c.column_name, c.udt_name as data_type, c.is_nullable, c.column_default, c.is_identity
      from information_schema.tables t
      join information_schema.columns c on c.table_schema = t.table_schema and c.table_name = t.table_name
     where t.table_schema = current_schema()
       and (${options.withInternalKyselyTables ?? false} or t.table_name not in ('kysely_migration', 'kysely_migration_lock'))
     order by t.table_name, c.ordinal_position`.execute(db);
  const tables = new Map<string, TableMetadata & { columns: ColumnMetadata[] }>();
  for (const r of rows) {
    let table = tables.get(r.table_name);
    if (!table) tables.set(r.table_name, (table = { name: r.table_name, isView: r.table_type === "VIEW", schema: r.schema, columns: [] }));
    const identity = r.is_identity === "YES" || (r.column_default ?? "").startsWith("nextval(");
    table.columns.push({
      name: r.column_name,
      dataType: r.data_type,
      isNullable: r.is_nullable === "YES",
      isAutoIncrementing: identity,
      hasDefaultValue: identity || r.column_default !== null,
    });
  }
  return [...tables.values()];
}

/** The server and database of `url`, with any password left out. */
export function postgresLabel(url: string): string {
  const parsed = new URL(url);
  parsed.password = "";
  parsed.search = "";
  return parsed.toString();
}

/** Drops every table, view and function in the connection's own schema (the first on its search_path). */
export async function emptyPostgres(url: string): Promise<void> {
  const db = openPostgres(url, { max: 1 });
  try {
    await db.transaction().execute(async (trx) => {
      const { rows } = await sql<{ statement: string }>`
        select format('drop table if exists %I.%I cascade', schemaname, tablename) as statement from pg_tables where schemaname = current_schema()
        union all
        select format('drop function if exists %I.%I(%s) cascade', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid))
          from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = current_schema()`.execute(trx);
      for (const { statement } of rows) await sql.raw(statement).execute(trx);
    });
  } finally {
    await db.destroy();
  }
}

/** 23505: a row with that key is already there. */
export function isPostgresUniqueViolation(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === "23505";
}

/**
 * 40001 (a serializable transaction that could not be ordered with another) and 40P01 (a deadlock):
 * the transaction was rolled back and running it again from the start is expected to succeed.
 */
export function isPostgresRetryable(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === "40001" || code === "40P01";
}

/** `url` with its connections' search_path set to `schema`, so every table the app names is that schema's. */
export function urlForSchema(url: string, schema: string): string {
  // Spelt out rather than through URLSearchParams, whose "+" for a space pg would not read back.
  const options = `options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  return url.includes("?") ? `${url}&${options}` : `${url}?${options}`;
}

/**
 * One plain connection to `url` for `run`, closed afterwards whatever happens: for what stands outside
 * the app's pool (creating and dropping schemas, a second writer in a test, the benchmark's set-up).
 */
export async function withPostgresClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}
