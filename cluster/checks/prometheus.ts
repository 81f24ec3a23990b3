/**
 * Prometheus, reached through the API server's service proxy: the project's targets are up, its
 * rules are loaded and healthy, and none of its alerts is firing.
 */
import path from 'node:path';
import { excerpt, type ServiceClient } from '../../kube-access/api-server.js';
import { type Check, type Finding, fail, note, ok } from './findings.js';

export const TARGET_CHECK = 'prometheus-target';
export const RULES_CHECK = 'prometheus-rules';
export const ALERTS_CHECK = 'prometheus-alerts';

/** Always firing by design (the dead man's switch) or an artefact of inhibition: never a problem. */
export const ALWAYS_FIRING = ['Watchdog', 'InfoInhibitor'] as const;

// Shapes of the Prometheus HTTP API answers, reduced to the fields used here.
export interface ActiveTarget {
  readonly labels: Readonly<Record<string, string>>;
  readonly scrapeUrl: string;
  readonly health: 'up' | 'down' | 'unknown';
  readonly lastError: string;
}
export interface LoadedRule {
  readonly name: string;
  readonly type: 'alerting' | 'recording';
  readonly health: 'ok' | 'err' | 'unknown';
  readonly lastError?: string;
}
export interface LoadedGroup {
  readonly name: string;
  readonly file: string;
  readonly rules: readonly LoadedRule[];
}
export interface ActiveAlert {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly state: 'firing' | 'pending' | 'inactive';
}

export interface PrometheusApi {
  activeTargets(): Promise<ActiveTarget[]>;
  ruleGroups(): Promise<LoadedGroup[]>;
  alerts(): Promise<ActiveAlert[]>;
}

/** The Prometheus HTTP API over a service client; a non-success answer throws one clear line. */
export function prometheusApi(client: ServiceClient): PrometheusApi {
  const get = async <T>(apiPath: string): Promise<T> => {
    const res = await client.request({ path: apiPath });
    if (res.status !== 200) throw new Error(`GET ${apiPath} on Prometheus (${client.label}, through the API server): HTTP ${res.status} ${excerpt(res.body)}`);
    const parsed = JSON.parse(res.body) as { status: string; data: T; error?: string };
    if (parsed.status !== 'success') throw new Error(`GET ${apiPath} on Prometheus: ${parsed.error ?? parsed.status}`);
    return parsed.data;
  };
  return {
    activeTargets: async () => (await get<{ activeTargets: ActiveTarget[] }>('/api/v1/targets?state=active')).activeTargets,
    ruleGroups: async () => (await get<{ groups: LoadedGroup[] }>('/api/v1/rules')).groups,
    alerts: async () => (await get<{ alerts: ActiveAlert[] }>('/api/v1/alerts')).alerts,
  };
}

export interface TargetExpectation {
  /** `job` label of the service's target (the Service name, with a ServiceMonitor). */
  readonly job: string;
  readonly namespace: string;
}

/** The service's own target must be discovered and up; every other target of the namespace must be up. */
export function targetFindings(targets: readonly ActiveTarget[], expect: TargetExpectation): Finding[] {
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
export const isFromNamespace = (group: LoadedGroup, namespace: string): boolean => path.basename(group.file).startsWith(`${namespace}-`);

export function ruleFindings(groups: readonly LoadedGroup[], expect: RulesExpectation): Finding[] {
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
export function alertFindings(alerts: readonly ActiveAlert[], expect: AlertsExpectation): Finding[] {
  const names = new Set(expect.alertNames);
  const isProject = (a: ActiveAlert): boolean => names.has(a.labels.alertname ?? '') || a.labels.namespace === expect.namespace;
  const firing = alerts.filter((a) => a.state === 'firing' && !(ALWAYS_FIRING as readonly string[]).includes(a.labels.alertname ?? ''));
  const describe = (a: ActiveAlert): string => `${a.labels.alertname ?? '?'} (${a.labels.severity ?? 'no severity'})`;
  const findings: Finding[] = firing
    .filter(isProject)
    .map((a) => fail(ALERTS_CHECK, `alert firing: ${describe(a)}${a.annotations.summary ? `: ${a.annotations.summary}` : ''}`));
  if (findings.length === 0) findings.push(ok(ALERTS_CHECK, 'no project alert firing'));
  const others = firing.filter((a) => !isProject(a));
  if (others.length > 0) findings.push(note(ALERTS_CHECK, `firing outside the project (not failing this check): ${others.map(describe).join(', ')}`));
  return findings;
}

export const prometheusChecks = (api: PrometheusApi, expect: TargetExpectation & RulesExpectation): Check[] => [
  { name: TARGET_CHECK, run: async () => targetFindings(await api.activeTargets(), expect) },
  { name: RULES_CHECK, run: async () => ruleFindings(await api.ruleGroups(), expect) },
  { name: ALERTS_CHECK, run: async () => alertFindings(await api.alerts(), expect) },
];
