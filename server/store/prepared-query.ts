// Queries of a fixed shape, built and compiled by Kysely once per dialect instead of on every call. Kysely builds,
// freezes and compiles a fresh operation tree for every query; on the hub's hot paths (every inbound message runs about
// a dozen statements, every escalation step several) that cost more than SQLite itself: 46 µs against 16–19 µs for the
// same lookup executed precompiled (bench/README.md). The SQL is still Kysely's own, typed against the schema and
// compiled by the store's dialect; only the values change between calls.
//
// How: the builder is called once with placeholders in place of the values; compiling it gives the SQL and the
// parameter list, in which each placeholder marks where a named value goes. A query whose shape depends on its values
// (optional columns, IN lists of varying length) cannot be prepared: build it the ordinary way.
import { CompiledQuery, type Compilable, type Kysely, type QueryResult } from 'kysely';
import type { StoreDialect } from './dialect';
import type { Database } from './schema';

/** Where a named value goes in the compiled parameter list. */
class Placeholder {
  constructor(readonly name: string) {}
}

interface Template {
  readonly sql: string;
  /** Per parameter: the value's name, or a constant the builder fixed (such as `limit 1`). */
  readonly parameters: readonly (Placeholder | { readonly constant: unknown })[];
}

/** What a prepared query runs on: a transaction (or database) and the dialect that compiles it. */
export interface QueryTarget {
  readonly trx: Kysely<Database>;
  readonly dialect: StoreDialect;
}

export interface PreparedQuery<P, R> {
  all(target: QueryTarget, params: P): Promise<R[]>;
  first(target: QueryTarget, params: P): Promise<R | undefined>;
  /** The whole result: for statements run for their effect (inserts, updates), and where the affected-row count matters. */
  execute(target: QueryTarget, params: P): Promise<QueryResult<R>>;
}

/**
 * `build` receives `params` whose every property is a placeholder standing for that value; it must use them only as
 * values (in where, set, values, limit), never to decide the query's shape.
 */
export function prepareQuery<P extends object, R>(build: (db: Kysely<Database>, params: P) => Compilable<R>): PreparedQuery<P, R> {
  const templates = new Map<StoreDialect, Template>();

  function templateFor(target: QueryTarget): Template {
    const known = templates.get(target.dialect);
    if (known !== undefined) return known;
    const placeholders = new Proxy({}, { get: (_, name) => new Placeholder(String(name)) }) as P;
    const compiled = build(target.trx, placeholders).compile();
    const template: Template = {
      sql: compiled.sql,
      parameters: compiled.parameters.map((value) => (value instanceof Placeholder ? value : { constant: value })),
    };
    templates.set(target.dialect, template);
    return template;
  }

  async function execute(target: QueryTarget, params: P): Promise<QueryResult<R>> {
    const template = templateFor(target);
    const values = params as Record<string, unknown>;
    const parameters = template.parameters.map((parameter) => {
      if (!(parameter instanceof Placeholder)) return parameter.constant;
      const value = values[parameter.name];
      // Kysely leaves an undefined value out of the query; here it would bind as NULL. Refuse it instead.
      if (value === undefined) throw new Error(`prepared query: no value for "${parameter.name}"`);
      return value;
    });
    return target.trx.executeQuery(CompiledQuery.raw(template.sql, parameters) as CompiledQuery<R>);
  }

  return {
    execute,
    async all(target, params) {
      return (await execute(target, params)).rows;
    },
    async first(target, params) {
      return (await execute(target, params)).rows[0];
    },
  };
}

/** The columns of a table, as the schema types them. */
type Columns<T extends keyof Database> = keyof Database[T] & string;

/**
 * An insert of one row, every listed column bound from the row's value of the same name. The placeholders have no
 * keys of their own, so the columns are named here; a column left out of the list is left out of the insert.
 */
export function prepareInsert<T extends keyof Database & string, const C extends readonly Columns<T>[]>(
  table: T,
  columns: C,
): PreparedQuery<{ [K in C[number]]: Database[T][K] }, never> {
  return prepareQuery((db, row: Record<string, unknown>) =>
    // Kysely cannot type an insert into a table chosen by a type parameter; the row type above carries the check.
    db.insertInto(table).values(Object.fromEntries(columns.map((column) => [column, row[column]])) as never),
  ) as PreparedQuery<{ [K in C[number]]: Database[T][K] }, never>;
}
