import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { HttpProblem } from '../src/http/problem.js';
import { itemIdParams, parseItemId, parseOrThrow } from '../src/items/schema.js';

type Outcome = { id: number } | { type: string; detail: string; errors: unknown };

const outcome = (parse: () => number): Outcome => {
  try {
    return { id: parse() };
  } catch (error) {
    assert.ok(error instanceof HttpProblem, `a refusal is an HttpProblem, got ${String(error)}`);
    return { type: error.type, detail: error.detail, errors: error.errors };
  }
};

/** What the schema alone answers: the single statement of the rule. */
const bySchema = (raw: string | undefined) => outcome(() => parseOrThrow(itemIdParams, { id: raw }, 'path').id);

test('parseItemId accepts and refuses exactly what itemIdParams does, with the same problem, for every string', () => {
  const MAX = String(Number.MAX_SAFE_INTEGER);
  const near = [MAX, String(Number.MAX_SAFE_INTEGER + 1), `${MAX}0`, '9'.repeat(16), '9'.repeat(17), '1'.repeat(16), '0', '01', '-1', '+1', '1e3', '1.0', ' 1', '1 ', '0x1', '١', ''];
  const raw = fc.oneof(
    fc.constantFrom(...near),
    fc.string(),
    fc.stringMatching(/^[0-9]{1,20}$/),
    fc.bigInt({ min: 0n, max: 10n ** 18n }).map(String),
  );
  fc.assert(fc.property(raw, (s) => assert.deepEqual(outcome(() => parseItemId(s)), bySchema(s))), { numRuns: 5000 });
  assert.deepEqual(outcome(() => parseItemId(undefined)), bySchema(undefined));
});
