import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { availabilitySlo, latencySlo } from './items-api.js';
import { allowance, explain, percent } from './spec.js';

describe('allowance(objective)', () => {
  const cases: Array<[number, number, number]> = [
    [0.995, 5, 1000],
    [0.99, 10, 1000],
    [0.999, 1, 1000],
    [0.9995, 5, 10_000],
    [0.9, 100, 1000],
  ];
  for (const [objective, bad, outOf] of cases) {
    test(`${objective} allows ${bad} bad events in ${outOf}`, () => assert.deepEqual(allowance(objective), { bad, outOf }));
  }
});

test('percent() prints the objective without binary noise', () => assert.equal(percent(0.995), '99.5 %'));

describe('explain(spec)', () => {
  test('the availability SLO says it allows 5 failed requests in 1000', () =>
    assert.equal(explain(availabilitySlo()), '99.5 % of API requests are not answered with a 5xx, over 30d: we allow 5 failed (5xx) API requests in 1000.'));
  test('the latency SLO says it allows 10 slow requests in 1000', () =>
    assert.equal(explain(latencySlo()), '99 % of API requests are answered within 0.25 s, over 30d: we allow 10 API requests slower than 0.25 s in 1000.'));
});
