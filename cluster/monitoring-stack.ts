/**
 * kube-prometheus-stack into the cluster: the namespace, the Grafana admin Secret, the pinned
 * chart with charts/kube-prometheus-stack/values.yaml, then waits until the CRDs, the operator and
 * the Prometheus and Alertmanager it creates are ready for the project's objects.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Run } from './commands.js';
import { ensureGrafanaAdminSecret } from './grafana-admin.js';
import type { Helm, Kubectl } from './kubectl.js';
import { STACK } from './stack.js';

export interface StackInstallDeps {
  readonly run: Run;
  readonly kubectl: Kubectl;
  readonly helm: Helm;
  readonly log: (line: string) => void;
  readonly sleep?: (ms: number) => Promise<unknown>;
  /** How long helm waits for the release's workloads (first install pulls ~1.5 GB of images). */
  readonly helmTimeout?: string;
}

const namespaceManifest = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

export async function installMonitoringStack(deps: StackInstallDeps): Promise<void> {
  const { run, kubectl, helm, log } = deps;
  await kubectl(['apply', '--server-side', '-f', '-'], { input: JSON.stringify(namespaceManifest(STACK.namespace)) });
  await ensureGrafanaAdminSecret(kubectl, log);

  await run('helm', ['repo', 'add', STACK.helmRepoName, STACK.helmRepoUrl, '--force-update']);
  await helm([
    'upgrade',
    '--install',
    STACK.release,
    `${STACK.helmRepoName}/${STACK.chart}`,
    '--version',
    STACK.version,
    '--namespace',
    STACK.namespace,
    '--values',
    STACK.valuesFile,
    '--wait',
    '--timeout',
    deps.helmTimeout ?? '15m',
  ]);

  await kubectl(['wait', '--for=condition=Established', '--timeout=120s', ...STACK.crds.map((crd) => `crd/${crd}`)]);
  await kubectl(['-n', STACK.namespace, 'rollout', 'status', `deployment/${STACK.operatorDeployment}`, '--timeout=300s']);
  for (const statefulSet of [STACK.prometheus.statefulSet, STACK.alertmanager.statefulSet]) {
    await waitUntilCreated(deps, `statefulset/${statefulSet}`);
    await kubectl(['-n', STACK.namespace, 'rollout', 'status', `statefulset/${statefulSet}`, '--timeout=300s']);
  }
}

/** The operator creates the Prometheus and Alertmanager StatefulSets a moment after helm returns. */
async function waitUntilCreated(deps: StackInstallDeps, object: string, attempts = 60, intervalMs = 2000): Promise<void> {
  const sleep = deps.sleep ?? delay;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const { stdout } = await deps.kubectl(['-n', STACK.namespace, 'get', object, '-o', 'name', '--ignore-not-found'], { capture: true, quiet: attempt > 1 });
    if (stdout.trim()) return;
    if (attempt === 1) deps.log(`waiting for the Prometheus Operator to create ${object}`);
    await sleep(intervalMs);
  }
  throw new Error(`${STACK.namespace}/${object} was not created within ${(attempts * intervalMs) / 1000}s: see \`kubectl -n ${STACK.namespace} logs deployment/${STACK.operatorDeployment}\``);
}
