/**
 * Every Deployment and StatefulSet of the project's namespace has finished rolling out: the
 * controller saw the latest spec, every replica runs it, and every replica is ready (the test
 * `kubectl rollout status` makes).
 */
import type { AppsV1Api, V1Deployment, V1StatefulSet } from '@kubernetes/client-node';
import { type Check, type Finding, fail, ok } from './findings.js';

export const ROLLOUT_CHECK = 'rollout';

interface Workload {
  readonly kind: 'deployment' | 'statefulset';
  readonly name: string;
  readonly desired: number;
  readonly observedLatest: boolean;
  readonly updated: number;
  readonly ready: number;
  /** Pods still running an old template (Deployments only). */
  readonly old: number;
}

const fromDeployment = (d: V1Deployment): Workload => {
  const desired = d.spec?.replicas ?? 1;
  const status = d.status ?? {};
  return {
    kind: 'deployment',
    name: d.metadata?.name ?? '?',
    desired,
    observedLatest: (status.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0),
    updated: status.updatedReplicas ?? 0,
    ready: status.availableReplicas ?? 0,
    old: Math.max(0, (status.replicas ?? 0) - (status.updatedReplicas ?? 0)),
  };
};

const fromStatefulSet = (s: V1StatefulSet): Workload => {
  const status = s.status;
  return {
    kind: 'statefulset',
    name: s.metadata?.name ?? '?',
    desired: s.spec?.replicas ?? 1,
    observedLatest: (status?.observedGeneration ?? 0) >= (s.metadata?.generation ?? 0),
    updated: status?.updatedReplicas ?? 0,
    ready: status?.readyReplicas ?? 0,
    old: 0,
  };
};

function workloadFinding(w: Workload, namespace: string): Finding {
  const what = `${w.kind} ${namespace}/${w.name}`;
  const counts = `${w.ready}/${w.desired} ready, ${w.updated}/${w.desired} updated`;
  if (!w.observedLatest) return fail(ROLLOUT_CHECK, `${what}: the controller has not seen the latest spec yet (${counts})`);
  if (w.updated < w.desired || w.ready < w.desired || w.old > 0) {
    const stale = w.old > 0 ? `, ${w.old} old replica(s) still running` : '';
    return fail(ROLLOUT_CHECK, `${what}: rollout incomplete (${counts}${stale}); see \`kubectl -n ${namespace} describe ${w.kind} ${w.name}\``);
  }
  return ok(ROLLOUT_CHECK, `${what}: ${counts}`);
}

export function rolloutFindings(deployments: readonly V1Deployment[], statefulSets: readonly V1StatefulSet[], namespace: string): Finding[] {
  const workloads = [...deployments.map(fromDeployment), ...statefulSets.map(fromStatefulSet)];
  if (workloads.length === 0) return [fail(ROLLOUT_CHECK, `no Deployments or StatefulSets in namespace ${namespace}: were the manifests applied?`)];
  return workloads.map((w) => workloadFinding(w, namespace));
}

export const rolloutCheck = (apps: AppsV1Api, namespace: string): Check => ({
  name: ROLLOUT_CHECK,
  async run() {
    const [deployments, statefulSets] = await Promise.all([apps.listNamespacedDeployment({ namespace }), apps.listNamespacedStatefulSet({ namespace })]);
    return rolloutFindings(deployments.items, statefulSets.items, namespace);
  },
});
