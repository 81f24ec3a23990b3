/**
 * kube-prometheus-stack into the cluster: the namespace, the Grafana admin Secret, the pinned
 * chart from its vendored archive (sha256 checked) with charts/kube-prometheus-stack/values.yaml,
 * then waits until the CRDs, the operator and the Prometheus and Alertmanager it creates are
 * ready for the project's objects.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { ensureGrafanaAdminSecret } from './grafana-admin.js';
import type { Helm, Kubectl } from './kubectl.js';
import { STACK } from '../project/kube-prometheus-stack.js';

export interface StackInstallDeps {
  readonly kubectl: Kubectl;
  readonly helm: Helm;
  readonly log: (line: string) => void;
  readonly sleep?: (ms: number) => Promise<unknown>;
  /** How long helm waits for the release's workloads (first install pulls ~1.5 GB of images). */
  readonly helmTimeout?: string;
  /** Values files applied after STACK.valuesFile (the simulated cluster's overrides). */
  readonly extraValuesFiles?: readonly string[];
  /** Runs between `helm upgrade --install` and the waits (the simulated cluster starts the real operator here). */
  readonly afterInstall?: () => Promise<void>;
}

/** Refuses an archive whose bytes are not the pinned ones: the install must be reproducible. */
export async function verifiedChartArchive(file: string = STACK.archive, sha256: string = STACK.archiveSha256): Promise<string> {
  const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
    throw new Error(`the vendored chart ${file} cannot be read (${error.code ?? error.message}): restore it with \`git checkout -- ${file}\``);
  });
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== sha256) {
    throw new Error(`the vendored chart ${file} has sha256 ${actual}, not the pinned ${sha256}: restore it with \`git checkout -- ${file}\` (or pin the new archive in project/constants.ts)`);
  }
  return file;
}

const namespaceManifest = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

export async function installMonitoringStack(deps: StackInstallDeps): Promise<void> {
  const { kubectl, helm, log } = deps;
  await kubectl(['apply', '--server-side', '-f', '-'], { input: JSON.stringify(namespaceManifest(STACK.namespace)) });
  await ensureGrafanaAdminSecret(kubectl, log);

  const archive = await verifiedChartArchive();
  await helm([
    'upgrade',
    '--install',
    STACK.release,
    archive,
    '--namespace',
    STACK.namespace,
    ...[STACK.valuesFile, ...(deps.extraValuesFiles ?? [])].flatMap((file) => ['--values', file]),
    '--wait',
    '--timeout',
    deps.helmTimeout ?? '15m',
  ]);
  await deps.afterInstall?.();

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
