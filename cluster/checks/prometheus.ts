/**
 * Prometheus, reached through the API server's service proxy: the project's targets are up, its
 * rules are loaded and healthy, and none of its alerts is firing.
 */
import path from 'node:path';
import type { ActiveAlert, RuleGroupStatus, RuleStatus, Target } from '../../toolkit/prometheus-api/types.js';
import { type Check, type Finding, fail, note, ok } from './findings.js';

export const TARGET_CHECK = 'prometheus-target';
export const RULES_CHECK = 'prometheus-rules';
export const ALERTS_CHECK = 'prometheus-alerts';

/** Always firing by design (the dead man's switch) or an artefact of inhibition: never a problem. */
export const ALWAYS_FIRING = ['Watchdog', 'InfoInhibitor'] as const;

// The fields of Prometheus' answers (toolkit/prometheus-api/types.ts) that the checks read.
export type CheckedTarget = Pick<Target, 'labels' | 'scrapeUrl' | 'health' | 'lastError'>;
export type CheckedRule = Pick<RuleStatus, 'name' | 'type' | 'health' | 'lastError'>;
export interface CheckedGroup extends Pick<RuleGroupStatus, 'name' | 'file'> {
  readonly rules: readonly CheckedRule[];
}
export type CheckedAlert = Pick<ActiveAlert, 'labels' | 'annotations' | 'state'>;

/** What the checks ask Prometheus; the shared `PrometheusClient` (toolkit/prometheus-api/client.ts) answers it. */
export interface PrometheusApi {
  targets(): Promise<readonly CheckedTarget[]>;
  rules(): Promise<readonly CheckedGroup[]>;
  alerts(): Promise<readonly CheckedAlert[]>;
}

export interface TargetExpectation {
  /** `job` label of the service's target (the Service name, with a ServiceMonitor). */
  readonly job: string;
  readonly namespace: string;
}

/** The service's own target must be discovered and up; every other target of the namespace must be up. */
export function targetFindings(targets: readonly CheckedTarget[], expect: TargetExpectation): Finding[] {
  const inNamespace = targets.filter((t) => t.labels.namespace === expect.namespace);
  const own = inNamespace.filter((t) => t.labels.job === expect.job);
  const findings: Finding[] = [];
  if (own.length === 0) {
    findings.push(
      fail(TARGET_CHECK, `no target with job="${expect.job}" in namespace ${expect.namespace}: is the ServiceMonitor there, selecting the Service, naming its metrics port?`),
    );
  }
  for (const target of inNamespace) {
    const what = `job="${target.labels.job ?? '?'}" ${target.labels.pod ?? target.scrapeUrl}`;
    findings.push(
      target.health === 'up'
        ? ok(TARGET_CHECK, `${what}: up`)
        : fail(TARGET_CHECK, `${what}: ${target.health}${target.lastError ? ` (${target.lastError})` : ' (not scraped yet)'}`),
    );
  }
  return findings;
}

export interface RulesExpectation {
  readonly namespace: string;
  /** Names of the project's alerts (monitoring ALERTS). */
  readonly alertNames: readonly string[];
  /** Names of the project's rule groups (monitoring ruleGroups()). */
  readonly groupNames: readonly string[];
}

/**
 * The Prometheus Operator writes each PrometheusRule to a file named `<namespace>-<name>-<uid>.yaml`,
 * which tells the project's groups from the chart's own.
 */
export const isFromNamespace = (group: CheckedGroup, namespace: string): boolean => path.basename(group.file).startsWith(`${namespace}-`);

export function ruleFindings(groups: readonly CheckedGroup[], expect: RulesExpectation): Finding[] {
  const own = groups.filter((g) => isFromNamespace(g, expect.namespace));
  const findings: Finding[] = [];
  const loadedNames = new Set(groups.map((g) => g.name));
  for (const name of expect.groupNames) {
    if (!loadedNames.has(name)) findings.push(fail(RULES_CHECK, `rule group "${name}" is not loaded: is the PrometheusRule applied, and selected?`));
  }
  const alerting = new Set(groups.flatMap((g) => g.rules.filter((r) => r.type === 'alerting').map((r) => r.name)));
  const missing = expect.alertNames.filter((name) => !alerting.has(name));
  if (missing.length > 0) findings.push(fail(RULES_CHECK, `alerting rules not loaded: ${missing.join(', ')}`));
  for (const group of own) {
    for (const rule of group.rules.filter((r) => r.health === 'err')) {
      findings.push(fail(RULES_CHECK, `rule ${rule.name} in group ${group.name} fails to evaluate: ${rule.lastError ?? 'unknown error'}`));
    }
  }
  if (!findings.some((f) => f.level === 'fail')) {
    const rules = own.reduce((sum, g) => sum + g.rules.length, 0);
    findings.push(ok(RULES_CHECK, `${own.length} groups, ${rules} rules from namespace ${expect.namespace} loaded and healthy, all ${expect.alertNames.length} alerts present`));
  }
  return findings;
}

export interface AlertsExpectation {
  readonly namespace: string;
  /** The project's alert names (monitoring ALERTS). */
  readonly alertNames: readonly string[];
}

/**
 * A project alert is one of the project's own rules, or any alert about the project's namespace
 * (the chart's KubePodCrashLooping or TargetDown for an items pod is the project's problem too).
 */
export function alertFindings(alerts: readonly CheckedAlert[], expect: AlertsExpectation): Finding[] {
  const names = new Set(expect.alertNames);
  const isProject = (a: CheckedAlert): boolean => names.has(a.labels.alertname ?? '') || a.labels.namespace === expect.namespace;
  const firing = alerts.filter((a) => a.state === 'firing' && !(ALWAYS_FIRING as readonly string[]).includes(a.labels.alertname ?? ''));
  const describe = (a: CheckedAlert): string => `${a.labels.alertname ?? '?'} (${a.labels.severity ?? 'no severity'})`;
  const findings: Finding[] = firing
    .filter(isProject)
    .map((a) => fail(ALERTS_CHECK, `alert firing: ${describe(a)}${a.annotations.summary ? `: ${a.annotations.summary}` : ''}`));
  if (findings.length === 0) findings.push(ok(ALERTS_CHECK, 'no project alert firing'));
  const others = firing.filter((a) => !isProject(a));
  if (others.length > 0) findings.push(note(ALERTS_CHECK, `firing outside the project (not failing this check): ${others.map(describe).join(', ')}`));
  return findings;
}

export const prometheusChecks = (api: PrometheusApi, expect: TargetExpectation & RulesExpectation): Check[] => [
  { name: TARGET_CHECK, run: async () => targetFindings(await api.targets(), expect) },
  { name: RULES_CHECK, run: async () => ruleFindings(await api.rules(), expect) },
  { name: ALERTS_CHECK, run: async () => alertFindings(await api.alerts(), expect) },
];
