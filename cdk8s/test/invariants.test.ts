/**
 * The cluster-breaking invariants hold on the synthesized objects, and each one fails on a
 * realistic mutation of them (the kind of edit that passes schema validation and breaks a cluster).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { STACK } from '../../project/kube-prometheus-stack.js';
import { GRAFANA_FOLDER_ANNOTATION, KUBE_PROMETHEUS_STACK } from '../../project/constants.js';
import { INVARIANTS, type InvariantContext, invariantProblems } from '../validation/invariants.js';
import { type K8sObject, cloneObjects } from '../validation/manifests.js';
import { projectInvariantContext } from '../validation/project-context.js';
import { type StackValues, stackSelection } from '../validation/stack-selection.js';
import { TEST_PASSWORD, find, loose, synthesize } from './support.js';

const { all } = synthesize();
/** The values `make kind-up` installs kube-prometheus-stack with: our objects must suit that stack. */
const ourStack = stackSelection(parse(readFileSync(path.resolve(import.meta.dirname, '../..', STACK.valuesFile), 'utf8')) as StackValues);
/** A stock kube-prometheus-stack: selects only objects labelled `release: kube-prometheus-stack`. */
const stockStack = stackSelection();

const context = (stack = ourStack): InvariantContext => projectInvariantContext({ password: TEST_PASSWORD, stack });

interface Mutation {
  readonly invariant: string;
  readonly change: string;
  readonly mutate: (objects: K8sObject[]) => void;
  readonly expect: RegExp;
  readonly stack?: ReturnType<typeof stackSelection>;
}

const container = (objects: K8sObject[], kind: string, name: string, index = 0) => loose(find(objects, kind, name)).spec.template.spec.containers[index];
const policy = (objects: K8sObject[], name: string) => loose(find(objects, 'NetworkPolicy', name)).spec;

const MUTATIONS: readonly Mutation[] = [
  {
    invariant: INVARIANTS[0]!.name,
    change: 'pods relabelled without the Service',
    mutate: (o) => (loose(find(o, 'Deployment', 'items-api')).spec.template.metadata.labels['app.kubernetes.io/name'] = 'items-api-v2'),
    expect: /Service items\/items-api: selector .* matches no pod template/,
  },
  {
    invariant: INVARIANTS[0]!.name,
    change: 'Service targetPort names a port the pods do not have',
    mutate: (o) => (loose(find(o, 'Service', 'items-api')).spec.ports[1].targetPort = 'metric'),
    expect: /Service items\/items-api: port metrics targets metric, which Deployment items\/items-api does not expose/,
  },
  {
    invariant: INVARIANTS[1]!.name,
    change: 'PodDisruptionBudget selector typo',
    mutate: (o) => (loose(find(o, 'PodDisruptionBudget', 'items-api')).spec.selector.matchLabels['app.kubernetes.io/name'] = 'items'),
    expect: /PodDisruptionBudget items\/items-api: selects no pod template/,
  },
  {
    invariant: INVARIANTS[1]!.name,
    change: 'NetworkPolicy for PostgreSQL selects nothing after a label change',
    mutate: (o) => (policy(o, 'items-api-postgres').podSelector.matchLabels['app.kubernetes.io/name'] = 'postgresql'),
    expect: /NetworkPolicy items\/items-api-postgres: selects no pod template/,
  },
  {
    invariant: INVARIANTS[2]!.name,
    change: 'ServiceMonitor names a port the Service does not have',
    mutate: (o) => (loose(find(o, 'ServiceMonitor', 'items-api')).spec.endpoints[0].port = 'http-metrics'),
    expect: /ServiceMonitor items\/items-api: Service items-api has no port named "http-metrics"/,
  },
  {
    invariant: INVARIANTS[2]!.name,
    change: 'ServiceMonitor looks in the wrong namespace',
    mutate: (o) => (loose(find(o, 'ServiceMonitor', 'items-api')).spec.namespaceSelector.matchNames = ['default']),
    expect: /ServiceMonitor items\/items-api: selects no Service/,
  },
  {
    invariant: INVARIANTS[2]!.name,
    change: 'ServiceMonitor selector loosened to the whole instance (selects the exporter too)',
    mutate: (o) => delete loose(find(o, 'ServiceMonitor', 'items-api')).spec.selector.matchLabels['app.kubernetes.io/name'],
    expect: /ServiceMonitor items\/items-api: must select exactly Service items-api/,
  },
  {
    invariant: INVARIANTS[3]!.name,
    change: 'PrometheusRule without the release label, stock kube-prometheus-stack',
    mutate: (o) => delete find(o, 'PrometheusRule', 'items-api').metadata.labels?.release,
    expect: /PrometheusRule items\/items-api: labels do not match Prometheus' selector/,
    stack: stockStack,
  },
  {
    invariant: INVARIANTS[3]!.name,
    change: 'ServiceMonitor without the release label, stock kube-prometheus-stack',
    mutate: (o) => delete find(o, 'ServiceMonitor', 'items-api-postgres-exporter').metadata.labels?.release,
    expect: /ServiceMonitor items\/items-api-postgres-exporter: labels do not match/,
    stack: stockStack,
  },
  {
    invariant: INVARIANTS[4]!.name,
    change: 'dashboard ConfigMap without the sidecar label',
    mutate: (o) => delete find(o, 'ConfigMap', 'items-api-overview-dashboard').metadata.labels?.[KUBE_PROMETHEUS_STACK.dashboardLabel.key],
    expect: /ConfigMap items\/items-api-overview-dashboard: holds a dashboard without label grafana_dashboard=1/,
  },
  {
    invariant: INVARIANTS[4]!.name,
    change: 'dashboard ConfigMap without the folder annotation',
    mutate: (o) => delete find(o, 'ConfigMap', 'items-api-runtime-dashboard').metadata.annotations?.[GRAFANA_FOLDER_ANNOTATION],
    expect: /ConfigMap items\/items-api-runtime-dashboard: no grafana_folder annotation/,
  },
  {
    invariant: INVARIANTS[5]!.name,
    change: 'kind-loaded image with imagePullPolicy Always',
    mutate: (o) => (container(o, 'Deployment', 'items-api').imagePullPolicy = 'Always'),
    expect: /container items-api: items-api:0\.1\.0 is kind-loaded, imagePullPolicy must be IfNotPresent/,
  },
  {
    invariant: INVARIANTS[5]!.name,
    change: 'image tag latest',
    mutate: (o) => (container(o, 'StatefulSet', 'items-api-postgres').image = 'postgres:latest'),
    expect: /container postgres: image postgres:latest must carry a pinned tag/,
  },
  {
    invariant: INVARIANTS[5]!.name,
    change: 'image without a tag',
    mutate: (o) => (loose(find(o, 'Deployment', 'items-api')).spec.template.spec.initContainers[0].image = 'items-api'),
    expect: /init container migrate: image items-api must carry a pinned tag/,
  },
  {
    invariant: INVARIANTS[6]!.name,
    change: 'password copied into a ConfigMap',
    mutate: (o) => (loose(find(o, 'ConfigMap', 'k6-scripts')).data['db.env'] = `PASSWORD=${TEST_PASSWORD}`),
    expect: /ConfigMap items\/k6-scripts: contains a secret value/,
  },
  {
    invariant: INVARIANTS[6]!.name,
    change: 'password as an env literal',
    mutate: (o) => {
      const env = container(o, 'Deployment', 'items-api-postgres-exporter').env;
      env[2] = { name: 'DATA_SOURCE_PASS', value: 'hunter2-hunter2' };
    },
    expect: /env DATA_SOURCE_PASS is a literal; take it from a Secret/,
  },
  {
    invariant: INVARIANTS[6]!.name,
    change: 'DATABASE_URL with a literal password',
    mutate: (o) => {
      const env = container(o, 'Deployment', 'items-api').env.find((e: { name: string }) => e.name === 'DATABASE_URL');
      env.value = 'postgres://items:hunter2@items-api-postgres:5432/items';
    },
    expect: /env DATABASE_URL holds a URL with a literal password/,
  },
  {
    invariant: INVARIANTS[7]!.name,
    change: 'readiness probe removed',
    mutate: (o) => delete container(o, 'Deployment', 'items-api').readinessProbe,
    expect: /Deployment items\/items-api container items-api: no readinessProbe/,
  },
  {
    invariant: INVARIANTS[7]!.name,
    change: 'writable root filesystem',
    mutate: (o) => (container(o, 'StatefulSet', 'items-api-postgres').securityContext.readOnlyRootFilesystem = false),
    expect: /StatefulSet items\/items-api-postgres container postgres: readOnlyRootFilesystem is not true/,
  },
  {
    invariant: INVARIANTS[7]!.name,
    change: 'limits removed',
    mutate: (o) => delete container(o, 'Deployment', 'items-api-postgres-exporter').resources.limits,
    expect: /container postgres-exporter: no resources limits\.cpu, limits\.memory/,
  },
  {
    invariant: INVARIANTS[7]!.name,
    change: 'a capability added and root uid',
    mutate: (o) => {
      const c = container(o, 'Deployment', 'items-api');
      c.securityContext.capabilities.add = ['NET_ADMIN'];
      c.securityContext.runAsUser = 0;
    },
    expect: /container items-api: runAsUser must be a non-zero numeric uid/,
  },
  {
    invariant: INVARIANTS[7]!.name,
    change: 'privilege escalation allowed in the k6 Job',
    mutate: (o) => (container(o, 'Job', 'k6-template-0').securityContext.allowPrivilegeEscalation = true),
    expect: /Job items\/k6-template-0 container k6: allowPrivilegeEscalation is not false/,
  },
  {
    invariant: INVARIANTS[8]!.name,
    change: 'metrics rule opened to the wrong namespace',
    mutate: (o) => (policy(o, 'items-api').ingress[1].from[0].namespaceSelector.matchLabels['kubernetes.io/metadata.name'] = 'prometheus'),
    expect: /ServiceMonitor items\/items-api: NetworkPolicies block Prometheus \(monitoring\) from Deployment items\/items-api port 9464/,
  },
  {
    invariant: INVARIANTS[8]!.name,
    change: 'exporter policy without its scrape rule',
    mutate: (o) => (policy(o, 'items-api-postgres-exporter').ingress = []),
    expect: /ServiceMonitor items\/items-api-postgres-exporter: NetworkPolicies block Prometheus/,
  },
  {
    invariant: INVARIANTS[9]!.name,
    change: 'exporter left out of the PostgreSQL policy',
    mutate: (o) => policy(o, 'items-api-postgres').ingress[0].from.pop(),
    expect: /the exporter reaches PostgreSQL: blocked/,
  },
  {
    invariant: INVARIANTS[9]!.name,
    change: 'PostgreSQL opened to the whole cluster',
    mutate: (o) => (policy(o, 'items-api-postgres').ingress[0].from = [{ namespaceSelector: {} }]),
    expect: /other namespaces cannot reach PostgreSQL: allowed/,
  },
  {
    invariant: INVARIANTS[9]!.name,
    change: 'metrics port opened to every pod (one rule for both ports)',
    mutate: (o) => (policy(o, 'items-api').ingress = [{ from: [{ namespaceSelector: {} }] }]),
    expect: /other namespaces cannot scrape items-api: allowed/,
  },
  {
    invariant: INVARIANTS[9]!.name,
    change: 'the k6 NetworkPolicy is missing (k6 pods open both ways)',
    mutate: (o) => o.splice(o.indexOf(find(o, 'NetworkPolicy', 'items-api-k6')), 1),
    expect: /k6 pods cannot reach other namespaces: allowed/,
  },
  {
    invariant: INVARIANTS[9]!.name,
    change: 'the k6 NetworkPolicy without its default-deny ingress',
    mutate: (o) => (policy(o, 'items-api-k6').policyTypes = ['Egress']),
    expect: /nothing connects to k6 pods: allowed/,
  },
  {
    invariant: INVARIANTS[9]!.name,
    change: 'k6 egress to the monitoring namespace on every port (too wide)',
    mutate: (o) => {
      const rule = policy(o, 'items-api-k6').egress[2];
      delete rule.to[0].podSelector;
      delete rule.ports;
    },
    expect: /k6 pods cannot reach Alertmanager: allowed/,
  },
  {
    invariant: INVARIANTS[9]!.name,
    change: 'k6 egress opened to every pod of the cluster (too wide)',
    mutate: (o) => policy(o, 'items-api-k6').egress.push({ to: [{ namespaceSelector: {} }] }),
    expect: /k6 pods cannot reach other namespaces: allowed/,
  },
  {
    invariant: INVARIANTS[9]!.name,
    change: 'k6 DNS egress only over TCP (lookups use UDP first)',
    mutate: (o) => policy(o, 'items-api-k6').egress[1].ports.shift(),
    expect: /k6 pods resolve names \(cluster DNS, UDP\): blocked/,
  },
  {
    invariant: INVARIANTS[9]!.name,
    change: 'k6 egress without the API rule',
    mutate: (o) => policy(o, 'items-api-k6').egress.shift(),
    expect: /k6 pods reach the API: blocked/,
  },
  {
    invariant: INVARIANTS[10]!.name,
    change: 'the items-api ServiceMonitor without jobLabel (job = Service name = release-dependent)',
    mutate: (o) => delete loose(find(o, 'ServiceMonitor', 'items-api')).spec.jobLabel,
    expect: /ServiceMonitor items\/items-api: no jobLabel, so job is the Service name/,
  },
  {
    invariant: INVARIANTS[10]!.name,
    change: 'jobLabel names a label with another value',
    mutate: (o) => (loose(find(o, 'ServiceMonitor', 'items-api')).spec.jobLabel = 'app.kubernetes.io/component'),
    expect: /targets of Service items-api get job="api", the rules select job="items-api"/,
  },
  {
    invariant: INVARIANTS[10]!.name,
    change: 'jobLabel names a label the Service does not carry',
    mutate: (o) => (loose(find(o, 'ServiceMonitor', 'items-api-postgres-exporter')).spec.jobLabel = 'app'),
    expect: /jobLabel app is not a label of Service items-api-postgres-exporter/,
  },
  {
    invariant: INVARIANTS[11]!.name,
    change: 'the Deployment sets replicas beside its HPA',
    mutate: (o) => (loose(find(o, 'Deployment', 'items-api')).spec.replicas = 2),
    expect: /Deployment items\/items-api: sets spec.replicas while HorizontalPodAutoscaler items\/items-api scales it/,
  },
  {
    invariant: INVARIANTS[11]!.name,
    change: 'the HPA targets a Deployment name that does not exist',
    mutate: (o) => (loose(find(o, 'HorizontalPodAutoscaler', 'items-api')).spec.scaleTargetRef.name = 'items'),
    expect: /Deployment items-api has no HorizontalPodAutoscaler/,
  },
  {
    invariant: INVARIANTS[11]!.name,
    change: 'the HPA may scale down to one pod',
    mutate: (o) => (loose(find(o, 'HorizontalPodAutoscaler', 'items-api')).spec.minReplicas = 1),
    expect: /HorizontalPodAutoscaler items\/items-api: minReplicas 1 is below 2/,
  },
  {
    invariant: INVARIANTS[11]!.name,
    change: 'the PodDisruptionBudget keeps as many pods as the HPA minimum',
    mutate: (o) => (loose(find(o, 'PodDisruptionBudget', 'items-api')).spec.minAvailable = 2),
    expect: /PodDisruptionBudget items\/items-api: minAvailable 2 is not below minReplicas 2/,
  },
  {
    invariant: INVARIANTS[11]!.name,
    change: 'no CPU request under a CPU-utilization HPA',
    mutate: (o) => delete container(o, 'Deployment', 'items-api').resources.requests.cpu,
    expect: /container items-api has no CPU request/,
  },
  {
    invariant: INVARIANTS[12]!.name,
    change: 'the spread constraint removed',
    mutate: (o) => delete loose(find(o, 'Deployment', 'items-api')).spec.template.spec.topologySpreadConstraints,
    expect: /Deployment items\/items-api: runs up to 6 pods without a topologySpreadConstraint/,
  },
  {
    invariant: INVARIANTS[12]!.name,
    change: 'nodeTaintsPolicy left at its default (Ignore)',
    mutate: (o) => delete loose(find(o, 'Deployment', 'items-api')).spec.template.spec.topologySpreadConstraints[0].nodeTaintsPolicy,
    expect: /nodeTaintsPolicy unset \(Ignore\), not Honor/,
  },
  {
    invariant: INVARIANTS[12]!.name,
    change: 'the spread is only a preference and ignores revisions',
    mutate: (o) => {
      const spread = loose(find(o, 'Deployment', 'items-api')).spec.template.spec.topologySpreadConstraints[0];
      spread.whenUnsatisfiable = 'ScheduleAnyway';
      delete spread.matchLabelKeys;
    },
    expect: /is ScheduleAnyway, not DoNotSchedule/,
  },
  {
    invariant: INVARIANTS[13]!.name,
    change: 'PostgreSQL liveness is a copy of its readiness check (pg_isready)',
    mutate: (o) => {
      const pg = container(o, 'StatefulSet', 'items-api-postgres');
      pg.livenessProbe = { ...pg.readinessProbe, periodSeconds: 30, failureThreshold: 10 };
    },
    expect: /StatefulSet items\/items-api-postgres container postgres: the liveness probe repeats the readiness check/,
  },
  {
    invariant: INVARIANTS[13]!.name,
    change: 'exporter liveness is its readiness HTTP check',
    mutate: (o) => {
      const exporter = container(o, 'Deployment', 'items-api-postgres-exporter');
      exporter.livenessProbe = { ...exporter.livenessProbe, tcpSocket: undefined, httpGet: exporter.readinessProbe.httpGet };
    },
    expect: /container postgres-exporter: the liveness probe repeats the readiness check/,
  },
];

describe('invariants on the synthesized objects', () => {
  test('every invariant holds (our kube-prometheus-stack values)', () => {
    // What the installed stack reads: the folder annotation and the dashboard label are ours.
    assert.equal(ourStack.dashboards.folderAnnotation, GRAFANA_FOLDER_ANNOTATION);
    assert.equal(ourStack.dashboards.label, KUBE_PROMETHEUS_STACK.dashboardLabel.key);
    assert.deepEqual(invariantProblems(all, context()), []);
  });

  test('every invariant holds against a stock kube-prometheus-stack too (release label)', () => {
    assert.deepEqual(invariantProblems(all, context(stockStack)), []);
  });

  test('with our values, Prometheus selects objects even without the release label', () => {
    const objects = cloneObjects(all);
    delete find(objects, 'PrometheusRule', 'items-api').metadata.labels?.release;
    assert.deepEqual(invariantProblems(objects, context()), []);
  });

  test('every invariant has at least one mutation that breaks it', () => {
    const covered = new Set(MUTATIONS.map((m) => m.invariant));
    assert.deepEqual(INVARIANTS.map((i) => i.name).filter((name) => !covered.has(name)), []);
  });

  for (const m of MUTATIONS) {
    test(`${m.invariant}: fails when ${m.change}`, () => {
      const objects = cloneObjects(all);
      m.mutate(objects);
      const problems = invariantProblems(objects, context(m.stack));
      const hit = problems.filter((p) => p.startsWith(`[${m.invariant}]`) && m.expect.test(p));
      assert.ok(hit.length > 0, `expected a problem matching ${m.expect} from "${m.invariant}", got:\n${problems.join('\n') || '(none)'}`);
    });
  }
});
