import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { defineStatement, sqlBuilder, valuesFor, type Statement } from '../src/db/statement.js';
import { ITEM_STATEMENTS, fieldsOfMask } from '../src/items/statements.js';
import { json, startHarness, type Harness } from './support/harness.js';

const all = [ITEM_STATEMENTS.findById, ITEM_STATEMENTS.list, ITEM_STATEMENTS.create, ITEM_STATEMENTS.remove, ...Object.values(ITEM_STATEMENTS.update)];

describe('defineStatement(name, operation, params, build)', () => {
  test('maps each parameter to its $n, in the order knex wrote them', () => {
    const s = defineStatement('t', 'insert', ['b', 'a'], (p) => sqlBuilder('t').insert({ b: p.b, a: p.a }));
    assert.equal(s.text, 'insert into "t" ("a", "b") values ($1, $2)');
    assert.deepEqual(s.params, ['a', 'b']);
    assert.deepEqual(valuesFor(s, { a: 1, b: 2 }), [1, 2]);
  });
  test('refuses a statement that would bake a value into its bindings', () => {
    assert.throws(() => defineStatement('t', 'select', ['id'], (p) => sqlBuilder('t').where('id', p.id).where('name', 'literal')), /not a parameter/);
  });
  test('refuses a parameter the statement does not use', () => {
    assert.throws(() => defineStatement('t', 'select', ['id', 'name'], (p) => sqlBuilder('t').where('id', p.id)), /name not used/);
  });
});

describe('ITEM_STATEMENTS', () => {
  test('one uniquely named statement per shape, every value a $n parameter', () => {
    assert.equal(new Set(all.map((s) => s.name)).size, all.length);
    for (const s of all) {
      const placeholders = [...s.text.matchAll(/\$(\d+)/g)].map((m) => Number(m[1]));
      assert.deepEqual(placeholders.sort((a, b) => a - b), s.params.map((_, i) => i + 1), s.name);
      assert.doesNotMatch(s.text, /'|\b2000000\d{3}\b/, `${s.name} holds no literal: ${s.text}`);
    }
  });
  test('an update sets exactly the fields of its mask, and updated_at', () => {
    for (const [mask, s] of Object.entries(ITEM_STATEMENTS.update)) {
      const fields = fieldsOfMask(Number(mask));
      assert.deepEqual([...s.params].sort(), ['id', ...fields].sort());
      assert.match(s.text, /"updated_at" = CURRENT_TIMESTAMP/);
    }
    assert.equal(Object.keys(ITEM_STATEMENTS.update).length, 7);
  });
});

describe('the API runs its queries as named prepared statements on the pool', () => {
  let h: Harness;
  before(async () => {
    // One connection: every statement below is prepared on it, and the test reads that session.
    h = await startHarness({ DB_POOL_MAX: '1' });
  });
  after(() => h.close());

  test('after one request per operation, the pooled session holds each statement, each planned from one parse', async () => {
    const created = (await (await fetch(`${h.api}/items`, json({ name: 'prepared', price: 1 }))).json()) as { id: number };
    for (let i = 0; i < 3; i++) assert.equal((await fetch(`${h.api}/items/${created.id}`)).status, 200);
    assert.equal((await fetch(`${h.api}/items?limit=5`)).status, 200);
    assert.equal((await fetch(`${h.api}/items/${created.id}`, json({ name: 'replaced', price: 2 }, 'PUT'))).status, 200);
    assert.equal((await fetch(`${h.api}/items/${created.id}`, json({ price: 3 }, 'PATCH'))).status, 200);
    assert.equal((await fetch(`${h.api}/items/${created.id}`, { method: 'DELETE' })).status, 204);

    const listPrepared: Statement = {
      name: 'test_list_prepared',
      text: "select name, (generic_plans + custom_plans)::text as runs from pg_prepared_statements where not from_sql and name <> 'test_list_prepared' order by name",
      params: [],
      operation: 'other',
    };
    const { rows } = await h.service.pool.execute<{ name: string; runs: string }>(listPrepared, []);
    const runs = Object.fromEntries(rows.map((r) => [r.name, Number(r.runs)]));
    assert.deepEqual(Object.keys(runs).sort(), [
      'items_create',
      'items_delete',
      'items_find_by_id',
      'items_list',
      'items_update_name_price_description',
      'items_update_price',
    ]);
    assert.equal(runs.items_find_by_id, 3, 'three executions of one prepared statement');
  });
});
