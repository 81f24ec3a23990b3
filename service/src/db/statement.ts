import knexPkg, { type Knex } from 'knex';
import type { DbOperation } from '../metrics/catalog.js';

/**
 * One SQL statement, written once with knex's query builder and executed as a named prepared
 * statement: PostgreSQL parses and plans it once per connection, and no SQL is built per request.
 */
export interface Statement<P extends string = string> {
  /** Prepared-statement name, unique per statement text (PostgreSQL keeps it per connection). */
  readonly name: string;
  /** Parameterised SQL ($1, $2, …); never contains a value. */
  readonly text: string;
  /** Which argument goes into $1, $2, …. */
  readonly params: readonly P[];
  /** `operation` label of `db_query_duration_seconds`. */
  readonly operation: DbOperation;
}

/** A query builder that never connects: it only writes SQL for PostgreSQL. */
export const sqlBuilder: Knex = knexPkg({ client: 'pg' });

/**
 * Placeholder values handed to the builder in place of real arguments. knex turns each into a
 * binding; the order of the bindings tells which argument becomes $1, $2, …. Integers, because
 * `limit`/`offset` accept nothing else; far outside any value the statements could contain.
 */
const PLACEHOLDER_BASE = 2_000_000_000;

/**
 * Compiles `build`'s query once. `build` receives a placeholder per parameter name; a binding that
 * is not a placeholder (a literal value knex would bind) is refused, so no statement bakes in data.
 */
export function defineStatement<P extends string>(
  name: string,
  operation: DbOperation,
  paramNames: readonly P[],
  build: (p: Readonly<Record<P, number>>) => Knex.QueryBuilder,
): Statement<P> {
  const placeholders = Object.fromEntries(paramNames.map((param, i) => [param, PLACEHOLDER_BASE + i])) as Record<P, number>;
  const byPlaceholder = new Map<unknown, P>(paramNames.map((param) => [placeholders[param], param]));
  const { sql, bindings } = build(placeholders).toSQL().toNative();
  const params = bindings.map((binding) => {
    const param = byPlaceholder.get(binding);
    if (param === undefined) throw new Error(`statement ${name}: binding ${String(binding)} is not a parameter`);
    return param;
  });
  const unused = paramNames.filter((param) => !params.includes(param));
  if (unused.length > 0) throw new Error(`statement ${name}: parameter(s) ${unused.join(', ')} not used`);
  return { name, text: sql, params, operation };
}

/** The statement's arguments in $n order. */
export function valuesFor<P extends string>(statement: Statement<P>, args: Readonly<Record<P, unknown>>): unknown[] {
  const values = new Array<unknown>(statement.params.length);
  for (let i = 0; i < values.length; i++) values[i] = args[statement.params[i] as P];
  return values;
}
