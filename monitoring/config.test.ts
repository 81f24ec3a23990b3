import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RUNBOOK_BASE_URL, SCRAPE } from '../project/constants.js';
import { NON_SLI_ROUTES } from '../service/src/metrics/catalog.js';
import { CONFIG, defineMonitoringConfig, missingValues, MonitoringConfigError, runbookUrl, type MonitoringConfig } from './config.js';

/** CONFIG with one value replaced, for "what if this were missing" cases. */
function withValue(path: string, value: unknown): MonitoringConfig {
  const copy = structuredClone(CONFIG) as unknown as Record<string, unknown>;
  const keys = path.split('.');
  let node = copy;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[keys.at(-1) as string] = value;
  return copy as unknown as MonitoringConfig;
}

describe('defineMonitoringConfig(config)', () => {
  test('accepts the project config', () => assert.equal(defineMonitoringConfig(CONFIG), CONFIG));

  const missing: Array<[string, string, unknown]> = [
    ['an empty job, which would select every target', 'service.job', ''],
    ['an undefined SLO objective', 'slos.availability.objective', undefined],
    ['an empty list of excluded routes', 'sli.excludedRoutes', []],
    ['a NaN threshold', 'causes.memoryNearLimit.ratio', Number.NaN],
    ['a null runbook base URL', 'runbookBaseUrl', null],
  ];
  for (const [what, path, value] of missing) {
    test(`fails loudly on ${what}, naming the path`, () => {
      assert.throws(
        () => defineMonitoringConfig(withValue(path, value)),
        (err: Error) => err instanceof MonitoringConfigError && err.message.includes(`config.${path}`) && err.message.includes('monitoring/config.ts'),
      );
    });
  }

  test('fails on a for: that is not a Prometheus duration', () => {
    assert.throws(() => defineMonitoringConfig(withValue('causes.targetDown.for', '5 minutes')), /config\.causes\.targetDown\.for \("5 minutes"\)/);
  });

  test('names every missing value at once', () => {
    const broken = withValue('service.job', '');
    (broken.kubernetes as { container: string }).container = '';
    assert.deepEqual(missingValues(broken), ['config.service.job', 'config.kubernetes.container']);
  });
});

describe('CONFIG', () => {
  test('selects the job the ServiceMonitor and the local stack scrape', () => assert.equal(CONFIG.service.job, SCRAPE.job));
  test('excludes exactly the catalog\'s non-SLI routes', () => assert.deepEqual(CONFIG.sli.excludedRoutes, NON_SLI_ROUTES));
  test('cites the SRE workbook for its burn-rate windows', () => assert.match(CONFIG.burnRateAlerts.source, /Site Reliability Workbook/));
  test('the runbook URL of an alert is RUNBOOK_BASE_URL/<AlertName>.md', () =>
    assert.equal(runbookUrl('ItemsApiTargetDown'), `${RUNBOOK_BASE_URL}/ItemsApiTargetDown.md`));
});
