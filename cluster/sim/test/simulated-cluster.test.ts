/**
 * The cluster path against real components (tier "simulated cluster"): a real kube-apiserver,
 * etcd, kube-controller-manager and kube-scheduler with kwok's nodes on 127.0.0.1; the real
 * kube-prometheus-stack chart (vendored) installed by `cluster/cli.ts stack-up`; the real
 * prometheus-operator generating Prometheus' configuration from the project's objects; and a real
 * Prometheus discovering targets through the API server with that configuration. Every step runs
 * the project's own commands with CLUSTER=sim, as a user would. Pods are simulated (no container
 * runs), so what needs a running container is asserted to be reported as such, never passed.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { CoreV1Api, CustomObjectsApi, type V1ConfigMap, type V1LabelSelector, type V1Pod } from '@kubernetes/client-node';
import { parse, stringify } from 'yaml';
import { WORKLOADS } from '../../../cdk8s/lib/labels.js';
import { ruleGroups } from '../../../monitoring/index.js';
import { kubeApi } from '../../../loadtest/cluster/job-api.js';
import { LAUNCH_EXIT } from '../../../loadtest/cluster/launch.js';
import { K6_SCRIPTS_CONFIGMAP, k6ScriptConfigMap } from '../../../loadtest/cluster/objects.js';
import { readK6Scripts } from '../../../loadtest/cluster/scripts.js';
import { APP_NAME, APP_NAMESPACE, FIELD_MANAGER, PORT_NAMES, SCRAPE, SIM_CLUSTER, CONTAINER_PORTS } from '../../../project/constants.js';
import { DASHBOARDS_CHECK } from '../../checks/grafana.js';
import { ALERTS_CHECK, RULES_CHECK, TARGET_CHECK } from '../../checks/prometheus.js';
import { STACK } from '../../../project/kube-prometheus-stack.js';
import { SIM_NETWORK } from '../kwokctl-config.js';
import { kindNodeNames, kindNodeRoles } from '../nodes.js';
import { freePort } from '../../../toolkit/ports.js';
import type { Target } from '../../../toolkit/prometheus-api/types.js';
import { requireTools } from '../../../testing/tools.js';
import { endpointTargets } from './endpoint-targets.js';
import { BIN, eventually, requireSimTools, ROOT, type SimHarness, startSimCluster } from './harness.js';

/** The Helm releases of charts/items-api installed beside the cdk8s deploy: the job label must not depend on the release name. */
const RELEASES = [
  { release: APP_NAME, namespace: 'items-helm' },
  { release: 'demo', namespace: 'demo' },
] as const;

const inCidr = (ip: string, cidr: string): boolean => {
  const [base, bits] = cidr.split('/');
  const toInt = (a: string) => a.split('.').reduce((n, o) => (n << 8) + Number(o), 0) >>> 0;
  const mask = Number(bits) === 0 ? 0 : (~0 << (32 - Number(bits))) >>> 0;
  return ((toInt(ip) & mask) >>> 0) === ((toInt(base ?? '') & mask) >>> 0);
};

/** A LabelSelector as the API server's `labelSelector` query syntax, so the API server itself evaluates it. */
function selectorString(selector: V1LabelSelector | undefined): string {
  const parts = Object.entries(selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of selector?.matchExpressions ?? []) {
    const values = (e.values ?? []).join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${values})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${values})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
    else throw new Error(`unknown selector operator ${e.operator}`);
  }
  return parts.join(',');
}

interface ScrapeConfig {
  job_name: string;
  kubernetes_sd_configs?: Array<Record<string, unknown>>;
  relabel_configs?: Array<Record<string, unknown>>;
  [key: string]: unknown;
}

test('simulated cluster: real control plane, real chart, real operator, the project deployed by its own commands', { timeout: 1_200_000 }, async (t) => {
  if (!requireSimTools(t) || !requireTools(t, ['prometheus'])) return;
  const started = Date.now();
  const say = (line: string) => console.log(`[sim ${((Date.now() - started) / 1000).toFixed(1)}s] ${line}`);
  const sim: SimHarness = await startSimCluster(say);
  t.after(() => sim.stop());
  const core = sim.kc.makeApiClient(CoreV1Api);
  const custom = sim.kc.makeApiClient(CustomObjectsApi);
  const synthDir = await mkdtemp(path.join(tmpdir(), 'items-api-synth-'));
  t.after(() => rm(synthDir, { recursive: true, force: true }));

  await t.test('nodes are named and labelled as kind-config.yaml makes them, Ready, on 127.0.0.1', async () => {
    const roles = kindNodeRoles(await readFile(path.join(ROOT, 'kind-config.yaml'), 'utf8'));
    const expected = kindNodeNames(APP_NAME, roles);
    const nodes = (await core.listNode()).items;
    assert.deepEqual(nodes.map((n) => n.metadata?.name).sort(), [...expected].sort());
    assert.ok(roles.filter((r) => r === 'worker').length >= 2, 'kind-config.yaml has two workers: the spread test needs them');
    for (const node of nodes) {
      const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
      assert.equal(ready?.status, 'True', `${node.metadata?.name} Ready`);
      for (const address of node.status?.addresses?.filter((a) => a.type === 'InternalIP') ?? []) assert.equal(address.address, SIM_NETWORK.nodeIp);
    }
    const controlPlane = nodes.find((n) => n.metadata?.name === `${APP_NAME}-control-plane`);
    assert.ok(controlPlane?.spec?.taints?.some((taint) => taint.key === 'node-role.kubernetes.io/control-plane' && taint.effect === 'NoSchedule'));
  });

  await t.test('kube-prometheus-stack (vendored 88.5.3) is installed: every object it renders was accepted', async () => {
    const status = await sim.run(path.join(BIN, 'helm'), ['status', STACK.release, '-n', STACK.namespace, '--kubeconfig', sim.kubeconfig, '-o', 'json']);
    assert.equal(status.code, 0, status.stderr);
    const release = JSON.parse(status.stdout) as { info: { status: string }; chart?: { metadata?: { version?: string } }; manifest: string };
    assert.equal(release.info.status, 'deployed');
    const objects = release.manifest.split(/^---$/m).map((doc) => parse(doc) as { kind?: string; metadata?: { name?: string } } | null).filter((o) => o?.kind);
    say(`kube-prometheus-stack: ${objects.length} objects in the release`);
    assert.ok(objects.length > 80, `the chart renders its full set of objects (${objects.length})`);
    const crds = await sim.kubectl(['get', 'crd', '-o', 'name']);
    for (const crd of STACK.crds) assert.match(crds.stdout, new RegExp(`customresourcedefinition.apiextensions.k8s.io/${crd.replaceAll('.', '\\.')}`));
  });

  await t.test('the project deploys with `cluster/cli.ts apply`: every rollout completes (as kubectl rollout status sees it)', async () => {
    const synth = await sim.node('cdk8s/main.ts', [], { CDK8S_OUTDIR: synthDir, ITEMS_POSTGRES_PASSWORD: 'simulated-cluster-password-000000' });
    assert.equal(synth.code, 0, synth.stderr);
    const apply = await sim.node('cluster/cli.ts', ['apply', '--dir', synthDir]);
    say(`apply: exit ${apply.code}`);
    assert.equal(apply.code, 0, `${apply.stdout}\n${apply.stderr}`);
    assert.match(apply.stdout, /successfully rolled out/);
  });

  await t.test('items-api: at least 2 replicas (the HPA raises it), on different worker nodes', async () => {
    const pods = await eventually(
      'two ready items-api pods',
      async () => {
        const list = (await core.listNamespacedPod({ namespace: APP_NAMESPACE, labelSelector: `app.kubernetes.io/name=${APP_NAME}` })).items;
        const ready = list.filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
        return ready.length >= 2 ? ready : undefined;
      },
      90_000,
    );
    const nodes = new Set(pods.map((p) => p.spec?.nodeName));
    say(`items-api pods on ${[...nodes].join(', ')}`);
    assert.equal(nodes.size, pods.length, `one replica per node (topology spread): ${pods.map((p) => `${p.metadata?.name}@${p.spec?.nodeName}`).join(', ')}`);
    assert.ok(![...nodes].includes(`${APP_NAME}-control-plane`), 'nothing on the tainted control-plane node');
    const hpa = await sim.kubectl(['-n', APP_NAMESPACE, 'get', 'hpa', '-o', 'json']);
    const hpas = (JSON.parse(hpa.stdout) as { items: Array<{ spec: { scaleTargetRef: { name: string }; minReplicas: number } }> }).items;
    assert.ok(hpas.some((h) => h.spec.scaleTargetRef.name === APP_NAME && h.spec.minReplicas >= 2));
  });

  await t.test('the chart installs under two release names beside the cdk8s deploy (all accepted by the API server)', async () => {
    for (const { release, namespace } of RELEASES) {
      const install = await sim.run(path.join(BIN, 'helm'), [
        'upgrade', '--install', release, 'charts/items-api', '--namespace', namespace, '--create-namespace',
        '--set', 'database.password=simulated-cluster-password-000000', '--set', 'loadtest.enabled=false',
        '--kubeconfig', sim.kubeconfig, '--kube-context', sim.kc.getCurrentContext(), '--wait', '--timeout', '3m',
      ]);
      assert.equal(install.code, 0, `helm install ${release}: ${install.stdout}\n${install.stderr}`);
    }
  });

  const secretName = `prometheus-${STACK.prometheus.service}`;
  const configOf = async (): Promise<{ scrape_configs: ScrapeConfig[] }> => {
    const secret = await core.readNamespacedSecret({ namespace: STACK.namespace, name: secretName });
    const gz = secret.data?.['prometheus.yaml.gz'];
    if (!gz) throw new Error(`Secret ${STACK.namespace}/${secretName} has no prometheus.yaml.gz`);
    return parse(gunzipSync(Buffer.from(gz, 'base64')).toString('utf8')) as { scrape_configs: ScrapeConfig[] };
  };
  const monitoredNamespaces = [APP_NAMESPACE, ...RELEASES.map((r) => r.namespace)];
  const itemsApiJobs = (config: { scrape_configs: ScrapeConfig[] }) =>
    config.scrape_configs.filter((job) => monitoredNamespaces.some((ns) => job.job_name.startsWith(`serviceMonitor/${ns}/`)) && /items-api\/\d+$/.test(job.job_name));

  await t.test('operator: the Prometheus configuration Secret holds a scrape job for each items-api ServiceMonitor, in every namespace', async () => {
    const jobs = await eventually('the operator writes a scrape job for every items-api ServiceMonitor', async () => {
      const found = itemsApiJobs(await configOf());
      return found.length === monitoredNamespaces.length ? found : undefined;
    }, 90_000);
    const ours = jobs.find((job) => job.job_name.startsWith(`serviceMonitor/${APP_NAMESPACE}/`));
    say(`operator-generated scrape job:\n${stringify(ours)}`);
    assert.ok(ours, `a scrape job for ServiceMonitor ${APP_NAMESPACE}/${APP_NAME}`);
  });

  await t.test('operator: the rule ConfigMap holds every rule of the project PrometheusRule', async () => {
    const expected = ruleGroups().flatMap((g) => g.rules.map((r) => ('alert' in r && r.alert ? `alert:${r.alert}` : `record:${'record' in r ? r.record : ''}`)));
    const groups = await eventually('the operator writes the project rules', async () => {
      const maps = (await core.listNamespacedConfigMap({ namespace: STACK.namespace, labelSelector: `prometheus-name=${STACK.prometheus.service}` })).items;
      const file = maps.flatMap((m) => Object.entries(m.data ?? {})).find(([key]) => key.startsWith(`${APP_NAMESPACE}-`));
      return file ? (parse(file[1]) as { groups: Array<{ name: string; rules: Array<{ alert?: string; record?: string }> }> }).groups : undefined;
    }, 60_000);
    const loaded = groups.flatMap((g) => g.rules.map((r) => (r.alert ? `alert:${r.alert}` : `record:${r.record}`)));
    say(`rule ConfigMap: ${groups.length} groups, ${loaded.length} rules (${loaded.filter((r) => r.startsWith('alert:')).length} alerts)`);
    assert.deepEqual([...loaded].sort(), [...expected].sort());
    assert.deepEqual(groups.map((g) => g.name).sort(), ruleGroups().map((g) => g.name).sort());
  });

  await t.test('the chart-rendered Prometheus selects the project ServiceMonitors and rules across namespaces (selectors evaluated by the API server)', async () => {
    const prometheus = (await custom.getNamespacedCustomObject({ group: 'monitoring.coreos.com', version: 'v1', namespace: STACK.namespace, plural: 'prometheuses', name: STACK.prometheus.service })) as {
      spec: Record<string, V1LabelSelector | undefined>;
    };
    const selects = async (plural: string, selectorKey: string, namespaceSelectorKey: string) => {
      const namespaceSelector = prometheus.spec[namespaceSelectorKey];
      assert.ok(namespaceSelector !== undefined, `${namespaceSelectorKey} is set (nil would mean the Prometheus' own namespace only)`);
      const namespaces = (await core.listNamespace({ labelSelector: selectorString(namespaceSelector) })).items.map((n) => n.metadata?.name);
      const objects = (await custom.listCustomObjectForAllNamespaces({ group: 'monitoring.coreos.com', version: 'v1', plural, labelSelector: selectorString(prometheus.spec[selectorKey]) })) as {
        items: Array<{ metadata: { name: string; namespace: string } }>;
      };
      for (const ns of monitoredNamespaces) {
        assert.ok(namespaces.includes(ns), `${namespaceSelectorKey} selects namespace ${ns}`);
        assert.ok(objects.items.some((o) => o.metadata.namespace === ns), `${selectorKey} selects the ${plural} in ${ns}`);
      }
    };
    await selects('servicemonitors', 'serviceMonitorSelector', 'serviceMonitorNamespaceSelector');
    await selects('prometheusrules', 'ruleSelector', 'ruleNamespaceSelector');
  });

  await t.test('a real Prometheus, given the operator\'s scrape jobs, keeps only the metrics port and labels job="items-api" whatever the release name', async () => {
    // In the pod, the config reloader expands $(SHARD) from the pod's environment (0 for a
    // single shard) before Prometheus reads the file; without it every target is dropped.
    const jobs = itemsApiJobs(parse(stringify(await configOf()).replaceAll('$(SHARD)', '0')) as { scrape_configs: ScrapeConfig[] });
    const dir = await mkdtemp(path.join(tmpdir(), 'items-api-sd-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    // Each job exactly as generated (its relabeling above all), with the targets that Kubernetes
    // discovery would hand it from the cluster's real Services and pods (see endpoint-targets.ts:
    // the API server refuses Endpoints with the simulated pods' loopback IPs).
    const scrapeConfigs = await Promise.all(
      jobs.map(async (job) => {
        const namespaces = (job.kubernetes_sd_configs ?? []).flatMap((sd) => (sd.namespaces as { names?: string[] } | undefined)?.names ?? []);
        assert.equal((job.kubernetes_sd_configs ?? [])[0]?.role, 'endpoints', `${job.job_name} discovers by Endpoints`);
        const targets = (await Promise.all(namespaces.map((ns) => endpointTargets(core, ns)))).flat();
        return {
          job_name: job.job_name,
          honor_labels: job.honor_labels,
          scrape_interval: '1h',
          metrics_path: job.metrics_path,
          static_configs: targets.map((labels) => ({ targets: [labels.__address__], labels: Object.fromEntries(Object.entries(labels).filter(([k]) => k !== '__address__')) })),
          relabel_configs: job.relabel_configs,
        };
      }),
    );
    const configFile = path.join(dir, 'prometheus.yml');
    await writeFile(configFile, stringify({ global: { scrape_interval: '1h' }, scrape_configs: scrapeConfigs }));
    const port = await freePort();
    const prom = spawn('prometheus', [`--config.file=${configFile}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let promLog = '';
    prom.stderr.on('data', (chunk: Buffer) => (promLog += chunk.toString()));
    t.after(() => prom.kill('SIGTERM'));
    const targets = await eventually(
      'Prometheus has targets for every items-api job',
      async () => {
        const res = await fetch(`http://127.0.0.1:${port}/api/v1/targets`);
        const body = (await res.json()) as { data: { activeTargets: Target[]; droppedTargets: Array<{ discoveredLabels: Record<string, string> }> } };
        const pools = new Set(body.data.activeTargets.map((a) => a.scrapePool));
        return jobs.every((j) => pools.has(j.job_name)) ? body.data : undefined;
      },
      60_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\nPrometheus log:\n${promLog.slice(-3000)}`);
    });
    for (const job of jobs) {
      const active = targets.activeTargets.filter((a) => a.scrapePool === job.job_name);
      // One per ready replica: the Helm releases may still be at 1 while their HPA raises them.
      assert.ok(active.length >= 1, `${job.job_name} has targets`);
      for (const target of active) {
        assert.equal(target.labels.job, SCRAPE.job, `${job.job_name}: job label of ${target.labels.instance}`);
        assert.equal(target.discoveredLabels.__meta_kubernetes_endpoint_port_name, PORT_NAMES.metrics, `${job.job_name}: only the ${PORT_NAMES.metrics} port is scraped`);
        assert.ok(target.labels.instance?.endsWith(`:${CONTAINER_PORTS.metrics}`));
        assert.ok(inCidr(target.labels.instance?.split(':')[0] ?? '', SIM_NETWORK.podCidr), `target ${target.labels.instance} is a loopback pod IP`);
      }
      say(`${job.job_name}: ${active.length} targets, job="${active[0]?.labels.job}", service="${active[0]?.labels.service}", instances ${active.map((a) => a.labels.instance).join(' ')}`);
    }
    const droppedApiPorts = targets.droppedTargets.filter((d) => d.discoveredLabels.__meta_kubernetes_endpoint_port_name === PORT_NAMES.api);
    assert.ok(droppedApiPorts.length > 0, `the ${PORT_NAMES.api} port is offered and dropped by the relabeling`);
  });

  await t.test('post-deploy check: rollouts checked against the API server; what needs Prometheus or Grafana reported NOT CHECKED by name', async () => {
    const check = await sim.node('cluster/cli.ts', ['check', '--timeout', '60', '--interval', '2']);
    assert.equal(check.code, 0, `${check.stdout}\n${check.stderr}`);
    assert.match(check.stdout, new RegExp(`rollout +deployment ${APP_NAMESPACE}/${WORKLOADS.api.objectName}: [2-9]/[2-9] ready`));
    assert.match(check.stdout, new RegExp(`rollout +statefulset ${APP_NAMESPACE}/${WORKLOADS.postgres.objectName}: 1/1 ready`));
    for (const name of [TARGET_CHECK, RULES_CHECK, ALERTS_CHECK, DASHBOARDS_CHECK]) assert.match(check.stdout, new RegExp(`^NOT CHECKED ${name}: not checkable here: pods are simulated`, 'm'));
    assert.doesNotMatch(check.stdout, /^post-deploy check passed:$/m, 'never an unqualified pass while checks were skipped');
  });

  await t.test('post-deploy check: a rollout that cannot finish (pods unschedulable) fails the check, naming the workload', async () => {
    const exporter = `deployment/${WORKLOADS.postgresExporter.objectName}`;
    const patch = await sim.kubectl(['-n', APP_NAMESPACE, 'patch', exporter, '--type=merge', '-p', JSON.stringify({ spec: { template: { spec: { nodeSelector: { 'no-such-node': 'x' } } } } })]);
    assert.equal(patch.code, 0, patch.stderr);
    try {
      const check = await sim.node('cluster/cli.ts', ['check', '--timeout', '4', '--interval', '2']);
      assert.equal(check.code, 1, check.stdout);
      assert.match(check.stdout, new RegExp(`FAIL rollout: deployment ${APP_NAMESPACE}/${WORKLOADS.postgresExporter.objectName}: rollout incomplete`));
    } finally {
      const undo = await sim.kubectl(['-n', APP_NAMESPACE, 'rollout', 'undo', exporter]);
      assert.equal(undo.code, 0, undo.stderr);
      await sim.kubectl(['-n', APP_NAMESPACE, 'rollout', 'status', exporter, '--timeout=60s']);
    }
  });

  await t.test('make port-forward preflight: every Service exists; the simulated cluster says there is nothing behind them', async () => {
    const forward = await sim.node('cluster/cli.ts', ['port-forward']);
    assert.equal(forward.code, 0, `${forward.stdout}\n${forward.stderr}`);
    assert.match(forward.stdout, /every Service to forward exists, but the sim cluster runs no containers/);
    const noCluster = await mkdtemp(path.join(tmpdir(), 'items-api-nosim-'));
    t.after(() => rm(noCluster, { recursive: true, force: true }));
    const missing = await sim.node('cluster/cli.ts', ['port-forward'], { SIM_HOME: noCluster });
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr.trim().split('\n').length, 1, missing.stderr);
    assert.match(missing.stderr.trim(), /^error: no kubeconfig at .*\/kubeconfig: is the cluster up\? create it with `make sim-up`$/);
  });

  await t.test('the kind-only steps refuse the simulated cluster in one line, and leave it running', async () => {
    for (const step of ['cluster-down', 'cluster-up']) {
      const refused = await sim.node('cluster/cli.ts', [step]);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, new RegExp(`^error: ${step} acts on the kind cluster "${APP_NAME}" only, and CLUSTER=sim: use \`make sim-(down|up)\`\n$`));
    }
    assert.equal((await sim.kubectl(['get', 'nodes', '-o', 'name'])).code, 0, 'the simulated cluster still answers');
  });

  await t.test('make load: the Jobs run to completion under kwok; with no pod log to read it exits 3 and says why, in the API server\'s words', async () => {
    const load = await sim.node('loadtest/cluster/cli.ts', ['--profile', 'smoke', '--test-id', 'sim-smoke-1'], {}, 180_000);
    say(`make load: exit ${load.code}`);
    assert.equal(load.code, LAUNCH_EXIT['logs-unavailable'], `${load.stdout}\n${load.stderr}`);
    assert.match(load.stdout, new RegExp(`^cluster: context ${SIM_CLUSTER.context} \\(https://127\\.0\\.0\\.1:\\d+\\)$`, 'm'), 'the context used is printed first');
    assert.match(load.stdout, /^job items\/k6-sim-smoke-1-0 created/m);
    assert.match(load.stdout, /: Succeeded$/m, 'completion is detected from the pod and the Job');
    assert.match(load.stdout, /no logs found for container "k6" in pod "items\/k6-sim-smoke-1-0-\w+" \(HTTP 400\)/);
    assert.match(load.stdout, /condition Complete/);
    assert.doesNotMatch(load.stdout, /^PASSED/m);
  });

  await t.test('make deploy after make load with changed k6 scripts: one field manager, no apply conflict, dropped keys dropped', async () => {
    const scripts = readK6Scripts();
    const changed = { ...scripts, 'mix.ts': `// changed by a load run\n${scripts['mix.ts'] ?? ''}`, 'extra.ts': 'export {};\n' };
    await kubeApi(sim.kc).applyConfigMap(k6ScriptConfigMap({ namespace: APP_NAMESPACE, scripts: changed }));
    const apply = await sim.node('cluster/cli.ts', ['apply', '--dir', synthDir]);
    assert.equal(apply.code, 0, `${apply.stdout}\n${apply.stderr}`);
    const configMap = await core.readNamespacedConfigMap({ namespace: APP_NAMESPACE, name: K6_SCRIPTS_CONFIGMAP });
    assert.equal(configMap.data?.['mix.ts'], scripts['mix.ts'], 'the deploy wins back the key the load run changed');
    assert.ok(!Object.hasOwn(configMap.data ?? {}, 'extra.ts'), 'a key no longer applied is removed');
    const managers = new Set((configMap.metadata?.managedFields ?? []).map((f) => f.manager));
    assert.deepEqual([...managers], [FIELD_MANAGER]);
  });

  await t.test('the launcher takes over a k6-scripts ConfigMap an older launcher wrote with PUT (manager node-fetch): its apply is forced', async () => {
    const scripts = readK6Scripts();
    const legacy = k6ScriptConfigMap({ namespace: APP_NAMESPACE, scripts: { ...scripts, 'mix.ts': '// an older mix\n' } }).toJSON() as V1ConfigMap;
    await core.replaceNamespacedConfigMap({ namespace: APP_NAMESPACE, name: K6_SCRIPTS_CONFIGMAP, body: legacy });
    const before = await core.readNamespacedConfigMap({ namespace: APP_NAMESPACE, name: K6_SCRIPTS_CONFIGMAP });
    assert.ok((before.metadata?.managedFields ?? []).some((f) => f.manager !== FIELD_MANAGER && f.operation === 'Update'), 'the PUT made another manager own fields');
    assert.equal(await kubeApi(sim.kc).applyConfigMap(k6ScriptConfigMap({ namespace: APP_NAMESPACE, scripts })), 'configured');
    const after = await core.readNamespacedConfigMap({ namespace: APP_NAMESPACE, name: K6_SCRIPTS_CONFIGMAP });
    assert.equal(after.data?.['mix.ts'], scripts['mix.ts']);
  });

  await t.test('every address in the cluster is loopback: nodes, pods, Endpoints', async () => {
    const pods: V1Pod[] = (await core.listPodForAllNamespaces()).items;
    for (const pod of pods.filter((p) => p.status?.podIP)) {
      const where = `${pod.metadata?.namespace}/${pod.metadata?.name}`;
      if (pod.spec?.hostNetwork) assert.equal(pod.status?.podIP, SIM_NETWORK.nodeIp, where);
      else assert.ok(inCidr(pod.status?.podIP ?? '', SIM_NETWORK.podCidr), `${where} has pod IP ${pod.status?.podIP}`);
      assert.equal(pod.status?.hostIP, SIM_NETWORK.nodeIp, where);
    }
    const services = (await core.listServiceForAllNamespaces()).items;
    for (const svc of services) for (const ip of svc.spec?.clusterIPs ?? []) if (ip !== 'None') assert.ok(inCidr(ip, SIM_NETWORK.serviceCidr), `${svc.metadata?.namespace}/${svc.metadata?.name} ClusterIP ${ip}`);
    say(`${pods.length} pods, ${services.length} services: every address in 127.0.0.0/8`);
  });
});
