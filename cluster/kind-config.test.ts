/**
 * kind-config.yaml: the nodes, and the kubeadm/kube-proxy patches that open the control plane's
 * metrics endpoints for every control-plane target values.yaml keeps, in both kubeadm config
 * versions kind may write (v1beta3: extraArgs map; v1beta4: extraArgs list).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { ITEMS_API_DEFAULTS } from '../cdk8s/api/items-api.js';
import { KIND } from './locations.js';
import { STACK } from '../project/kube-prometheus-stack.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const config = parse(readFileSync(path.join(ROOT, KIND.configFile), 'utf8')) as {
  kind: string;
  apiVersion: string;
  name?: string;
  nodes: { role: string; kubeadmConfigPatches?: unknown; labels?: Record<string, string> }[];
  kubeadmConfigPatches: string[];
};
const values = parse(readFileSync(path.join(ROOT, STACK.valuesFile), 'utf8')) as Record<string, { enabled?: boolean }>;

type Patch = Record<string, unknown> & { kind: string; apiVersion?: string };
const patches = config.kubeadmConfigPatches.map((text) => parse(text) as Patch);

/** Extra args of a control-plane component in a ClusterConfiguration patch, as a map, whatever its version's shape. */
function extraArgs(patch: Patch, component: 'controllerManager' | 'scheduler' | 'etcd'): Record<string, string> {
  const holder = (component === 'etcd' ? (patch.etcd as { local?: unknown } | undefined)?.local : patch[component]) as { extraArgs?: unknown } | undefined;
  const args = holder?.extraArgs;
  if (patch.apiVersion === 'kubeadm.k8s.io/v1beta4') {
    assert.ok(Array.isArray(args), `v1beta4 ${component}.extraArgs must be a list of {name, value}`);
    return Object.fromEntries((args as { name: string; value: string }[]).map(({ name, value }) => [name, value]));
  }
  assert.ok(args && typeof args === 'object' && !Array.isArray(args), `v1beta3 ${component}.extraArgs must be a map`);
  return args as Record<string, string>;
}

/** For each control-plane target of kube-prometheus-stack: what kind-config must change for it to be reachable. */
const OPENED_BY = {
  kubeControllerManager: (p: Patch) => extraArgs(p, 'controllerManager')['bind-address'] === '0.0.0.0',
  kubeScheduler: (p: Patch) => extraArgs(p, 'scheduler')['bind-address'] === '0.0.0.0',
  kubeEtcd: (p: Patch) => extraArgs(p, 'etcd')['listen-metrics-urls'] === 'http://0.0.0.0:2381',
} as const;

describe('kind-config.yaml', () => {
  test('one control-plane node and two workers; the cluster name comes from project/constants.ts, not the file', () => {
    assert.equal(config.kind, 'Cluster');
    assert.equal(config.apiVersion, 'kind.x-k8s.io/v1alpha4');
    assert.deepEqual(config.nodes.map((n) => n.role), ['control-plane', 'worker', 'worker']);
    assert.equal(config.name, undefined);
  });

  test("a schedulable worker for each of items-api's minimum pods (one per node, control plane tainted)", () => {
    // The spread is DoNotSchedule on kubernetes.io/hostname and honours taints: only untainted
    // workers are domains, and the HPA's minimum needs one each or a pod stays Pending.
    const workers = config.nodes.filter((n) => n.role === 'worker');
    assert.ok(
      workers.length >= ITEMS_API_DEFAULTS.autoscaling.minReplicas,
      `${workers.length} worker(s) for minReplicas ${ITEMS_API_DEFAULTS.autoscaling.minReplicas}: add workers to kind-config.yaml`,
    );
    // kind taints nothing but the control plane; a per-node patch (e.g. a taint) would remove a domain.
    for (const worker of workers) assert.equal(worker.kubeadmConfigPatches, undefined, 'a worker with its own kubeadm patches (a taint?)');
  });

  test('each kept control-plane target is opened in both kubeadm config versions', () => {
    const clusterConfigs = patches.filter((p) => p.kind === 'ClusterConfiguration');
    assert.deepEqual(clusterConfigs.map((p) => p.apiVersion).sort(), ['kubeadm.k8s.io/v1beta3', 'kubeadm.k8s.io/v1beta4']);
    for (const [component, opened] of Object.entries(OPENED_BY)) {
      assert.equal(values[component]?.enabled, true, `values.yaml keeps ${component}`);
      for (const patch of clusterConfigs) assert.ok(opened(patch), `${component} opened in ${patch.apiVersion}`);
    }
  });

  test('kube-proxy serves its metrics on every address (values.yaml keeps kubeProxy)', () => {
    assert.equal(values.kubeProxy?.enabled, true);
    const proxy = patches.find((p) => p.kind === 'KubeProxyConfiguration');
    assert.equal(proxy?.metricsBindAddress, '0.0.0.0:10249');
    assert.equal(proxy?.apiVersion, undefined, 'unversioned: kube-proxy config has one version in every kind release');
  });
});
