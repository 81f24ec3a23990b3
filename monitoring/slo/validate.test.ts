import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CONFIG, type BurnRateAlertPolicy } from '../config.js';
import type { SloWindow } from '../series.js';
import { availabilitySlo, itemsApiSlos } from './items-api.js';
import type { SloSpec } from './spec.js';
import { policyProblems, specProblems, validateSlos } from './validate.js';

const spec = (change: Partial<SloSpec>): SloSpec => ({ ...availabilitySlo(), ...change });
const policy = (windows: BurnRateAlertPolicy['windows']): BurnRateAlertPolicy => ({ ...CONFIG.burnRateAlerts.page, windows });

describe('validateSlos(specs, policies)', () => {
  test('accepts the SLOs of items-api with the configured policies', () => {
    const specs = itemsApiSlos();
    assert.equal(validateSlos(specs, [CONFIG.burnRateAlerts.page, CONFIG.burnRateAlerts.ticket]), specs);
  });

  const badSpecs: Array<[string, Partial<SloSpec>, RegExp]> = [
    ['an objective written as a percentage is refused', { objective: 99.5 }, /objective must be a ratio between 0 and 1/],
    ['an objective of 1 (no budget at all) is refused', { objective: 1 }, /objective must be a ratio/],
    ['a period that is not a recorded window is refused', { period: '7d' as SloWindow }, /period 7d is not a recorded window/],
    ['an empty job is refused', { job: ' ' }, /job is empty/],
  ];
  for (const [name, change, message] of badSpecs) {
    test(name, () => assert.match(specProblems(spec(change)).join('\n'), message));
  }

  const badPolicies: Array<[string, BurnRateAlertPolicy['windows'], RegExp]> = [
    ['a window nobody records is refused', [{ long: '12h' as SloWindow, short: '5m', factor: 2 }], /window 12h is not recorded/],
    ['a short window longer than the long one is refused', [{ long: '5m', short: '1h', factor: 14.4 }], /short window 1h must be shorter than long window 5m/],
    ['a factor no error ratio can reach is refused', [{ long: '1h', short: '5m', factor: 250 }], /could never fire/],
    ['a non-positive factor is refused', [{ long: '1h', short: '5m', factor: 0 }], /must be positive/],
    ['a policy without windows is refused', [], /at least one window pair/],
  ];
  for (const [name, windows, message] of badPolicies) {
    test(name, () => assert.match(policyProblems(availabilitySlo(), policy(windows)).join('\n'), message));
  }

  test('two SLOs with one id are refused', () =>
    assert.throws(() => validateSlos([availabilitySlo(), availabilitySlo()], []), /ids must be unique; repeated: availability/));

  test('every problem is listed in one error', () =>
    assert.throws(() => validateSlos([spec({ objective: 2, job: '' })], []), (err: Error) => /objective/.test(err.message) && /job is empty/.test(err.message)));
});
