/**
 * `make kind-up` end to end with TEST DOUBLES for what cannot run here: recording stand-ins for
 * docker, kind, kubectl and helm first on PATH, and a test-double API server behind KUBECONFIG
 * for the post-deploy check and the Grafana password. Everything else is real: make, mk/*.mk,
 * cluster/cli.ts, `make synth` (cdk8s writing dist/), the check's @kubernetes/client-node calls.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse } from 'yaml';
import { APP_NAMESPACE, IMAGES, KUBE_PROMETHEUS_STACK, LOCAL_PORTS } from '../project/constants.js';
import { projectExpectations } from './expectations.js';
import { findOnPath } from './preflight.js';
import { GRAFANA_ADMIN_SECRET, KIND } from './locations.js';
import { STACK } from '../project/kube-prometheus-stack.js';
import { type FakeApiServer, healthyState, startFakeApiServer } from './test-doubles/api-server.js';
import { createStandins, type StandinCall, type StandinRule, type Standins } from './test-doubles/tool-standins.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const MAKE = findOnPath('make') ?? '/usr/bin/make';

/** What the stand-ins answer in a fresh-machine run: no cluster, no Secret, one Deployment and one StatefulSet. */
const FRESH: StandinRule[] = [
  { tool: 'kind', match: '^get clusters', stdout: '' },
  { tool: 'kubectl', match: `get secret ${GRAFANA_ADMIN_SECRET.name}`, stdout: '' },
  { tool: 'kubectl', match: 'get statefulset/', stdout: 'statefulset.apps/created-by-the-operator\n' },
  { tool: 'kubectl', match: 'get deployments,statefulsets', stdout: 'deployment.apps/items-api\nstatefulset.apps/postgres\n' },
  // The HPA has already raised items-api to its minimum (the simulated-cluster tier waits for it for real).
  {
    tool: 'kubectl',
    match: 'get horizontalpodautoscalers -o json',
    stdout: JSON.stringify({ items: [{ metadata: { name: 'items-api' }, spec: { minReplicas: 2, scaleTargetRef: { kind: 'Deployment', name: 'items-api' } } }] }),
  },
  { tool: 'kubectl', match: 'get deployment/items-api -o jsonpath', stdout: '2' },
];

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command with the hermetic PATH (async: the API double lives in this process). */
function runHermetic(standins: Standins, command: string, args: readonly string[], extraEnv: Record<string, string>, timeoutMs = 120_000): Promise<Run> {
  const env = { PATH: standins.path, HOME: process.env.HOME ?? tmpdir(), LANG: 'C.UTF-8', ...standins.env, ...extraEnv };
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** `make <target>` with PATH on the command line too: the Makefile puts ./bin (real helm) first otherwise. */
const makeArgs = (standins: Standins, ...targets: string[]): string[] => ['--no-print-directory', ...targets, `PATH=${standins.path}`];

const line = (call: StandinCall): string => `${call.tool} ${call.args.join(' ')}`;
const indexOf = (calls: readonly StandinCall[], pattern: RegExp): number => calls.findIndex((c) => pattern.test(line(c)));

let api: FakeApiServer;
let dir: string;
let kubeconfig: string;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'kind-up-'));
  api = await startFakeApiServer(healthyState(projectExpectations()));
  kubeconfig = await api.writeKubeconfig(path.join(dir, 'kubeconfig'));
});
after(async () => {
  await api.close();
  await rm(dir, { recursive: true, force: true });
});

describe('make kind-up (test doubles for docker, kind, kubectl, helm and the API server)', () => {
  test('make -n kind-up expands every step without error', async () => {
    const standins = await createStandins(path.join(dir, 'dry-run'), [], ROOT);
    const run = await runHermetic(standins, MAKE, ['-n', ...makeArgs(standins, 'kind-up')], {});
    assert.equal(run.code, 0, run.stderr);
    const steps = [...run.stdout.matchAll(/cluster\/cli\.ts (\S+)/g)].map((m) => m[1]);
    assert.deepEqual(steps, ['preflight', 'cluster-up', 'stack-up', 'preflight', 'preflight', 'image', 'apply', 'check', 'access']);
    assert.match(run.stdout, /node --import tsx cdk8s\/main\.ts/, 'the synth step is expanded');
  });

  test('from nothing: cluster, then the pinned chart, then image + synth + server-side apply, rollouts, check, URLs', async () => {
    const standins = await createStandins(path.join(dir, 'fresh'), ['docker', 'kind', 'kubectl', 'helm'], ROOT);
    await standins.setRules(FRESH);
    const started = Date.now();
    api.requests.length = 0;
    const run = await runHermetic(standins, MAKE, makeArgs(standins, 'kind-up'), { KUBECONFIG: kubeconfig });
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
    const calls = await standins.calls();
    const lines = calls.map(line);

    // Every kubectl call is pinned to the kind context, every cluster-touching helm call too.
    for (const call of calls.filter((c) => c.tool === 'kubectl')) assert.deepEqual(call.args.slice(0, 2), ['--context', KIND.context], line(call));
    for (const call of calls.filter((c) => c.tool === 'helm' && c.args[0] !== 'repo')) assert.ok(call.args.join(' ').endsWith(`--kube-context ${KIND.context}`), line(call));

    // The cluster from kind-config.yaml, under the constant's name.
    const create = indexOf(calls, new RegExp(`^kind create cluster --name ${KIND.name} --config ${KIND.configFile}`));
    assert.ok(create >= 0, lines.join('\n'));

    // The Grafana Secret before the chart, its password on stdin only.
    const secret = calls.findIndex((c) => c.tool === 'kubectl' && c.args.includes('create') && c.stdin.includes('"kind":"Secret"'));
    assert.ok(secret > create);
    const manifest = JSON.parse(calls[secret]?.stdin ?? '{}') as { metadata: { name: string; namespace: string }; stringData: Record<string, string> };
    assert.deepEqual(manifest.metadata, { ...manifest.metadata, name: GRAFANA_ADMIN_SECRET.name, namespace: STACK.namespace });
    const password = manifest.stringData[GRAFANA_ADMIN_SECRET.passwordKey] ?? '';
    assert.ok(password.length >= 32, 'a long random password');
    assert.ok(!lines.some((l) => l.includes(password)), 'the password never appears on a command line');

    // The chart: the vendored archive pinned in project/constants.ts (no chart repository), our values, namespace and release.
    const install = indexOf(calls, /^helm upgrade --install /);
    assert.ok(secret < install, lines.join('\n'));
    assert.ok(!calls.some((c) => c.tool === 'helm' && c.args[0] === 'repo'), 'no chart repository is needed: the chart is vendored');
    const helmArgs = calls[install]?.args ?? [];
    assert.deepEqual(helmArgs.slice(0, 4), ['upgrade', '--install', KUBE_PROMETHEUS_STACK.release, KUBE_PROMETHEUS_STACK.archive]);
    const flag = (name: string): string | undefined => helmArgs[helmArgs.indexOf(name) + 1];
    assert.equal(flag('--namespace'), KUBE_PROMETHEUS_STACK.namespace);
    assert.equal(flag('--values'), 'charts/kube-prometheus-stack/values.yaml');
    assert.ok(helmArgs.includes('--wait'));

    // Then CRDs established and the operator, Prometheus and Alertmanager rolled out.
    const crds = indexOf(calls, /wait --for=condition=Established .*crd\/servicemonitors\.monitoring\.coreos\.com/);
    const operator = indexOf(calls, new RegExp(`rollout status deployment/${STACK.operatorDeployment}`));
    const prometheus = indexOf(calls, new RegExp(`rollout status statefulset/${STACK.prometheus.statefulSet}`));
    assert.ok(install < crds && crds < operator && operator < prometheus, lines.join('\n'));

    // The image from service/Dockerfile, loaded into the kind nodes.
    const build = indexOf(calls, new RegExp(`^docker build -f service/Dockerfile -t ${IMAGES.api} \\.$`));
    const load = indexOf(calls, new RegExp(`^kind load docker-image ${IMAGES.api} --name ${KIND.name}$`));
    assert.ok(prometheus < build && build < load, lines.join('\n'));

    // Server-side apply of what `make synth` wrote during this run, namespace file first.
    const apply = calls.findIndex((c) => c.tool === 'kubectl' && c.args.includes('apply') && c.files.length > 0);
    const applied = calls[apply];
    assert.ok(applied && load < apply, lines.join('\n'));
    assert.ok(applied.args.includes('--server-side'));
    assert.ok(applied.files.every((f) => f.path.startsWith('dist/') && f.path.endsWith('.k8s.yaml')));
    assert.ok(applied.files.every((f) => f.mtimeMs >= started - 1000), 'make synth rewrote every manifest before the apply');
    const first = parse(applied.files[0]?.head.split('\n---')[0] ?? '') as { kind: string; metadata: { name: string } };
    assert.deepEqual([first.kind, first.metadata.name], ['Namespace', APP_NAMESPACE]);

    // Rollout waits for what is in the namespace, then the check, through the API double.
    const rollouts = calls.map((c, i) => [c, i] as const).filter(([c]) => c.args.includes('rollout') && c.args.includes(APP_NAMESPACE));
    assert.deepEqual(rollouts.map(([c]) => c.args[c.args.indexOf('status') + 1]), ['deployment.apps/items-api', 'statefulset.apps/postgres']);
    assert.ok(rollouts.every(([, i]) => i > apply));
    assert.match(run.stdout, /post-deploy check passed/);
    assert.ok(api.requests.some((r) => r.path.includes('/proxy/api/v1/targets')), 'the check asked Prometheus through the API server');

    // Finally how to reach it: the four local ports and the Grafana login from the Secret.
    for (const port of [LOCAL_PORTS.api, LOCAL_PORTS.prometheus, LOCAL_PORTS.grafana, LOCAL_PORTS.alertmanager]) assert.match(run.stdout, new RegExp(`http://localhost:${port}/`));
    assert.match(run.stdout, new RegExp(`Grafana login: admin / ${api.state.grafanaAdmin?.password}`));
    assert.ok(run.stdout.indexOf('post-deploy check passed') < run.stdout.indexOf('Grafana login'));
  });

  test('a second kind-up keeps the cluster and the Grafana password', async () => {
    const standins = await createStandins(path.join(dir, 'again'), ['docker', 'kind', 'kubectl', 'helm'], ROOT);
    await standins.setRules([
      { tool: 'kind', match: '^get clusters', stdout: `other\n${KIND.name}\n` },
      { tool: 'kubectl', match: `get secret ${GRAFANA_ADMIN_SECRET.name}`, stdout: `secret/${GRAFANA_ADMIN_SECRET.name}\n` },
      ...FRESH,
    ]);
    const node = findOnPath('node', standins.path) ?? process.execPath;
    for (const step of ['cluster-up', 'stack-up']) {
      const run = await runHermetic(standins, node, ['--import', 'tsx', 'cluster/cli.ts', step], { KUBECONFIG: kubeconfig });
      assert.equal(run.code, 0, run.stderr);
    }
    const lines = (await standins.calls()).map(line);
    assert.equal(lines.filter((l) => l.startsWith('kind create')).length, 0, lines.join('\n'));
    assert.ok(lines.includes(`kind export kubeconfig --name ${KIND.name}`), 'the context is rewritten for an existing cluster');
    assert.equal(lines.filter((l) => / create -f -/.test(l)).length, 0, 'the Secret is not recreated');
    assert.equal(lines.filter((l) => l.startsWith('helm upgrade --install')).length, 1, 'the chart is upgraded in place');
  });

  test('KIND_NODE_IMAGE pins the node image of a new cluster', async () => {
    const standins = await createStandins(path.join(dir, 'node-image'), ['docker', 'kind'], ROOT);
    await standins.setRules(FRESH);
    const image = 'kindest/node:v1.34.0';
    const dry = await runHermetic(standins, MAKE, ['-n', ...makeArgs(standins, 'kind-up'), `KIND_NODE_IMAGE=${image}`], {});
    assert.match(dry.stdout, new RegExp(`cluster/cli\\.ts cluster-up --node-image ${image}\\n`));
    const node = findOnPath('node', standins.path) ?? process.execPath;
    const run = await runHermetic(standins, node, ['--import', 'tsx', 'cluster/cli.ts', 'cluster-up', '--node-image', image], {});
    assert.equal(run.code, 0, run.stderr);
    const create = (await standins.calls()).find((c) => c.args[0] === 'create');
    assert.ok(create?.args.join(' ').includes(`--image ${image}`), JSON.stringify(create));
  });

  test('a Docker daemon that does not answer stops cluster-up with one line, before kind runs', async () => {
    const standins = await createStandins(path.join(dir, 'no-daemon'), ['docker', 'kind'], ROOT);
    await standins.setRules([{ tool: 'docker', match: '^info', code: 1, stderr: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n' }]);
    const node = findOnPath('node', standins.path) ?? process.execPath;
    const run = await runHermetic(standins, node, ['--import', 'tsx', 'cluster/cli.ts', 'cluster-up'], {});
    assert.equal(run.code, 1);
    assert.equal(
      run.stderr.trim(),
      'error: Docker is installed but its daemon does not answer (docker info: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?): start Docker, then retry',
    );
    assert.deepEqual((await standins.calls()).map((c) => c.tool), ['docker']);
  });

  test('make kind-down without a Docker daemon: one line, nothing deleted', async () => {
    const standins = await createStandins(path.join(dir, 'down-no-daemon'), ['docker', 'kind'], ROOT);
    await standins.setRules([{ tool: 'docker', match: '^info', code: 1, stderr: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n' }]);
    const run = await runHermetic(standins, MAKE, makeArgs(standins, 'kind-down'), {});
    assert.notEqual(run.code, 0);
    assert.deepEqual(
      run.stderr.split('\n').filter((l) => l.startsWith('error:')),
      ['error: Docker is installed but its daemon does not answer (docker info: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?): start Docker, then retry'],
    );
    assert.deepEqual((await standins.calls()).map((c) => c.tool), ['docker'], 'kind never ran');
  });

  test('a missing tool: one clear line each, nothing run', async () => {
    const standins = await createStandins(path.join(dir, 'missing'), ['docker', 'kubectl'], ROOT);
    api.requests.length = 0;
    const run = await runHermetic(standins, MAKE, makeArgs(standins, 'kind-up'), { KUBECONFIG: kubeconfig });
    assert.notEqual(run.code, 0);
    const missing = run.stderr.split('\n').filter((l) => l.startsWith('missing tool:'));
    assert.deepEqual(
      missing.map((l) => l.split(' ')[2]),
      ['kind', 'helm'],
    );
    assert.match(missing[0] ?? '', /kind is not on PATH \(install kind: https:\/\/kind\.sigs\.k8s\.io\//);
    assert.match(missing[1] ?? '', /helm is not on PATH \(run `make tools`/);
    assert.deepEqual(await standins.calls(), [], 'no docker/kubectl call happened');
    assert.equal(api.requests.length, 0, 'the API server was not contacted');
    assert.doesNotMatch(run.stdout, /cluster-up|stack-up/);
  });
});
