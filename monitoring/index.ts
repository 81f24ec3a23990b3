/**
 * The public face of monitoring/: every rule group of items-api, the alert catalogue and the rule
 * file renderer. The cdk8s PrometheusRule, the Helm chart's rule file, the local stack's rule
 * file and the promtool tests are all built from `ruleGroups()`.
 */
import type { AlertDefinition, AlertSummary } from './alerts/define.js';
import { toAlertSummary } from './alerts/define.js';
import { kubernetesAlerts } from './alerts/kubernetes.js';
import { serviceAlerts } from './alerts/service.js';
import { CONFIG } from './config.js';
import { toRuleGroup, type GroupDefinition, type RenderOptions } from './group.js';
import { sloGroups } from './slo/index.js';
import { isAlertingRule, type RuleGroup } from './types.js';

export { toRuleFileYaml } from './rule-file.js';
export type { AlertSummary } from './alerts/define.js';

/** Every group as data, before rendering: SLO recordings, SLO alerts, cause alerts. */
export function groupDefinitions(): GroupDefinition[] {
  const job = CONFIG.service.job;
  return [
    ...sloGroups(CONFIG),
    { name: `${job}-service-alerts`, recordingRules: [], alerts: serviceAlerts(CONFIG) },
    { name: `${job}-kubernetes-alerts`, recordingRules: [], alerts: kubernetesAlerts(CONFIG) },
  ];
}

/** Every alert as a definition (expression, templates, metadata), in rule-file order. */
export const alertDefinitions = (): AlertDefinition[] => groupDefinitions().flatMap((group) => group.alerts);

/** All rule groups of items-api, ready for a rule file or a PrometheusRule's `spec.groups`. */
export function ruleGroups(options: RenderOptions = {}): RuleGroup[] {
  return groupDefinitions().map((group) => toRuleGroup(group, options));
}

/** Every alert: name, severity, whether only a cluster can fire it, summary, runbook, local trigger. */
export const ALERTS: readonly AlertSummary[] = Object.freeze(alertDefinitions().map((def) => toAlertSummary(def)));

/** Names of the recorded series, each once, in rule-file order. */
export function recordingRuleNames(): string[] {
  const names = ruleGroups().flatMap((group) => group.rules.flatMap((rule) => (isAlertingRule(rule) ? [] : [rule.record])));
  return [...new Set(names)];
}
