import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { RUNBOOK_BASE_URL } from '../project/constants.js';
import { ALERTS, alertDefinitions, recordingRuleNames, ruleGroups, toRuleFileYaml } from './index.js';
import { alertName, CAUSE_ALERTS, CONFIG } from './config.js';
import { burnRatePolicies } from './slo/index.js';
import { CLUSTER_SERIES, SERVICE_SERIES, unknownMetricNames } from './promql-names.js';
import { SLO_AGGREGATION_LABELS, SLO_IDS, SLO_LABEL, SLO_SERIES, SLO_WINDOWS } from './series.js';
import { isAlertingRule, type AlertingRule, type RecordingRule } from './types.js';

const rules = ruleGroups().flatMap((group) => group.rules);
const alerts = rules.filter(isAlertingRule);
const recordings = rules.filter((rule): rule is RecordingRule => !isAlertingRule(rule));

describe('ruleGroups()', () => {
  test('group names are unique', () => {
    const names = ruleGroups().map((g) => g.name);
    assert.equal(new Set(names).size, names.length);
  });

  test('alert names are unique and CamelCase', () => {
    const names = alerts.map((a) => a.alert);
    assert.equal(new Set(names).size, names.length, names.join(', '));
    for (const name of names) assert.match(name, /^[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+$/);
  });

  for (const alert of ruleGroups().flatMap((g) => g.rules).filter(isAlertingRule)) {
    test(`${alert.alert} has a severity, a summary, a description, a runbook and a for:`, () => {
      assert.ok(['critical', 'warning', 'info'].includes(alert.labels.severity));
      assert.ok(alert.annotations.summary.length > 10);
      assert.ok(alert.annotations.description.length > alert.annotations.summary.length);
      assert.equal(alert.annotations.runbook_url, `${RUNBOOK_BASE_URL}/${alert.alert}.md`);
      assert.match(alert.for ?? '', /^\d+[smh]$/);
    });
  }

  test('every SLO records every contract series for every SLO id, with the slo label', () => {
    const expected = [...SLO_WINDOWS.map(SLO_SERIES.errorRatio), SLO_SERIES.objective, SLO_SERIES.errorBudget, SLO_SERIES.currentBurnRate, SLO_SERIES.periodBurnRate, SLO_SERIES.budgetRemaining];
    for (const id of SLO_IDS) {
      const recorded = recordings.filter((r) => r.labels?.[SLO_LABEL] === id).map((r) => r.record);
      for (const name of expected) assert.ok(recorded.includes(name), `${name}{slo="${id}"} is recorded`);
    }
  });

  test('raw series enter SLO rules only through sum by (namespace, job), so SLO series carry exactly namespace, job and slo', () => {
    for (const rule of recordings) {
      for (const sum of rule.expr.matchAll(/\bsum\b(\s+(?:by|without)\s*\([^)]*\))?/g)) {
        assert.equal(sum[0], `sum by (${SLO_AGGREGATION_LABELS.join(', ')})`, `${rule.record}: ${rule.expr}`);
      }
    }
  });

  test('every metric a rule reads is exposed by the service, recorded by a rule, or a cluster series', () => {
    const recorded = new Set(recordingRuleNames());
    for (const rule of rules) {
      const name = isAlertingRule(rule) ? rule.alert : rule.record;
      assert.deepEqual(unknownMetricNames(rule.expr, [SERVICE_SERIES, CLUSTER_SERIES, recorded]), [], `${name} reads unknown series`);
    }
  });

  test('forOverride replaces every alert\'s for: and changes nothing else', () => {
    const overridden = ruleGroups({ forOverride: '10s' });
    const strip = (groups: ReturnType<typeof ruleGroups>) =>
      groups.map((g) => ({ ...g, rules: g.rules.map((r) => (isAlertingRule(r) ? { ...r, for: '<for>' } : r)) }));
    assert.deepEqual(strip(overridden), strip(ruleGroups()));
    const fors = overridden.flatMap((g) => g.rules).filter(isAlertingRule).map((a: AlertingRule) => a.for);
    assert.ok(fors.length > 0 && fors.every((f) => f === '10s'));
  });
});

describe('ALERTS', () => {
  test('lists every alert of the rules once, with the rule\'s severity', () => {
    assert.deepEqual(
      ALERTS.map((a) => [a.name, a.severity]),
      alerts.map((a) => [a.alert, a.labels.severity]),
    );
  });
  test('marks as cluster-only exactly the alerts that read kube-state-metrics or cAdvisor series', () => {
    for (const def of alertDefinitions()) {
      const needsCluster = unknownMetricNames(def.expr, [SERVICE_SERIES, new Set(recordingRuleNames())]).length > 0;
      assert.equal(ALERTS.find((a) => a.name === def.name)?.clusterOnly, needsCluster, def.name);
    }
  });
  test('summaries show label placeholders, not template syntax', () => {
    for (const alert of ALERTS) assert.doesNotMatch(alert.summary, /\{\{/);
  });
  test('every alert that is not cluster-only says how to make it fire on the local stack', () => {
    const withoutTrigger = ALERTS.filter((a) => !a.clusterOnly && a.localTrigger === undefined).map((a) => a.name);
    assert.deepEqual(withoutTrigger, []);
  });
});

describe('recordingRuleNames()', () => {
  test('names each recorded series once, in rule order', () => {
    const names = recordingRuleNames();
    assert.equal(new Set(names).size, names.length);
    assert.equal(names[0], SLO_SERIES.eventRate('5m'));
    assert.ok(names.includes(SLO_SERIES.budgetRemaining));
  });
});

describe('toRuleFileYaml(groups)', () => {
  const text = toRuleFileYaml(ruleGroups());
  test('parses back to exactly the groups it was given', () => assert.deepEqual(parse(text), { groups: ruleGroups() }));
  test('uses no YAML anchors or aliases', () => assert.doesNotMatch(text, /[&*]a\d/));
  test('leaves out what a group does not set', () => {
    const yaml = toRuleFileYaml([{ name: 'g', rules: [{ record: 'r', expr: '1' }] }]);
    assert.equal(yaml, 'groups:\n  - name: g\n    rules:\n      - record: r\n        expr: "1"\n');
  });
});

describe('alert names: one typed list', () => {
  test('the rules define exactly the cause alerts CAUSE_ALERTS names plus one burn-rate alert per SLO and speed', () => {
    const burnRate = SLO_IDS.flatMap((slo) => burnRatePolicies(CONFIG).map((p) => `${CONFIG.alertNamePrefix}${slo[0]?.toUpperCase()}${slo.slice(1)}${p.speed}Burn`));
    const expected = [...CAUSE_ALERTS.map((cause) => alertName(cause)), ...burnRate].sort();
    assert.deepEqual(ALERTS.map((a) => a.name).sort(), expected);
  });
});

