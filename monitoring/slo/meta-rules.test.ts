import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SLO_SERIES } from '../series.js';
import { availabilitySlo, latencySlo } from './items-api.js';
import { errorBudget, metadataRecordingRules } from './meta-rules.js';

describe('metadataRecordingRules(spec)', () => {
  const cases: Array<[ReturnType<typeof availabilitySlo>, number, number]> = [
    [availabilitySlo(), 0.995, 0.005],
    [latencySlo(), 0.99, 0.01],
  ];
  for (const [spec, objective, budget] of cases) {
    const rules = new Map(metadataRecordingRules(spec).map((r) => [r.record, r.expr]));
    test(`${spec.id}: the error budget is ${budget} (1 - ${objective}), without binary noise`, () => assert.equal(errorBudget(spec), budget));
    test(`${spec.id}: records objective ${objective} and budget ${budget} with the labels of the period ratio`, () => {
      assert.equal(rules.get(SLO_SERIES.objective), `${SLO_SERIES.errorRatio('30d')}{job="items-api", slo="${spec.id}"} * 0 + ${objective}`);
      assert.equal(rules.get(SLO_SERIES.errorBudget), `${SLO_SERIES.errorRatio('30d')}{job="items-api", slo="${spec.id}"} * 0 + ${budget}`);
    });
    test(`${spec.id}: the current burn rate is the 5m ratio over the budget`, () =>
      assert.equal(rules.get(SLO_SERIES.currentBurnRate), `${SLO_SERIES.errorRatio('5m')}{job="items-api", slo="${spec.id}"} / ${budget}`));
    test(`${spec.id}: the period burn rate is the 30d ratio over the budget`, () =>
      assert.equal(rules.get(SLO_SERIES.periodBurnRate), `${SLO_SERIES.errorRatio('30d')}{job="items-api", slo="${spec.id}"} / ${budget}`));
    test(`${spec.id}: budget remaining is 1 - period burn rate`, () =>
      assert.equal(rules.get(SLO_SERIES.budgetRemaining), `1 - ${SLO_SERIES.periodBurnRate}{job="items-api", slo="${spec.id}"}`));
  }
});
