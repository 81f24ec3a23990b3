import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CONFIG } from '../config.js';
import { renderedTemplate, renderText } from '../templates.js';
import { budgetSpentAtThreshold, burnRateAlert, burnRateAlertExpr, burnRateAlertName, burnRateOf } from './alert-rules.js';
import { availabilitySlo, latencySlo } from './items-api.js';

const { page, ticket } = CONFIG.burnRateAlerts;

describe('budgetSpentAtThreshold(window, period)', () => {
  const cases: Array<[string, { long: '1h' | '6h' | '1d' | '3d'; short: '5m' | '30m' | '2h' | '6h'; factor: number }, number]> = [
    ['14.4× over 1h spends 2 % of a 30d budget', { long: '1h', short: '5m', factor: 14.4 }, 0.02],
    ['6× over 6h spends 5 %', { long: '6h', short: '30m', factor: 6 }, 0.05],
    ['3× over 1d spends 10 %', { long: '1d', short: '2h', factor: 3 }, 0.1],
    ['1× over 3d spends 10 %', { long: '3d', short: '6h', factor: 1 }, 0.1],
  ];
  for (const [name, window, spent] of cases) test(name, () => assert.equal(budgetSpentAtThreshold(window, '30d'), spent));
});

describe('burnRateAlertName(prefix, spec, policy)', () => {
  const cases: Array<[string, string]> = [
    [burnRateAlertName('ItemsApi', availabilitySlo(), page), 'ItemsApiAvailabilityFastBurn'],
    [burnRateAlertName('ItemsApi', availabilitySlo(), ticket), 'ItemsApiAvailabilitySlowBurn'],
    [burnRateAlertName('ItemsApi', latencySlo(), page), 'ItemsApiLatencyFastBurn'],
    [burnRateAlertName('ItemsApi', latencySlo(), ticket), 'ItemsApiLatencySlowBurn'],
  ];
  for (const [got, expected] of cases) test(`names the alert ${expected}`, () => assert.equal(got, expected));
});

describe('burnRateAlertExpr(spec, policy)', () => {
  const expr = burnRateAlertExpr(availabilitySlo(), page);
  test('pages when the 1h and the 5m burn rates both exceed 14.4', () =>
    assert.match(expr, /slo:sli_error:ratio_rate1h\{[^}]*\} \/ 0\.005 > 14\.4\nand\n {2}slo:sli_error:ratio_rate5m\{[^}]*\} \/ 0\.005 > 14\.4/));
  test('or when the 6h and the 30m burn rates both exceed 6', () =>
    assert.match(expr, /\)\nor\n\(\n {2}slo:sli_error:ratio_rate6h\{[^}]*\} \/ 0\.005 > 6\nand\n {2}slo:sli_error:ratio_rate30m\{[^}]*\} \/ 0\.005 > 6\n\)$/));
  test('tickets on 1d/2h above 3 or 3d/6h above 1', () => {
    const slow = burnRateAlertExpr(latencySlo(), ticket);
    assert.match(slow, /ratio_rate1d\{[^}]*\} \/ 0\.01 > 3\nand\n {2}slo:sli_error:ratio_rate2h/);
    assert.match(slow, /ratio_rate3d\{[^}]*\} \/ 0\.01 > 1\nand\n {2}slo:sli_error:ratio_rate6h/);
  });
  test('selects the SLO series of this job and SLO only', () => assert.ok(expr.split('\n').filter((l) => l.includes('slo:')).every((l) => l.includes('{job="items-api", slo="availability"}'))));
});

describe('burnRateAlert(spec, policy, prefix)', () => {
  test('the page is critical and the ticket a warning', () => {
    assert.equal(burnRateAlert(availabilitySlo(), page, 'ItemsApi').severity, 'critical');
    assert.equal(burnRateAlert(availabilitySlo(), ticket, 'ItemsApi').severity, 'warning');
  });
  test('the description states the burn rate, the SLO in words and the thresholds', () => {
    const text = renderText(burnRateAlert(availabilitySlo(), page, 'ItemsApi').description, renderedTemplate({ namespace: 'items' }, { humanize: '20' }));
    assert.match(text, /at 20× the rate that would spend it exactly over 30d/);
    assert.match(text, /we allow 5 failed \(5xx\) API requests in 1000/);
    assert.match(text, /14\.4× over 1h and 5m \(2 % of the 30d budget gone\), or 6× over 6h and 30m \(5 % of the 30d budget gone\)/);
  });
  test('a 1 % error ratio against a 0.5 % budget is a burn rate of 2', () => assert.equal(burnRateOf(availabilitySlo(), 0.01), 2));
});
