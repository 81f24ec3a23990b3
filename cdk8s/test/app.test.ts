/**
 * The cdk8s app: which objects it synthesizes and in what order, and exact assertions on the
 * fields that decide whether the stack works (env the service really accepts, probes, shutdown
 * timing, scrape settings, rules and dashboards from their one source, the password's path).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import { App, Chart, Testing } from 'cdk8s';
import { parse as parseYaml } from 'yaml';
import { DASHBOARDS, dashboardPath, dashboardText } from '../../k8s-dashboards/index.js';
import { K6_POD_LABELS, k6Jobs, k6ScriptConfigMap } from '../../loadtest/cluster/objects.js';
import { readK6Scripts } from '../../loadtest/cluster/scripts.js';
import { ruleGroups } from '../../monitoring/index.js';
import { CHART_FILES } from '../../project/generated.js';
import { APP_NAMESPACE, GRAFANA_FOLDER_ANNOTATION, IMAGES, KUBE_PROMETHEUS_STACK, PORT_NAMES, SCRAPE, CONTAINER_PORTS, STACK_PORTS } from '../../project/constants.js';
import { loadConfig } from '../../service/src/config/config.js';
import { ITEMS_API_DEFAULTS, ItemsApi, MIGRATE_COMMAND, POD_TEMPLATE_HASH_LABEL, SHUTDOWN_MARGIN_SECONDS, SPREAD_TOPOLOGY_KEY } from '../api/items-api.js';
import { CHART_IDS } from '../app.js';
import { POSTGRES_PASSWORD_ENV, POSTGRES_PASSWORD_FILE, PasswordError, readPostgresPassword } from '../database/password-source.js';
import { PostgresCredentials } from '../database/postgres-credentials.js';
import { JOB_LABEL, LABEL, WORKLOADS, selectorLabels } from '../lib/labels.js';
import { parseManifests, type K8sObject } from '../validation/manifests.js';
import { TEST_PASSWORD, find, loose, synthesize } from './support.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const { applied, templates } = synthesize();
const ids = (objects: readonly K8sObject[]) => objects.map((o) => `${o.kind} ${o.metadata.namespace ?? '-'}/${o.metadata.name}`);

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef: { name: string; key: string } };
}

/** The environment Kubernetes gives the container: secret refs resolved, `$(VAR)` expanded in order. */
function resolvedEnv(env: readonly EnvVar[], objects: readonly K8sObject[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of env) {
    if (e.valueFrom) {
      const secret = loose(find(objects, 'Secret', e.valueFrom.secretKeyRef.name));
      out[e.name] = Buffer.from(secret.data[e.valueFrom.secretKeyRef.key], 'base64').toString('utf8');
    } else {
      out[e.name] = (e.value ?? '').replace(/\$\(([A-Z_][A-Z0-9_]*)\)/g, (whole, name: string) => out[name] ?? whole);
    }
  }
  return out;
}

describe('the synthesized objects', () => {
  test('are exactly these, namespace first, NetworkPolicies before the pods they protect', () => {
    assert.deepEqual(ids(applied), [
      'Namespace -/items',
      'NetworkPolicy items/items-api-postgres',
      'NetworkPolicy items/items-api-postgres-exporter',
      'NetworkPolicy items/items-api',
      'NetworkPolicy items/items-api-k6',
      'Secret items/items-api-postgres',
      'Service items/items-api-postgres',
      'StatefulSet items/items-api-postgres',
      'Deployment items/items-api-postgres-exporter',
      'Service items/items-api-postgres-exporter',
      'ServiceMonitor items/items-api-postgres-exporter',
      'Deployment items/items-api',
      'Service items/items-api',
      'PodDisruptionBudget items/items-api',
      'HorizontalPodAutoscaler items/items-api',
      'ServiceMonitor items/items-api',
      'PrometheusRule items/items-api',
      ...DASHBOARDS.map((d) => `ConfigMap items/${d.uid}-dashboard`),
      'ConfigMap items/k6-scripts',
    ]);
    assert.deepEqual(ids(templates), ['Job items/k6-template-0']);
  });

  test('chart ids sort in apply order (kubectl apply -f dist/ reads files by name)', () => {
    const order = Object.values(CHART_IDS);
    assert.deepEqual([...order].sort(), order);
    assert.equal(order[0], '00-namespace');
  });

  test('the namespace enforces the restricted Pod Security Standard', () => {
    assert.equal(find(applied, 'Namespace', APP_NAMESPACE).metadata.labels?.['pod-security.kubernetes.io/enforce'], 'restricted');
  });
});

describe('items-api Deployment', () => {
  const deployment = loose(find(applied, 'Deployment', 'items-api'));
  const pod = deployment.spec.template.spec;
  const [api] = pod.containers;
  const [migrate] = pod.initContainers;

  test('runs the kind-loaded image, never pulled, with named http and metrics ports', () => {
    assert.equal(api.image, IMAGES.api);
    assert.equal(api.imagePullPolicy, 'IfNotPresent');
    assert.deepEqual(api.ports, [
      { name: PORT_NAMES.api, containerPort: CONTAINER_PORTS.api, protocol: 'TCP' },
      { name: PORT_NAMES.metrics, containerPort: CONTAINER_PORTS.metrics, protocol: 'TCP' },
    ]);
  });

  test('migrates in an init container before the service starts (same image, migrate.js)', () => {
    assert.equal(migrate.image, api.image);
    assert.deepEqual(migrate.command, MIGRATE_COMMAND);
    assert.deepEqual(MIGRATE_COMMAND, ['node', 'build/service/src/migrate.js']);
  });

  test("the service's own config schema accepts the environment and reads what the manifests mean", () => {
    const config = loadConfig(resolvedEnv(api.env, applied));
    assert.equal(config.port, CONTAINER_PORTS.api);
    assert.equal(config.metricsPort, CONTAINER_PORTS.metrics);
    assert.equal(config.databaseUrl, `postgres://items:${TEST_PASSWORD}@items-api-postgres:${CONTAINER_PORTS.postgres}/items`);
    assert.equal(config.migrateOnStart, false);
    assert.deepEqual(config.shutdown, ITEMS_API_DEFAULTS.shutdown);
    assert.equal(config.faults, undefined);
    const migrateConfig = loadConfig(resolvedEnv(migrate.env, applied));
    assert.equal(migrateConfig.databaseUrl, config.databaseUrl);
  });

  test('DATABASE_URL is assembled from the Secret by Kubernetes: the spec holds no credential', () => {
    const url = api.env.find((e: EnvVar) => e.name === 'DATABASE_URL');
    assert.equal(url.value, `postgres://$(DATABASE_USER):$(DATABASE_PASSWORD)@items-api-postgres:${CONTAINER_PORTS.postgres}/items`);
    const refs = api.env.filter((e: EnvVar) => e.valueFrom).map((e: EnvVar) => [e.name, e.valueFrom?.secretKeyRef.key]);
    assert.deepEqual(refs, [['DATABASE_USER', 'username'], ['DATABASE_PASSWORD', 'password']]);
    // $(VAR) expands only variables defined earlier in the list.
    const names = api.env.map((e: EnvVar) => e.name);
    assert.ok(names.indexOf('DATABASE_PASSWORD') < names.indexOf('DATABASE_URL'));
  });

  test('probes: startup and liveness on /livez, readiness on /readyz, by port name', () => {
    assert.equal(api.startupProbe.httpGet.path, '/livez');
    assert.equal(api.livenessProbe.httpGet.path, '/livez');
    assert.equal(api.readinessProbe.httpGet.path, '/readyz');
    for (const probe of [api.startupProbe, api.livenessProbe, api.readinessProbe]) assert.equal(probe.httpGet.port, PORT_NAMES.api);
  });

  test('the grace period covers the shutdown delay, the drain timeout and a margin', () => {
    const env = resolvedEnv(api.env, applied);
    const shutdownMs = Number(env.SHUTDOWN_DELAY_MS) + Number(env.SHUTDOWN_TIMEOUT_MS);
    assert.ok(Number(env.SHUTDOWN_DELAY_MS) > 0, 'a delay lets endpoints drop the pod before the listener closes');
    assert.equal(pod.terminationGracePeriodSeconds, Math.ceil(shutdownMs / 1000) + SHUTDOWN_MARGIN_SECONDS);
  });

  test('runs as uid 1000, read-only, no privilege escalation, no capabilities, RuntimeDefault seccomp', () => {
    assert.deepEqual(pod.securityContext, { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } });
    for (const c of [api, migrate]) {
      assert.deepEqual(c.securityContext, {
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      });
    }
    assert.equal(pod.automountServiceAccountToken, false);
  });

  test('rollouts never drop below the replica count; the PodDisruptionBudget keeps one pod', () => {
    assert.deepEqual(deployment.spec.strategy.rollingUpdate, { maxSurge: 1, maxUnavailable: 0 });
    assert.equal(loose(find(applied, 'PodDisruptionBudget', 'items-api')).spec.minAvailable, 1);
  });

  test('a HorizontalPodAutoscaler (CPU, 2 to 6 pods) owns the replica count: the Deployment sets none', () => {
    const hpa = loose(find(applied, 'HorizontalPodAutoscaler', 'items-api'));
    assert.equal(hpa.apiVersion, 'autoscaling/v2');
    assert.deepEqual(hpa.spec, {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata.name },
      minReplicas: 2,
      maxReplicas: 6,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: ITEMS_API_DEFAULTS.autoscaling.targetCpuUtilizationPercent } } }],
    });
    // Server-side apply would otherwise fight kube-controller-manager over spec.replicas.
    assert.ok(!('replicas' in deployment.spec));
  });

  test('pods spread one per node (control plane excluded), each revision on its own', () => {
    assert.deepEqual(pod.topologySpreadConstraints, [
      {
        topologyKey: SPREAD_TOPOLOGY_KEY,
        maxSkew: 1,
        whenUnsatisfiable: 'DoNotSchedule',
        nodeTaintsPolicy: 'Honor',
        labelSelector: { matchLabels: deployment.spec.selector.matchLabels },
        matchLabelKeys: [POD_TEMPLATE_HASH_LABEL],
      },
    ]);
  });

  describe('construction refuses', () => {
    const setup = () => {
      const chart = new Chart(new App(), 'c', { namespace: 'items' });
      const credentials = new PostgresCredentials(chart, 'creds', { password: TEST_PASSWORD });
      return { chart, database: { host: 'db', port: 5432, database: 'items', credentials } };
    };
    test('a PodDisruptionBudget that would block every drain (fixed replicas or HPA minimum)', () => {
      const { chart, database } = setup();
      assert.throws(() => new ItemsApi(chart, 'api', { database, autoscaling: false, replicas: 1 }), /minAvailable \(1\) must be below replicas \(1\)/);
      const autoscaling = { ...ITEMS_API_DEFAULTS.autoscaling, minReplicas: 1 };
      assert.throws(() => new ItemsApi(chart, 'api2', { database, autoscaling }), /minAvailable \(1\) must be below autoscaling\.minReplicas \(1\)/);
    });
    test('replicas beside autoscaling, and a maximum below the minimum', () => {
      const { chart, database } = setup();
      assert.throws(() => new ItemsApi(chart, 'api', { database, replicas: 3 }), /replicas is set while autoscaling is on .* set autoscaling: false/);
      const autoscaling = { ...ITEMS_API_DEFAULTS.autoscaling, maxReplicas: 1 };
      assert.throws(() => new ItemsApi(chart, 'api2', { database, autoscaling }), /maxReplicas \(1\) must be an integer >= minReplicas \(2\)/);
    });
    test('nothing else: autoscaling off gives a fixed replica count and no HPA', () => {
      const { chart, database } = setup();
      new ItemsApi(chart, 'api', { database, autoscaling: false, replicas: 3 });
      const objects = Testing.synth(chart) as K8sObject[];
      assert.equal(loose(find(objects, 'Deployment', 'items-api')).spec.replicas, 3);
      assert.ok(!objects.some((o) => o.kind === 'HorizontalPodAutoscaler'));
    });
  });

  test('its Service exposes http and metrics by name', () => {
    const svc = loose(find(applied, 'Service', 'items-api'));
    assert.deepEqual(
      svc.spec.ports.map((p: { name: string; port: number; targetPort: string }) => [p.name, p.port, p.targetPort]),
      [
        [PORT_NAMES.api, CONTAINER_PORTS.api, PORT_NAMES.api],
        [PORT_NAMES.metrics, CONTAINER_PORTS.metrics, PORT_NAMES.metrics],
      ],
    );
  });
});

describe('PostgreSQL', () => {
  const sts = loose(find(applied, 'StatefulSet', 'items-api-postgres'));
  const [pg] = sts.spec.template.spec.containers;

  test('keeps its data on a persistent volume claim template', () => {
    assert.deepEqual(sts.spec.volumeClaimTemplates.map((v: { metadata: { name: string } }) => v.metadata.name), ['data']);
    assert.equal(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage, '1Gi');
    assert.ok(pg.volumeMounts.some((m: { name: string; mountPath: string }) => m.name === 'data' && m.mountPath === '/var/lib/postgresql/data'));
    assert.equal(pg.env.find((e: EnvVar) => e.name === 'PGDATA').value, '/var/lib/postgresql/data/pgdata');
  });

  test('the Secret holds the password given, base64-encoded; the server reads it from there', () => {
    const secret = loose(find(applied, 'Secret', 'items-api-postgres'));
    assert.equal(Buffer.from(secret.data.password, 'base64').toString('utf8'), TEST_PASSWORD);
    assert.deepEqual(pg.env.find((e: EnvVar) => e.name === 'POSTGRES_PASSWORD').valueFrom, { secretKeyRef: { name: 'items-api-postgres', key: 'password' } });
  });

  test('readiness asks pg_isready; liveness only that the port listens, and gives up later', () => {
    assert.deepEqual(pg.readinessProbe.exec.command.slice(0, 1), ['pg_isready']);
    assert.deepEqual(pg.livenessProbe.tcpSocket, { port: 'postgres' });
    assert.equal(pg.livenessProbe.exec, undefined);
    assert.ok(pg.livenessProbe.periodSeconds * pg.livenessProbe.failureThreshold > pg.readinessProbe.periodSeconds * pg.readinessProbe.failureThreshold);
  });

  test('stops with a fast shutdown (SIGTERM alone would wait for every pooled client)', () => {
    assert.deepEqual(pg.lifecycle.preStop.exec.command.slice(0, 3), ['pg_ctl', 'stop', '--mode=fast']);
  });
});

describe('postgres-exporter', () => {
  const [exporter] = loose(find(applied, 'Deployment', 'items-api-postgres-exporter')).spec.template.spec.containers;

  test('readiness is an HTTP GET of the landing page; liveness only that the port listens', () => {
    assert.deepEqual(exporter.readinessProbe.httpGet, { path: '/', port: PORT_NAMES.metrics });
    assert.deepEqual(exporter.livenessProbe.tcpSocket, { port: PORT_NAMES.metrics });
    assert.equal(exporter.livenessProbe.httpGet, undefined);
  });
});

describe('monitoring objects', () => {
  test('the items-api ServiceMonitor scrapes the metrics port with the shared scrape settings', () => {
    const sm = loose(find(applied, 'ServiceMonitor', 'items-api'));
    assert.deepEqual(sm.spec.endpoints, [{ port: PORT_NAMES.metrics, path: SCRAPE.path, interval: SCRAPE.interval, scrapeTimeout: SCRAPE.scrapeTimeout }]);
    assert.deepEqual(sm.spec.namespaceSelector, { matchNames: [APP_NAMESPACE] });
  });

  test('every ServiceMonitor pins job to the Service label named by jobLabel: items-api gets SCRAPE.job', () => {
    assert.equal(JOB_LABEL, LABEL.name);
    const jobOf = (name: string) => {
      const sm = loose(find(applied, 'ServiceMonitor', name));
      assert.equal(sm.spec.jobLabel, JOB_LABEL, `${name}: jobLabel`);
      return find(applied, 'Service', name).metadata.labels?.[sm.spec.jobLabel];
    };
    assert.equal(jobOf('items-api'), SCRAPE.job);
    // Nothing in monitoring/ or k8s-dashboards/ selects the exporter's job; it is fixed all the same.
    assert.equal(jobOf('items-api-postgres-exporter'), WORKLOADS.postgresExporter.name);
  });

  test('the PrometheusRule holds exactly ruleGroups() from monitoring/', () => {
    const rule = loose(find(applied, 'PrometheusRule', 'items-api'));
    assert.deepEqual(rule.spec.groups, JSON.parse(JSON.stringify(ruleGroups())));
  });

  // cdk8s renders from the TypeScript sources, not from the committed files, so `make synth` never
  // applies a stale file; these two prove it applies exactly what the chart ships.
  test("the PrometheusRule holds the groups of the chart's committed rule file", async () => {
    const rule = loose(find(applied, 'PrometheusRule', 'items-api'));
    const committed = parseYaml(await readFile(path.join(ROOT, CHART_FILES.rules), 'utf8')) as { groups: unknown };
    assert.deepEqual(rule.spec.groups, committed.groups);
  });

  test("each dashboard ConfigMap carries the chart's committed JSON file byte for byte", async () => {
    for (const dashboard of DASHBOARDS) {
      const cm = loose(find(applied, 'ConfigMap', `${dashboard.uid}-dashboard`));
      assert.equal(cm.data[dashboard.file], await readFile(path.join(ROOT, dashboardPath(dashboard)), 'utf8'), dashboard.uid);
    }
  });

  test('one dashboard ConfigMap per DASHBOARDS entry, with the sidecar label and the folder annotation', () => {
    for (const dashboard of DASHBOARDS) {
      const cm = loose(find(applied, 'ConfigMap', `${dashboard.uid}-dashboard`));
      assert.deepEqual(cm.data, { [dashboard.file]: dashboardText(dashboard) });
      assert.equal(cm.metadata.labels[KUBE_PROMETHEUS_STACK.dashboardLabel.key], KUBE_PROMETHEUS_STACK.dashboardLabel.value);
      assert.deepEqual(cm.metadata.annotations, { [GRAFANA_FOLDER_ANNOTATION]: KUBE_PROMETHEUS_STACK.dashboardFolder });
    }
  });
});

describe('the k6 NetworkPolicy', () => {
  const policy = loose(find(applied, 'NetworkPolicy', 'items-api-k6'));

  test('selects the k6 pods by K6_POD_LABELS, which the Job template carries', () => {
    assert.deepEqual(policy.spec.podSelector, { matchLabels: K6_POD_LABELS });
    const job = loose(find(templates, 'Job', 'k6-template-0'));
    for (const [k, v] of Object.entries(K6_POD_LABELS)) assert.equal(job.spec.template.metadata.labels[k], v);
  });

  test('denies all ingress; egress only to the API port, DNS (UDP and TCP 53) and Prometheus 9090', () => {
    assert.deepEqual(policy.spec.policyTypes, ['Ingress', 'Egress']);
    assert.equal(policy.spec.ingress, undefined);
    assert.deepEqual(policy.spec.egress, [
      { to: [{ podSelector: { matchLabels: selectorLabels(WORKLOADS.api) } }], ports: [{ protocol: 'TCP', port: CONTAINER_PORTS.api }] },
      {
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
      },
      {
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': KUBE_PROMETHEUS_STACK.namespace } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } }],
        ports: [{ protocol: 'TCP', port: STACK_PORTS.prometheus }],
      },
    ]);
  });
});

describe('load-test objects come from loadtest/cluster/objects.ts unchanged', () => {
  test('the k6 scripts ConfigMap', () => {
    assert.deepEqual(find(applied, 'ConfigMap', 'k6-scripts'), JSON.parse(JSON.stringify(k6ScriptConfigMap({ scripts: readK6Scripts() }))));
  });

  test('the Job template (smoke profile), kept out of the applied files', () => {
    const [job] = k6Jobs({ profile: 'smoke', testId: 'template', parallelism: 1 });
    assert.deepEqual(find(templates, 'Job', 'k6-template-0'), JSON.parse(JSON.stringify(job)));
    assert.ok(!applied.some((o) => o.kind === 'Job'));
  });
});

describe('the PostgreSQL password', () => {
  test('comes from the environment first', () => {
    assert.equal(readPostgresPassword({ root: '/nonexistent', env: { [POSTGRES_PASSWORD_ENV]: TEST_PASSWORD } }), TEST_PASSWORD);
  });

  test('then from the generated file (trailing newline ignored)', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'items-pw-'));
    try {
      await mkdir(path.join(root, path.dirname(POSTGRES_PASSWORD_FILE)), { recursive: true });
      await writeFile(path.join(root, POSTGRES_PASSWORD_FILE), `${TEST_PASSWORD}\n`);
      assert.equal(readPostgresPassword({ root, env: {} }), TEST_PASSWORD);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  test('absent: a clear error naming make db-password; no default exists', () => {
    assert.throws(
      () => readPostgresPassword({ root: '/nonexistent', env: {} }),
      (err: unknown) => err instanceof PasswordError && /run `make db-password`/.test(err.message) && /ships no default password/.test(err.message),
    );
  });

  test('too short or not URL-safe: refused before it reaches a manifest', () => {
    for (const bad of ['short', 'has spaces in it 12345', 'p@ss:word/with-url-chars']) {
      assert.throws(() => readPostgresPassword({ root: '/x', env: { [POSTGRES_PASSWORD_ENV]: bad } }), PasswordError);
      assert.throws(() => new PostgresCredentials(new Chart(new App(), 'c'), 'creds', { password: bad }), PasswordError);
    }
  });
});

describe('make synth (cdk8s/main.ts)', () => {
  test('writes one file per chart in apply order and the Job template under templates/', async () => {
    const outdir = await mkdtemp(path.join(os.tmpdir(), 'items-synth-'));
    try {
      await writeFile(path.join(outdir, 'old-chart.k8s.yaml'), 'stale');
      const env = { ...process.env, CDK8S_OUTDIR: outdir, [POSTGRES_PASSWORD_ENV]: TEST_PASSWORD };
      await run(process.execPath, ['--import', 'tsx', 'cdk8s/main.ts'], { cwd: ROOT, env, timeout: 120_000 });
      const files = (await readdir(outdir)).filter((f) => f.endsWith('.k8s.yaml'));
      assert.deepEqual(files, Object.values(CHART_IDS).map((id) => `${id}.k8s.yaml`));
      const first = parseManifests(await readFile(path.join(outdir, files[0] as string), 'utf8'), 'first file');
      assert.equal(first[0]?.kind, 'Namespace');
      const fromFiles = (await Promise.all(files.map(async (f) => parseManifests(await readFile(path.join(outdir, f), 'utf8'), f)))).flat();
      assert.deepEqual(fromFiles, applied);
      assert.deepEqual(await readdir(path.join(outdir, 'templates')), ['k6-job.k8s.yaml']);
    } finally {
      await rm(outdir, { recursive: true, force: true });
    }
  });

  test('fails with one clear line on a bad password, writing nothing', async () => {
    const outdir = await mkdtemp(path.join(os.tmpdir(), 'items-synth-'));
    try {
      const env = { ...process.env, CDK8S_OUTDIR: outdir, [POSTGRES_PASSWORD_ENV]: 'short' };
      await assert.rejects(run(process.execPath, ['--import', 'tsx', 'cdk8s/main.ts'], { cwd: ROOT, env, timeout: 120_000 }), (err: { code?: number; stderr?: string }) => {
        assert.equal(err.code, 1);
        assert.match(err.stderr ?? '', /^cdk8s synth: the PostgreSQL password from ITEMS_POSTGRES_PASSWORD must be 16-128 characters/);
        return true;
      });
      assert.deepEqual(await readdir(outdir), []);
    } finally {
      await rm(outdir, { recursive: true, force: true });
    }
  });
});
