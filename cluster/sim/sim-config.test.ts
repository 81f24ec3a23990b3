/** The simulated cluster's configuration, without starting it: loopback everywhere, kind's node names, pinned versions that agree. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { KIND_CLUSTER, SIM_CLUSTER } from '../../project/constants.js';
import { clusterTarget, KIND_TARGET, simTarget } from '../../kube-access/target.js';
import { kwokctlConfiguration, SIM_BINARIES, SIM_NETWORK } from './kwokctl-config.js';
import { kindNodeNames, kindNodeRoles, simulatedNodes } from './nodes.js';
import { apiServerConnection, operatorArgs } from './operator.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

describe('kwokctl configuration', () => {
  const config = kwokctlConfiguration('/repo/bin');

  test('every component is a local binary from ./bin: kwokctl downloads nothing', () => {
    for (const [option, file] of Object.entries(SIM_BINARIES)) assert.equal((config.options as Record<string, string>)[option], `/repo/bin/${file}`);
    assert.equal(config.options.runtime, 'binary');
  });

  test('binds to 127.0.0.1 and gives nodes, pods and Services loopback addresses', () => {
    assert.equal(config.options.bindAddress, '127.0.0.1');
    const argsOf = (name: string) => Object.fromEntries(config.componentsPatches.find((p) => p.name === name)?.extraArgs.map((a) => [a.key, a.value]) ?? []);
    assert.deepEqual(argsOf('kwok-controller'), { 'node-ip': SIM_NETWORK.nodeIp, cidr: SIM_NETWORK.podCidr });
    assert.equal(argsOf('kube-apiserver')['service-cluster-ip-range'], SIM_NETWORK.serviceCidr);
    for (const cidr of [SIM_NETWORK.podCidr, SIM_NETWORK.serviceCidr, `${SIM_NETWORK.nodeIp}/32`]) assert.match(cidr, /^127\./, `${cidr} is inside 127.0.0.0/8`);
  });
});

describe('nodes as kind makes them', () => {
  test('kind-config.yaml: one control plane and two workers, named like kind names them', () => {
    const roles = kindNodeRoles(readFileSync(path.join(ROOT, 'kind-config.yaml'), 'utf8'));
    assert.deepEqual(kindNodeNames('items-api', roles), ['items-api-control-plane', 'items-api-worker', 'items-api-worker2']);
  });

  test('the control plane carries kind\'s role label and NoSchedule taint; workers neither', () => {
    const [controlPlane, worker] = simulatedNodes('items-api', path.join(ROOT, 'kind-config.yaml'));
    assert.ok(controlPlane && worker);
    assert.equal(controlPlane.metadata.labels['node-role.kubernetes.io/control-plane' as keyof typeof controlPlane.metadata.labels], '');
    assert.deepEqual(controlPlane.spec, { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] });
    assert.deepEqual(worker.spec, {});
    assert.equal(worker.metadata.labels['kubernetes.io/hostname'], 'items-api-worker');
  });

  test('a role kind does not know is one clear error', () => {
    assert.throws(() => kindNodeRoles('nodes:\n  - role: master\n', 'x.yaml'), /^Error: x\.yaml: nodes\[0\]\.role is "master", expected control-plane or worker$/);
    assert.throws(() => kindNodeRoles('kind: Cluster\n', 'x.yaml'), /lists no nodes/);
  });
});

describe('the real operator out of the cluster', () => {
  test('runs with the chart Deployment\'s arguments, less the web TLS flags, plus the API server connection', () => {
    const args = operatorArgs(
      ['--kubelet-service=kube-system/kps-kubelet', '--web.enable-tls=true', '--web.cert-file=/cert/cert', '--prometheus-config-reloader=quay.io/x:v1'],
      { server: 'https://127.0.0.1:6443', caFile: '/ca', certFile: '/crt', keyFile: '/key' },
    );
    assert.deepEqual(args, [
      '--kubelet-service=kube-system/kps-kubelet',
      '--prometheus-config-reloader=quay.io/x:v1',
      '--apiserver=https://127.0.0.1:6443',
      '--ca-file=/ca',
      '--cert-file=/crt',
      '--key-file=/key',
      '--web.listen-address=127.0.0.1:0',
    ]);
  });

  test('a kubeconfig with a token instead of client certificates is refused in one line', () => {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'c', server: 'https://127.0.0.1:1', caFile: '/ca' }],
      users: [{ name: 'u', token: 't' }],
      contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
      currentContext: 'x',
    });
    assert.throws(() => apiServerConnection(kc, '/tmp'), /^Error: kubeconfig context "x" has no client\.crt \(file or data\): prometheus-operator needs client certificates$/);
  });
});

describe('cluster target', () => {
  test('kind by default, the simulated cluster with CLUSTER=sim (its own kubeconfig under SIM_HOME), nothing else', () => {
    assert.equal(clusterTarget({}), KIND_TARGET);
    assert.equal(KIND_TARGET.context, KIND_CLUSTER.context);
    const sim = clusterTarget({ CLUSTER: 'sim', SIM_HOME: '/tmp/s' });
    assert.deepEqual(sim, simTarget('/tmp/s'));
    assert.equal(sim.kubeconfig, '/tmp/s/kubeconfig');
    assert.equal(sim.context, SIM_CLUSTER.context);
    assert.throws(() => clusterTarget({ CLUSTER: 'prod' }), /^Error: CLUSTER=prod is not a cluster of this project: use CLUSTER=kind .* or CLUSTER=sim/);
  });
});

test('the Kubernetes version stamped into the binaries (mk/sim.mk) is the one tools/cluster-sim/go.mod pins', () => {
  const goMod = readFileSync(path.join(ROOT, 'tools/cluster-sim/go.mod'), 'utf8');
  const makefile = readFileSync(path.join(ROOT, 'mk/sim.mk'), 'utf8');
  const pinned = /^\s*k8s\.io\/kubernetes (v[\d.]+)/m.exec(goMod)?.[1];
  const stamped = /^SIM_KUBE_VERSION := (v[\d.]+)$/m.exec(makefile)?.[1];
  assert.ok(pinned, 'go.mod requires k8s.io/kubernetes');
  assert.equal(stamped, pinned);
  const staging = /^\s*k8s\.io\/api => k8s\.io\/api (v[\d.]+)$/m.exec(goMod)?.[1];
  assert.equal(staging, pinned.replace(/^v1\./, 'v0.'), 'staging modules are replaced by the published k8s.io/* of the same release');
});
