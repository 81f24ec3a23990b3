/**
 * The items-api Helm chart with the real helm: lint, default and non-default renders validated
 * like the cdk8s objects (schemas, strict unknown fields, kubeconform, cluster invariants), the
 * values that must be refused, and alert templates surviving Helm.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { INSTANCE, WORKLOADS } from '../../cdk8s/lib/labels.js';
import { TEST_PASSWORD, find, loose } from '../../cdk8s/test/support.js';
import { invariantProblems } from '../../cdk8s/validation/invariants.js';
import { kubeconform, writeKubeconformSchemas } from '../../cdk8s/validation/kubeconform.js';
import type { K8sObject } from '../../cdk8s/validation/manifests.js';
import { projectInvariantContext } from '../../cdk8s/validation/project-context.js';
import { schemaProblems } from '../../cdk8s/validation/schema-check.js';
import { selectorMatches } from '../../cdk8s/validation/selectors.js';
import { stackSelection } from '../../cdk8s/validation/stack-selection.js';
import { DASHBOARDS } from '../../k8s-dashboards/index.js';
import { k6Jobs } from '../../loadtest/cluster/objects.js';
import { ruleGroups } from '../../monitoring/index.js';
import { SCRAPE } from '../../project/constants.js';
import { requireTools } from '../../testing/tools.js';
import { TEST_HOOK_ANNOTATIONS } from '../generate.js';
import { CHART_PATH, helm, helmTemplate, templateArgs } from './helm.js';

const ids = (objects: readonly K8sObject[]) => objects.map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`).sort();
const password = { 'database.password': TEST_PASSWORD };
/** The chart's fullname rule (templates/_helpers.tpl): what items-api's objects are named in a release. */
const fullname = (release: string) => (release.includes(INSTANCE) ? release : `${release}-${INSTANCE}`);

describe('items-api chart', () => {
  test('helm lint passes', async (t) => {
    const tools = requireTools(t, ['helm']);
    if (!tools) return;
    const result = await helm(tools.helm as string, ['lint', '--strict', CHART_PATH, '--set-string', `database.password=${TEST_PASSWORD}`]);
    assert.ok(result.ok, result.stdout + result.stderr);
    assert.match(result.stdout, /1 chart\(s\) linted, 0 chart\(s\) failed/);
  });

  test('default values: every object schema-valid, strict, and every invariant holds', async (t) => {
    const tools = requireTools(t, ['helm']);
    if (!tools) return;
    const objects = await helmTemplate(tools.helm as string, { set: password });
    assert.deepEqual(schemaProblems(objects), []);
    assert.deepEqual(invariantProblems(objects, projectInvariantContext({ password: TEST_PASSWORD })), []);
  });

  test("alert annotations keep their {{ $labels }} templates through Helm, the rules equal ruleGroups()", async (t) => {
    const tools = requireTools(t, ['helm']);
    if (!tools) return;
    const objects = await helmTemplate(tools.helm as string, { set: password });
    const groups = loose(find(objects, 'PrometheusRule', 'items-api')).spec.groups;
    assert.deepEqual(groups, JSON.parse(JSON.stringify(ruleGroups())));
    const templated = JSON.stringify(groups).match(/\{\{ ?\$labels\.[a-z_]+ ?\}\}/g) ?? [];
    assert.ok(templated.length > 0, 'the rules use {{ $labels.x }} in annotations; the check would be empty otherwise');
  });

  test('every optional object can be switched off; what remains still holds every invariant', async (t) => {
    const tools = requireTools(t, ['helm']);
    if (!tools) return;
    const set = {
      ...password,
      'serviceMonitor.enabled': 'false',
      'prometheusRule.enabled': 'false',
      'dashboards.enabled': 'false',
      'loadtest.enabled': 'false',
      'database.exporter.enabled': 'false',
      'networkPolicy.enabled': 'false',
      'autoscaling.enabled': 'false',
    };
    const objects = await helmTemplate(tools.helm as string, { set });
    assert.deepEqual(ids(objects), [
      'Deployment items/items-api',
      'PodDisruptionBudget items/items-api',
      'Secret items/items-api-postgres',
      'Service items/items-api',
      'Service items/items-api-postgres',
      'StatefulSet items/items-api-postgres',
    ]);
    assert.deepEqual(schemaProblems(objects), []);
    const ctx = projectInvariantContext({ password: TEST_PASSWORD, exporter: false, networkPolicies: false, serviceMonitors: false, autoscaling: false, loadtest: false });
    assert.deepEqual(invariantProblems(objects, ctx), []);
    // Fixed replicas: the Deployment sets the count, and still spreads its pods.
    const deployment = loose(find(objects, 'Deployment', 'items-api'));
    assert.equal(deployment.spec.replicas, 2);
    assert.equal(deployment.spec.template.spec.topologySpreadConstraints[0].nodeTaintsPolicy, 'Honor');
  });

  test('non-default values reach the objects: release, namespace, image, replicas, resources, database, monitoring', async (t) => {
    const tools = requireTools(t, ['helm']);
    if (!tools) return;
    const set = {
      'image.tag': '0.2.0',
      'autoscaling.minReplicas': '3',
      'autoscaling.maxReplicas': '9',
      'autoscaling.targetCPUUtilizationPercentage': '50',
      'resources.limits.memory': '512Mi',
      'shutdown.delayMs': '10500',
      'database.existingSecret': 'shop-db',
      'database.storage.size': '5Gi',
      'database.storage.storageClassName': 'fast',
      'networkPolicy.monitoringNamespace': 'observability',
      'serviceMonitor.interval': '30s',
      'dashboards.folder': 'Shop',
    };
    const objects = await helmTemplate(tools.helm as string, { release: 'shop', namespace: 'shop', set });
    assert.ok(!objects.some((o) => o.kind === 'Secret'), 'existingSecret: the chart writes no Secret');
    const deployment = loose(find(objects, 'Deployment', 'shop-items-api'));
    const [api] = deployment.spec.template.spec.containers;
    assert.equal(deployment.metadata.namespace, 'shop');
    assert.equal(deployment.spec.replicas, undefined, 'the HPA owns the count');
    const hpa = loose(find(objects, 'HorizontalPodAutoscaler', 'shop-items-api'));
    assert.deepEqual([hpa.spec.scaleTargetRef.name, hpa.spec.minReplicas, hpa.spec.maxReplicas], ['shop-items-api', 3, 9]);
    assert.equal(hpa.spec.metrics[0].resource.target.averageUtilization, 50);
    assert.equal(api.image, 'items-api:0.2.0');
    assert.equal(api.resources.limits.memory, '512Mi');
    assert.equal(deployment.spec.template.spec.terminationGracePeriodSeconds, 36, 'ceil((10500 + 15000) / 1000) + 10');
    assert.deepEqual(api.env.find((e: { name: string }) => e.name === 'DATABASE_PASSWORD').valueFrom.secretKeyRef, { name: 'shop-db', key: 'password' });
    assert.match(api.env.find((e: { name: string }) => e.name === 'DATABASE_URL').value, /@shop-items-api-postgres:5432\/items$/);
    const sts = loose(find(objects, 'StatefulSet', 'shop-items-api-postgres'));
    assert.deepEqual(sts.spec.volumeClaimTemplates[0].spec.storageClassName, 'fast');
    assert.equal(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage, '5Gi');
    assert.equal(loose(find(objects, 'ServiceMonitor', 'shop-items-api')).spec.endpoints[0].interval, '30s');
    assert.deepEqual(loose(find(objects, 'ServiceMonitor', 'shop-items-api')).spec.namespaceSelector, { matchNames: ['shop'] });
    assert.equal(find(objects, 'ConfigMap', `${DASHBOARDS[0]?.uid}-dashboard`).metadata.annotations?.grafana_folder, 'Shop');
    assert.match(loose(find(objects, 'Pod', 'shop-items-api-k6-smoke')).spec.containers[0].env.find((e: { name: string }) => e.name === 'BASE_URL').value, /^http:\/\/shop-items-api\.shop\.svc:3030$/);
    const k6Egress = loose(find(objects, 'NetworkPolicy', 'shop-items-api-k6')).spec.egress;
    assert.deepEqual(k6Egress[2].to[0].namespaceSelector.matchLabels, { 'kubernetes.io/metadata.name': 'observability' }, 'remote write follows monitoringNamespace');

    assert.deepEqual(schemaProblems(objects), []);
    const stack = { ...stackSelection(), prometheusNamespace: 'observability' };
    const ctx = projectInvariantContext({ password: TEST_PASSWORD, namespace: 'shop', release: 'shop', stack });
    assert.deepEqual(invariantProblems(objects, ctx), []);
    // The same objects with the default monitoring namespace: Prometheus there is now shut out.
    const wrongNamespace = projectInvariantContext({ password: TEST_PASSWORD, namespace: 'shop', release: 'shop' });
    assert.match(invariantProblems(objects, wrongNamespace).join('\n'), /NetworkPolicies block Prometheus \(monitoring\)/);
  });

  const REFUSED: ReadonlyArray<{ what: string; set: Record<string, string>; message: RegExp }> = [
    { what: 'no password and no existingSecret', set: {}, message: /database\.password is required .* the chart ships no default password/ },
    { what: 'a short password', set: { 'database.password': 'short' }, message: /\/database\/password.*does not match pattern/ },
    { what: 'a typo in a value key', set: { ...password, replica: '3' }, message: /additional properties 'replica' not allowed/ },
    { what: 'a PodDisruptionBudget blocking every drain', set: { ...password, 'podDisruptionBudget.minAvailable': '2' }, message: /minAvailable \(2\) must be below autoscaling\.minReplicas \(2\)/ },
    {
      what: 'a PodDisruptionBudget blocking every drain (fixed replicas)',
      set: { ...password, 'autoscaling.enabled': 'false', replicaCount: '1' },
      message: /minAvailable \(1\) must be below replicaCount \(1\)/,
    },
    { what: 'an HPA maximum below its minimum', set: { ...password, 'autoscaling.maxReplicas': '1' }, message: /autoscaling\.maxReplicas \(1\) must be at least autoscaling\.minReplicas \(2\)/ },
    { what: 'the old `replicas` key', set: { ...password, replicas: '3' }, message: /additional properties 'replicas' not allowed/ },
    { what: 'the latest tag', set: { ...password, 'database.image.tag': 'latest' }, message: /image postgres: pin a tag instead of latest/ },
  ];
  for (const refused of REFUSED) {
    test(`helm template refuses ${refused.what}, with a message saying why`, async (t) => {
      const tools = requireTools(t, ['helm']);
      if (!tools) return;
      const result = await helm(tools.helm as string, templateArgs({ set: refused.set }));
      assert.equal(result.ok, false);
      assert.match(result.stderr, refused.message);
    });
  }
});

describe('the job label does not depend on the release name', () => {
  for (const release of [INSTANCE, 'demo']) {
    test(`release ${release}: the Service label named by the items-api ServiceMonitor's jobLabel is SCRAPE.job`, async (t) => {
      const tools = requireTools(t, ['helm']);
      if (!tools) return;
      const objects = await helmTemplate(tools.helm as string, { release, set: password });
      const jobOf = (name: string) => {
        const sm = loose(find(objects, 'ServiceMonitor', name));
        assert.ok(sm.spec.jobLabel, `ServiceMonitor ${name} sets no jobLabel: job would be the Service name, ${name}`);
        return find(objects, 'Service', name).metadata.labels?.[sm.spec.jobLabel];
      };
      assert.equal(jobOf(fullname(release)), SCRAPE.job);
      assert.equal(jobOf(`${fullname(release)}-postgres-exporter`), WORKLOADS.postgresExporter.name);
      assert.deepEqual(invariantProblems(objects, projectInvariantContext({ password: TEST_PASSWORD, release })), []);
    });
  }
});

describe('the helm test hook', () => {
  for (const release of [INSTANCE, 'demo']) {
    test(`release ${release}: one Pod, named as the hook (what \`helm test --logs\` reads), selected by the k6 NetworkPolicy`, async (t) => {
      const tools = requireTools(t, ['helm']);
      if (!tools) return;
      const objects = await helmTemplate(tools.helm as string, { release, set: password });
      const hooks = objects.filter((o) => o.metadata.annotations?.['helm.sh/hook'] !== undefined);
      assert.deepEqual(ids(hooks), [`Pod items/${fullname(release)}-k6-smoke`]);
      const pod = loose(find(hooks, 'Pod', `${fullname(release)}-k6-smoke`));
      // Helm fetches the logs of the pod whose name is the hook's metadata.name; only a Pod hook is that pod.
      assert.equal(pod.kind, 'Pod');
      assert.deepEqual(pod.metadata.annotations, TEST_HOOK_ANNOTATIONS);
      assert.doesNotMatch(pod.metadata.annotations['helm.sh/hook-delete-policy'], /hook-succeeded/, 'helm reads the logs after the hook ends');
      assert.equal(pod.spec.restartPolicy, 'Never');
      const policy = loose(find(objects, 'NetworkPolicy', `${fullname(release)}-k6`));
      assert.ok(selectorMatches(policy.spec.podSelector, pod.metadata.labels), `the k6 NetworkPolicy selects ${JSON.stringify(pod.metadata.labels)}`);

      // The smoke Job's pod, with this release's API URL and the Job's deadline.
      const [job] = k6Jobs({ profile: 'smoke', testId: 'template', parallelism: 1, namespace: 'items', targetBaseUrl: `http://${fullname(release)}.items.svc:3030` });
      const template = JSON.parse(JSON.stringify(job?.spec?.template));
      assert.deepEqual(pod.metadata.labels, template.metadata.labels);
      assert.deepEqual(pod.spec, { ...template.spec, activeDeadlineSeconds: job?.spec?.activeDeadlineSeconds });
    });
  }
});

describe('kubeconform -strict on the rendered chart (offline schemas)', () => {
  let schemas: Awaited<ReturnType<typeof writeKubeconformSchemas>>;
  let dir: string;
  before(async () => {
    schemas = await writeKubeconformSchemas();
    dir = await mkdtemp(path.join(os.tmpdir(), 'items-chart-'));
  });
  after(async () => {
    await schemas.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  test('accepts every object helm renders with default values', async (t) => {
    const tools = requireTools(t, ['helm', 'kubeconform']);
    if (!tools) return;
    const rendered = await helm(tools.helm as string, templateArgs({ set: password }));
    assert.ok(rendered.ok, rendered.stderr);
    const file = path.join(dir, 'rendered.yaml');
    await writeFile(file, rendered.stdout);
    const result = await kubeconform(tools.kubeconform as string, schemas.dir, [file]);
    assert.ok(result.ok, result.output);
    assert.match(result.output, /Invalid: 0, Errors: 0, Skipped: 0/);
  });
});
