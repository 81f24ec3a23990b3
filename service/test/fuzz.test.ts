import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { ITEM_LIMITS } from '../src/items/limits.js';
import { startHarness, type Harness } from './support/harness.js';

let h: Harness;
let knownId: number;
before(async () => {
  h = await startHarness();
  const res = await fetch(`${h.api}/items`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"anchor","price":1}' });
  knownId = ((await res.json()) as { id: number }).id;
});
after(() => h.close());

const RUNS = Number(process.env.FUZZ_RUNS ?? 150);

const hostile = fc.constantFrom(
  "'; DROP TABLE items; --",
  '" OR 1=1 --',
  '\u0000',
  '\ud800',
  '\u202e\u0301',
  '%00',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  '🙂'.repeat(60),
  '{{ $labels.pod }}',
  '1e309',
  'NaN',
);
const text = fc.oneof(fc.string({ maxLength: 120 }), fc.string({ unit: 'binary', maxLength: 120 }), hostile, fc.string({ minLength: 90, maxLength: 1100 }));
const value = fc.oneof(
  text,
  fc.double(),
  fc.integer(),
  fc.constantFrom(-0, 0.1 + 0.2, 1e21, Number.MAX_SAFE_INTEGER, 9_999_999_999.99, 10_000_000_000),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2 }),
);
const itemLike = fc.record(
  { name: value, price: value, description: value, extra: value },
  { requiredKeys: [] },
);
const body = fc.oneof(
  itemLike.map((b) => JSON.stringify(b)),
  fc.json({ maxDepth: 3 }),
  text,
  fc.constantFrom('', '{', '[]', 'null', '{"name":"x","price":1', '{"__proto__":{"x":1},"name":"p","price":1}'),
);
const id = fc.oneof(
  fc.constant(String(1)),
  fc.integer({ min: -5, max: 1e6 }).map(String),
  fc.bigInt({ min: 0n, max: 10n ** 25n }).map(String),
  // Any bytes, percent-encoded: includes invalid UTF-8 the router has to decode.
  fc.oneof(text.map((t) => Buffer.from(t)), fc.uint8Array({ maxLength: 40 }).map(Buffer.from)).map((bytes) =>
    [...bytes].map((b) => `%${b.toString(16).padStart(2, '0')}`).join(''),
  ),
);

/** Every stored row must satisfy the API's own rules, whatever was thrown at it. */
async function assertStoredRowsValid(): Promise<void> {
  const rows = (await h.db('items').select('*')) as Array<{ name: string; price: string; description: string | null }>;
  for (const row of rows) {
    // Lengths in characters (code points), as the API and varchar(n) count them.
    assert.ok(row.name.trim().length > 0 && [...row.name].length <= ITEM_LIMITS.nameMaxLength, `bad name stored: ${JSON.stringify(row.name)}`);
    assert.ok(row.name.isWellFormed() && !row.name.includes('\u0000'));
    const price = Number(row.price);
    assert.ok(price >= 0 && price <= ITEM_LIMITS.priceMax && /^\d+\.\d{2}$/.test(row.price), `bad price stored: ${row.price}`);
    assert.ok(row.description === null || [...row.description].length <= ITEM_LIMITS.descriptionMaxLength);
  }
}

test('random bodies and ids on POST/PUT/PATCH/GET/DELETE never yield a 5xx or an invalid stored row', async () => {
  const seen = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(fc.constantFrom('POST', 'PUT', 'PATCH', 'GET', 'DELETE'), id, body, fc.boolean(), async (method, rawId, payload, useKnown) => {
      const path = method === 'POST' ? '/items' : `/items/${useKnown ? knownId : rawId}`;
      const init: RequestInit = { method, headers: { 'content-type': 'application/json' } };
      if (method !== 'GET' && method !== 'DELETE') init.body = payload;
      const res = await fetch(`${h.api}${path}`, init);
      seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
      const text = await res.text();
      assert.ok(res.status < 500, `${method} ${path} ${payload.slice(0, 200)} -> ${res.status} ${text.slice(0, 300)}`);
      if (res.status >= 400) assert.match(res.headers.get('content-type') ?? '', /problem\+json/);
      if (method === 'DELETE' && res.status === 204 && useKnown) {
        const again = await fetch(`${h.api}/items`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"anchor","price":1}' });
        knownId = ((await again.json()) as { id: number }).id;
      }
    }),
    { numRuns: RUNS },
  );
  await assertStoredRowsValid();
  assert.ok((seen.get(400) ?? 0) > 0, 'fuzzing reached validation');
});

test('random valid items round-trip exactly', async () => {
  const validName = fc.string({ minLength: 1, maxLength: ITEM_LIMITS.nameMaxLength, unit: 'grapheme' }).filter((s) => s.trim().length > 0 && s.length <= ITEM_LIMITS.nameMaxLength);
  const validPrice = fc.integer({ min: 0, max: 999_999_999_999 }).map((cents) => cents / 100);
  await fc.assert(
    fc.asyncProperty(validName, validPrice, fc.option(fc.string({ maxLength: 200 }).filter((s) => !s.includes('\u0000')), { nil: null }), async (name, price, description) => {
      const res = await fetch(`${h.api}/items`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, price, description }) });
      assert.equal(res.status, 201, await res.clone().text());
      const created = (await res.json()) as { id: number };
      const got = (await (await fetch(`${h.api}/items/${created.id}`)).json()) as { name: string; price: number; description: string | null };
      assert.deepEqual({ name: got.name, price: got.price, description: got.description }, { name, price, description });
    }),
    { numRuns: Math.ceil(RUNS / 3) },
  );
  await assertStoredRowsValid();
});
