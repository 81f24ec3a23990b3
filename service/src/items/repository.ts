import type pg from 'pg';
import type { DbPool } from '../db/pool.js';
import { valuesFor, type Statement } from '../db/statement.js';
import { isoFromTimestamptz } from '../db/timestamps.js';
import type { QueryTimers } from '../metrics/db-metrics.js';
import type { Item, ItemCreate, ItemPatch } from './schema.js';
import { ITEM_STATEMENTS, UPDATABLE_FIELDS } from './statements.js';

interface ItemRow {
  id: string | number;
  name: string;
  description: string | null;
  price: string;
  /** timestamptz as UTC text: the pool leaves it unparsed. */
  created_at: string;
  updated_at: string;
}

/**
 * pg returns bigint and numeric as strings; the API speaks numbers (ids are kept below 2^53) and
 * ISO timestamps with milliseconds.
 */
function toItem(row: ItemRow): Item {
  return {
    id: Number(row.id),
    name: row.name,
    description: row.description,
    price: Number(row.price),
    createdAt: isoFromTimestamptz(row.created_at),
    updatedAt: isoFromTimestamptz(row.updated_at),
  };
}

export interface ItemsRepository {
  list(page: { limit: number; offset: number }): Promise<Item[]>;
  findById(id: number): Promise<Item | null>;
  create(input: ItemCreate): Promise<Item>;
  /** Replaces or patches; `null` when no item has this id. */
  update(id: number, changes: ItemPatch): Promise<Item | null>;
  /** `false` when no item has this id. */
  remove(id: number): Promise<boolean>;
}

export interface ItemsRepositoryDeps {
  pool: DbPool;
  /** `db_query_duration_seconds` children, one per operation and outcome; absent when metrics are off. */
  timers: QueryTimers | undefined;
}

/**
 * Items over the pool's named prepared statements (`statements.ts`). Each call holds a connection
 * for exactly one statement, which the pool times, from send to answer, in
 * `db_query_duration_seconds`.
 */
export function createItemsRepository({ pool, timers }: ItemsRepositoryDeps): ItemsRepository {
  function run<P extends string>(statement: Statement<P>, args: Readonly<Record<P, unknown>>): Promise<pg.QueryResult<ItemRow>> {
    return pool.execute<ItemRow>(statement, valuesFor(statement, args), timers?.[statement.operation]);
  }

  return {
    // Not `async`: one `then` on the pool's promise, no frame of its own per call.
    list({ limit, offset }) {
      return run(ITEM_STATEMENTS.list, { limit, offset }).then(({ rows }) => rows.map(toItem));
    },
    findById(id) {
      return run(ITEM_STATEMENTS.findById, { id }).then(({ rows: [row] }) => (row ? toItem(row) : null));
    },
    async create(input) {
      const [row] = (await run(ITEM_STATEMENTS.create, { name: input.name, price: String(input.price), description: input.description ?? null })).rows;
      if (!row) throw new Error('insert returned no row');
      return toItem(row);
    },
    async update(id, changes) {
      const args = { id, name: changes.name, price: changes.price === undefined ? undefined : String(changes.price), description: changes.description };
      // One statement per combination of fields present, so an absent field is left as it is.
      let mask = 0;
      UPDATABLE_FIELDS.forEach((field, bit) => {
        if (args[field] !== undefined) mask |= 1 << bit;
      });
      const statement = ITEM_STATEMENTS.update[mask];
      if (!statement) throw new Error('update without a field to change');
      const [row] = (await run(statement, args)).rows;
      return row ? toItem(row) : null;
    },
    remove(id) {
      return run(ITEM_STATEMENTS.remove, { id }).then(({ rowCount }) => (rowCount ?? 0) > 0);
    },
  };
}
