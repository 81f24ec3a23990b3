/**
 * The rules under the real promtool: `check rules` on the generated rule file, `test rules` on the
 * generated unit tests, and three deliberately broken rule files that the unit tests must reject,
 * which proves the cases check both sides of every `for:` and every firing alert.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { requireTools } from '../testing/tools.js';
import { generatedHeader } from '../project/generated.js';
import { serviceAlerts } from './alerts/service.js';
import { alertName, CONFIG } from './config.js';
import { RULE_FILE, RULE_TEST_FILE, ruleFileContent, ruleTestFileContent } from './generate.js';
import { toRuleGroup } from './group.js';
import { alertDefinitions, groupDefinitions, ruleGroups, toRuleFileYaml } from './index.js';
import { durationSeconds } from './promql.js';
import { runPromtool as promtool } from './promtool-runner.js';
import { SLO_SERIES, SLO_WINDOWS } from './series.js';
import { ruleTestSuite } from './tests/index.js';
import { isAlertingRule, type RuleGroup } from './types.js';

const RULE_NAME = path.basename(RULE_FILE);
const TEST_NAME = path.basename(RULE_TEST_FILE);
let dir: string;

/** Writes a rule file (fresh from the sources unless given) and the unit tests beside it, in their own folder. */
async function workspace(name: string, rules: string = ruleFileContent()): Promise<string> {
  const folder = path.join(dir, name);
  await mkdir(folder, { recursive: true });
  await writeFile(path.join(folder, RULE_NAME), rules);
  await writeFile(path.join(folder, TEST_NAME), ruleTestFileContent());
  return folder;
}

const mutated = (groups: RuleGroup[]): string => generatedHeader('monitoring/promtool.test.ts (a deliberately broken rule file)', '#') + toRuleFileYaml(groups);

/** Names of alerts whose cases failed, from promtool's report. */
const failedAlerts = (output: string): Set<string> => new Set([...output.matchAll(/alertname: (\w+), time:/g)].map((m) => m[1] as string));

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'items-api-rules-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

// Each case runs its own promtool process; run them side by side.
describe('promtool', { concurrency: true }, () => {
  test('check rules accepts the generated rule file and finds every rule', async (t) => {
    const tools = requireTools(t, ['promtool']);
    if (!tools) return;
    const folder = await workspace('check');
    const { code, output } = await promtool(tools.promtool as string, ['check', 'rules', path.join(folder, RULE_NAME)]);
    const count = ruleGroups().reduce((n, g) => n + g.rules.length, 0);
    assert.equal(code, 0, output);
    assert.match(output, new RegExp(`SUCCESS: ${count} rules found`));
  });

  test('test rules passes every case on the generated rules', async (t) => {
    const tools = requireTools(t, ['promtool']);
    if (!tools) return;
    const folder = await workspace('pass');
    const { code, output } = await promtool(tools.promtool as string, ['test', 'rules', path.join(folder, TEST_NAME)]);
    assert.equal(code, 0, output);
    assert.match(output, /SUCCESS/);
  });

  test('test rules rejects alerts that fire before their for: has elapsed, for every alert with a for:', async (t) => {
    const tools = requireTools(t, ['promtool']);
    if (!tools) return;
    const folder = await workspace('for-zero', mutated(ruleGroups({ forOverride: '0s' })));
    const { code, output } = await promtool(tools.promtool as string, ['test', 'rules', path.join(folder, TEST_NAME)]);
    assert.notEqual(code, 0, 'the cases must notice alerts firing early');
    const waiting = alertDefinitions().filter((def) => durationSeconds(def.for) > 0).map((def) => def.name);
    const failed = failedAlerts(output);
    assert.deepEqual(waiting.filter((name) => !failed.has(name)), [], 'alerts whose early firing no case noticed');
  });

  test('test rules rejects alerts that never fire, for every alert', async (t) => {
    const tools = requireTools(t, ['promtool']);
    if (!tools) return;
    const silenced = ruleGroups().map((g) => ({ ...g, rules: g.rules.map((r) => (isAlertingRule(r) ? { ...r, expr: 'vector(1) == 0' } : r)) }));
    const folder = await workspace('never-fire', mutated(silenced));
    const { code, output } = await promtool(tools.promtool as string, ['test', 'rules', path.join(folder, TEST_NAME)]);
    assert.notEqual(code, 0);
    const failed = failedAlerts(output);
    assert.deepEqual(alertDefinitions().map((d) => d.name).filter((name) => !failed.has(name)), [], 'alerts whose silence no case noticed');
  });

  test('test rules rejects a pool saturation alert without its minimum of slow waits: it goes pending on a healthy start', async (t) => {
    const tools = requireTools(t, ['promtool']);
    if (!tools) return;
    const pool = alertName('DatabasePoolSaturated');
    // The rule as it was before the guard: any p99 above the threshold, however few the waits.
    const unguarded = serviceAlerts({ ...CONFIG, causes: { ...CONFIG.causes, poolSaturated: { ...CONFIG.causes.poolSaturated, minSlowAcquires: 0 } } });
    const groups = groupDefinitions().map((group) => toRuleGroup(group.alerts.some((a) => a.name === pool) ? { ...group, alerts: unguarded } : group));
    const folder = await workspace('pool-unguarded', mutated(groups));
    const { code, output } = await promtool(tools.promtool as string, ['test', 'rules', path.join(folder, TEST_NAME)]);
    assert.notEqual(code, 0, 'the cold-start cases must notice the pending alert');
    assert.match(output, new RegExp(`expr: "round\\(ALERTS\\{alertname=\\\\"${pool}\\\\"\\}, [0-9.]+\\)", time: 1m,[\\s\\S]*alertstate="pending"`));
  });

  test('test rules rejects error ratios that are off by a factor of two', async (t) => {
    const tools = requireTools(t, ['promtool']);
    if (!tools) return;
    const doubled = ruleGroups().map((g) => ({
      ...g,
      rules: g.rules.map((r) => (!isAlertingRule(r) && r.record.startsWith('slo:sli_error:') ? { ...r, expr: `2 * (\n${r.expr}\n)` } : r)),
    }));
    const folder = await workspace('doubled', mutated(doubled));
    const { code, output } = await promtool(tools.promtool as string, ['test', 'rules', path.join(folder, TEST_NAME)]);
    assert.notEqual(code, 0);
    assert.match(output, /expr: "round\(slo:sli_error:ratio_rate30d/);
  });
});

describe('the promtool cases', () => {
  const suite = ruleTestSuite();
  for (const def of alertDefinitions()) {
    test(`cover ${def.name} firing, silent before its for:, and silent without its cause`, () => {
      const cases = suite.alertCases.filter((c) => c.alert === def.name);
      assert.ok(cases.some((c) => c.firing && c.firing.alerts.length > 0 && c.silentAt.length > 0), 'a case that fires, and is silent one step before');
      assert.ok(cases.some((c) => !c.firing), 'a case where it stays silent');
    });
  }
  test('check the value of every recorded SLO series', () => {
    const checked = suite.exprCases.flatMap((c) => c.checks.map((check) => check.expr)).join('\n');
    for (const name of [SLO_SERIES.objective, SLO_SERIES.errorBudget, SLO_SERIES.currentBurnRate, SLO_SERIES.periodBurnRate, SLO_SERIES.budgetRemaining]) {
      assert.ok(checked.includes(`${name}{`), `${name} is checked`);
    }
    for (const window of SLO_WINDOWS) assert.ok(checked.includes(`${SLO_SERIES.errorRatio(window)}{`), `${window} ratio is checked`);
  });
});
