/**
 * The post-deploy check (`make post-deploy-check`, end of `make kind-up` and `make deploy`):
 * through the API server only, it confirms the project's workloads rolled out, Prometheus scrapes
 * items-api, the project's rules are loaded and none of its alerts fires, and Grafana has every
 * project dashboard. Checks that fail are retried until a deadline (a fresh deploy needs a scrape
 * and a rule evaluation or two); then each remaining failure is one line and the result is false.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { AppsV1Api, CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { formatTable } from '../toolkit/text-table.js';
import { APP_NAMESPACE, GRAFANA_FOLDER_ANNOTATION, KUBE_PROMETHEUS_STACK, SCRAPE } from '../project/constants.js';
import { type Check, type Finding, fail, notCheckable } from './checks/findings.js';
import { DASHBOARDS_CHECK, grafanaApi, grafanaCheck, readGrafanaCredentials } from './checks/grafana.js';
import { ALERTS_CHECK, prometheusChecks, RULES_CHECK, TARGET_CHECK } from './checks/prometheus.js';
import { rolloutCheck } from './checks/rollouts.js';
import type { ProjectExpectations } from './expectations.js';
import { serviceClient } from '../kube-access/api-server.js';
import { serviceTransport } from '../kube-access/service-transport.js';
import { PrometheusClient } from '../toolkit/prometheus-api/client.js';
import { GRAFANA_ADMIN_SECRET } from './locations.js';
import { STACK } from '../project/kube-prometheus-stack.js';
import { errorMessage } from '../toolkit/error-message.js';

/** Why the checks that ask Prometheus or Grafana cannot run in a cluster whose pods are simulated. */
export const SIMULATED_PODS = 'pods are simulated by kwok (no container runs), so Prometheus and Grafana cannot be asked; `make kind-up` checks this for real';

/**
 * Every check of the project, wired to the cluster of `kc`. With `podsRun: false` (the simulated
 * cluster) the checks that need Prometheus or Grafana to answer are reported as not checkable.
 */
export function projectChecks(kc: KubeConfig, expect: ProjectExpectations, cluster: { readonly podsRun: boolean } = { podsRun: true }): Check[] {
  if (!cluster.podsRun) {
    return [
      rolloutCheck(kc.makeApiClient(AppsV1Api), APP_NAMESPACE),
      ...[TARGET_CHECK, RULES_CHECK, ALERTS_CHECK, DASHBOARDS_CHECK].map((name) => notCheckable(name, SIMULATED_PODS)),
    ];
  }
  const prometheus = new PrometheusClient(serviceTransport(serviceClient(kc, { namespace: STACK.namespace, service: STACK.prometheus.service, port: STACK.prometheus.port })));
  const grafana = grafanaApi(serviceClient(kc, { namespace: STACK.namespace, service: STACK.grafana.service, port: STACK.grafana.port }));
  const core = kc.makeApiClient(CoreV1Api);
  const { key, value } = KUBE_PROMETHEUS_STACK.dashboardLabel;
  return [
    rolloutCheck(kc.makeApiClient(AppsV1Api), APP_NAMESPACE),
    ...prometheusChecks(prometheus, { job: SCRAPE.job, namespace: APP_NAMESPACE, alertNames: expect.alertNames, groupNames: expect.ruleGroupNames }),
    grafanaCheck(grafana, () => readGrafanaCredentials(core, GRAFANA_ADMIN_SECRET), {
      dashboards: expect.dashboards,
      folder: KUBE_PROMETHEUS_STACK.dashboardFolder,
      sidecarHint: `is its ConfigMap labelled ${key}=${value} and annotated ${GRAFANA_FOLDER_ANNOTATION}?`,
    }),
  ];
}

export interface RunCheckOptions {
  readonly checks: readonly Check[];
  /** Give up retrying after this long. */
  readonly timeoutMs: number;
  readonly intervalMs: number;
  /** A bound on attempts besides the deadline (default 1000). */
  readonly maxAttempts?: number;
  readonly log: (line: string) => void;
  readonly sleep?: (ms: number) => Promise<unknown>;
  readonly now?: () => number;
}

export interface CheckOutcome {
  readonly ok: boolean;
  readonly findings: readonly Finding[];
  readonly attempts: number;
}

/** All checks once; a check that throws counts as one failure carrying its message. */
async function runOnce(checks: readonly Check[]): Promise<Finding[]> {
  const results = await Promise.all(checks.map((check) => check.run().catch((error: unknown) => [fail(check.name, errorMessage(error))])));
  return results.flat();
}

export async function runPostDeployCheck(options: RunCheckOptions): Promise<CheckOutcome> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? delay;
  const deadline = now() + options.timeoutMs;
  for (let attempt = 1; ; attempt++) {
    const findings = await runOnce(options.checks);
    const failures = findings.filter((f) => f.level === 'fail');
    if (failures.length === 0) {
      report(findings, options.log);
      return { ok: true, findings, attempts: attempt };
    }
    const left = deadline - now();
    if (left < options.intervalMs || attempt >= (options.maxAttempts ?? 1000)) {
      options.log(`post-deploy check FAILED (${failures.length} problem(s) after ${attempt} attempt(s)):`);
      for (const f of failures) options.log(`  FAIL ${f.check}: ${f.detail}`);
      return { ok: false, findings, attempts: attempt };
    }
    options.log(`post-deploy check: ${failures.length} problem(s), e.g. ${failures[0]?.check}: ${failures[0]?.detail}; retrying (${Math.round(left / 1000)}s left)`);
    await sleep(options.intervalMs);
  }
}

function report(findings: readonly Finding[], log: (line: string) => void): void {
  const passed = findings.filter((f) => f.level === 'ok');
  const unchecked = findings.filter((f) => f.level === 'unchecked');
  log(unchecked.length > 0 ? `post-deploy check passed what it could check (${unchecked.length} check(s) NOT CHECKED):` : 'post-deploy check passed:');
  log(formatTable(['check', 'result'], passed.map((f) => [f.check, f.detail])).join('\n'));
  for (const f of unchecked) log(`NOT CHECKED ${f.check}: ${f.detail}`);
  for (const f of findings.filter((x) => x.level === 'note')) log(`note (${f.check}): ${f.detail}`);
}
