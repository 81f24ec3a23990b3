import { defineStatement, sqlBuilder as sql, type Statement } from '../db/statement.js';

/** Columns every statement returns, in the shape `toItem` maps. */
export const ITEM_COLUMNS = ['id', 'name', 'description', 'price', 'created_at', 'updated_at'] as const;

/** Fields a PUT or PATCH may change; each combination gets its own statement. */
export const UPDATABLE_FIELDS = ['name', 'price', 'description'] as const;
export type UpdatableField = (typeof UPDATABLE_FIELDS)[number];

const items = () => sql('items');
const columns = [...ITEM_COLUMNS];

function updateStatement(fields: readonly UpdatableField[]): Statement<'id' | UpdatableField> {
  return defineStatement(`items_update_${fields.join('_')}`, 'update', ['id', ...fields], (p) =>
    items()
      .where('id', p.id)
      .update({ ...Object.fromEntries(fields.map((field) => [field, p[field]])), updated_at: sql.fn.now() })
      .returning(columns),
  );
}

/** Every non-empty subset of the updatable fields, in a fixed order, keyed by its bit mask. */
const UPDATE_MASKS = Array.from({ length: 2 ** UPDATABLE_FIELDS.length - 1 }, (_, i) => i + 1);
export const fieldsOfMask = (mask: number): UpdatableField[] => UPDATABLE_FIELDS.filter((_, bit) => mask & (1 << bit));

/** The hot statements, compiled once when the module loads. */
export const ITEM_STATEMENTS = {
  findById: defineStatement('items_find_by_id', 'select', ['id'], (p) => items().select(columns).where('id', p.id)),
  list: defineStatement('items_list', 'select', ['limit', 'offset'], (p) => items().select(columns).orderBy('id', 'asc').limit(p.limit).offset(p.offset)),
  create: defineStatement('items_create', 'insert', ['name', 'price', 'description'], (p) =>
    items().insert({ name: p.name, price: p.price, description: p.description }).returning(columns),
  ),
  /** Indexed by the bit mask of the fields being set (bit 0 name, 1 price, 2 description). */
  update: Object.fromEntries(UPDATE_MASKS.map((mask) => [mask, updateStatement(fieldsOfMask(mask))])) as Record<number, Statement<'id' | UpdatableField>>,
  remove: defineStatement('items_delete', 'delete', ['id'], (p) => items().where('id', p.id).del()),
} as const;
