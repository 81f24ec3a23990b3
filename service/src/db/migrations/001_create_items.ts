import type { Knex } from 'knex';
import { ITEM_LIMITS } from '../../items/limits.js';

/** The items table; constraints repeat the API's validation so no path can store an invalid row. */
export const createItems = {
  name: '001_create_items',
  async up(knex: Knex): Promise<void> {
    await knex.schema.createTable('items', (t) => {
      t.bigIncrements('id').primary();
      t.string('name', ITEM_LIMITS.nameMaxLength).notNullable();
      t.string('description', ITEM_LIMITS.descriptionMaxLength).nullable();
      t.decimal('price', ITEM_LIMITS.pricePrecision, ITEM_LIMITS.priceScale).notNullable();
      t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    });
    await knex.raw('ALTER TABLE items ADD CONSTRAINT items_price_non_negative CHECK (price >= 0)');
    await knex.raw('ALTER TABLE items ADD CONSTRAINT items_name_not_blank CHECK (char_length(btrim(name)) > 0)');
  },
  async down(knex: Knex): Promise<void> {
    await knex.schema.dropTable('items');
  },
};
