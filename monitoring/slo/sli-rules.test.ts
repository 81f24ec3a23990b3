import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SLO_LABEL, SLO_SERIES, SLO_WINDOWS } from '../series.js';
import { availabilitySlo, latencySlo } from './items-api.js';
import { BASE_WINDOW, errorRatioExpr, eventRateRules, sliRecordingRules } from './sli-rules.js';

describe('sliRecordingRules(spec)', () => {
  for (const spec of [availabilitySlo(), latencySlo()]) {
    const rules = sliRecordingRules(spec);
    test(`${spec.id}: records the event rates first, then one error ratio per window ${SLO_WINDOWS.join(', ')}`, () =>
      assert.deepEqual(
        rules.map((r) => r.record),
        [SLO_SERIES.eventRate(BASE_WINDOW), SLO_SERIES.badEventRate(BASE_WINDOW), ...SLO_WINDOWS.map(SLO_SERIES.errorRatio)],
      ));
    test(`${spec.id}: every rule carries slo="${spec.id}"`, () => assert.ok(rules.every((r) => r.labels?.[SLO_LABEL] === spec.id)));
  }
});

describe('eventRateRules(spec)', () => {
  const [all, bad] = eventRateRules(availabilitySlo());
  test('reads raw series over the base window only', () => {
    assert.match(all?.expr ?? '', new RegExp(`\\[${BASE_WINDOW}\\]`));
    assert.doesNotMatch(all?.expr ?? '', /sum_over_time/);
  });
  test('makes the bad rate 0 when no bad series exists yet (or 0 * all)', () => assert.match(bad?.expr ?? '', /\nor\n0 \* sum by/));
});

describe('errorRatioExpr(spec, window)', () => {
  const spec = availabilitySlo();
  test('the base window divides the recorded rates directly', () => {
    const expr = errorRatioExpr(spec, BASE_WINDOW);
    assert.match(expr, /^slo:sli_bad_events:rate5m\{job="items-api", slo="availability"\}\n {2}\/ \(slo:sli_events:rate5m\{[^}]*\} > 0\)/);
  });
  test('a longer window sums the recorded 5m rates over it instead of reading raw samples', () => {
    const expr = errorRatioExpr(spec, '30d');
    assert.match(expr, /sum_over_time\(slo:sli_bad_events:rate5m\{[^}]*\}\[30d\]\)/);
    assert.doesNotMatch(expr, /http_requests_total/);
  });
  test('is 0, not NaN, when the window holds no event (or … == 0)', () => assert.match(errorRatioExpr(spec, '1h'), /\nor\nsum_over_time\(slo:sli_events:rate5m\{[^}]*\}\[1h\]\) == 0$/));
});
