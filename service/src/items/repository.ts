import type { Knex } from 'knex';
import type { Item, ItemCreate, ItemPatch } from './schema.js';

interface ItemRow {
  id: string | number;
  name: string;
  description: string | null;
  price: string;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = ['id', 'name', 'description', 'price', 'created_at', 'updated_at'];

/** pg returns bigint and numeric as strings; the API speaks numbers (ids are kept below 2^53). */
function toItem(row: ItemRow): Item {
  return {
    id: Number(row.id),
    name: row.name,
    description: row.description,
    price: Number(row.price),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
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

export function createItemsRepository(db: Knex): ItemsRepository {
  // Rows are typed at the edge (toItem); knex's generic row typing adds nothing over that here.
  const table = () => db('items');
  return {
    async list({ limit, offset }) {
      const rows = await table().select(COLUMNS).orderBy('id', 'asc').limit(limit).offset(offset);
      return (rows as ItemRow[]).map(toItem);
    },
    async findById(id) {
      const row = await table().select(COLUMNS).where({ id }).first();
      return row ? toItem(row as ItemRow) : null;
    },
    async create(input) {
      const [row] = await table()
        .insert({ name: input.name, price: String(input.price), description: input.description ?? null })
        .returning(COLUMNS);
      if (!row) throw new Error('insert returned no row');
      return toItem(row as ItemRow);
    },
    async update(id, changes) {
      const values: Record<string, unknown> = { updated_at: db.fn.now() };
      if (changes.name !== undefined) values.name = changes.name;
      if (changes.price !== undefined) values.price = String(changes.price);
      if (changes.description !== undefined) values.description = changes.description;
      const [row] = await table().where({ id }).update(values).returning(COLUMNS);
      return row ? toItem(row as ItemRow) : null;
    },
    async remove(id) {
      return (await table().where({ id }).del()) > 0;
    },
  };
}
