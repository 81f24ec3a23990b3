/**
 * `make generate` for the items-api Helm chart: the files whose content has a TypeScript source.
 *
 * - `Chart.yaml` and `values.yaml`: versions, images, ports-derived settings and every default come
 *   from project/constants.ts and the cdk8s constructs' defaults, so `helm template` with default
 *   values renders what `make synth` does (charts/test/items-api-parity.test.ts proves it).
 * - `values.schema.json`: Helm checks `--set`/`-f` values against it (typo'd keys, wrong types).
 * - `files/k6-scripts.yaml` and `files/k6-smoke-pod.yaml`: the k6 scripts, and the pod of the Job
 *   loadtest/cluster builds, as a bare Pod that `helm test` runs (the chart's form of the cdk8s Job
 *   template: `helm test --logs` reads the logs of a pod named like the hook, so the hook is a Pod).
 * - `files/labels.yaml`: label keys and values the templates must share with TypeScript (the
 *   ServiceMonitors' jobLabel, the k6 pods' labels).
 *
 * The chart also ships files other areas generate into it (`CHART_FILES`): the rule file
 * (monitoring/generate.ts), included verbatim by the PrometheusRule template with `.Files.Get`
 * (never through `tpl`, so the alert templates' `{{ $labels.x }}` reach Prometheus untouched), and
 * the dashboards (k8s-dashboards/generate.ts), one ConfigMap each.
 */
import type { Job } from 'kubernetes-models/batch/v1';
import { Pod } from 'kubernetes-models/v1';
import { Document, isMap, isScalar, stringify } from 'yaml';
import type { Scalar, YAMLMap } from 'yaml';
import { ITEMS_API_DEFAULTS, SHUTDOWN_MARGIN_SECONDS } from '../cdk8s/api/items-api.js';
import { POSTGRES_EXPORTER_RESOURCES } from '../cdk8s/database/postgres-exporter.js';
import { POSTGRES_DEFAULTS } from '../cdk8s/database/postgres-credentials.js';
import { POSTGRES_RESOURCES, POSTGRES_STORAGE } from '../cdk8s/database/postgres.js';
import { JOB_LABEL, prometheusDiscoveryLabels } from '../cdk8s/lib/labels.js';
import { K6_JOB_TEMPLATE_DEFAULTS } from '../cdk8s/loadtest/k6-job-template.js';
import { CLUSTER_DNS, PROMETHEUS_PODS } from '../cdk8s/network/network-policies.js';
import { K6_POD_LABELS, k6Jobs } from '../loadtest/cluster/objects.js';
import { readK6Scripts } from '../loadtest/cluster/scripts.js';
import { APP_NAME, APP_VERSION, GRAFANA_FOLDER_ANNOTATION, IMAGES, KUBE_PROMETHEUS_STACK, SCRAPE, CONTAINER_PORTS } from '../project/constants.js';
import { CHART_DIR, CHART_FILES, chartRelative, type GeneratedFile, generatedHeader, generatedJson } from '../project/generated.js';

const GENERATOR = 'charts/generate.ts';

/** Version of the chart itself (its templates); appVersion is the service's. */
export const CHART_VERSION = '0.1.0';

/** `repository:tag` split at the tag's colon (a registry port's colon comes before the last `/`). */
export function splitImage(image: string): { repository: string; tag: string } {
  const colon = image.lastIndexOf(':');
  if (colon < 0 || colon < image.lastIndexOf('/')) throw new Error(`image ${image} has no tag`);
  return { repository: image.slice(0, colon), tag: image.slice(colon + 1) };
}

const image = (ref: string) => ({ ...splitImage(ref), pullPolicy: 'IfNotPresent' });

/** The chart's default values: the cdk8s app's defaults, key for key. */
export function chartValues() {
  const d = ITEMS_API_DEFAULTS;
  return {
    image: image(d.image),
    autoscaling: {
      enabled: true,
      minReplicas: d.autoscaling.minReplicas,
      maxReplicas: d.autoscaling.maxReplicas,
      targetCPUUtilizationPercentage: d.autoscaling.targetCpuUtilizationPercent,
    },
    replicaCount: d.replicas,
    resources: d.resources,
    logLevel: d.logLevel,
    dbPoolMax: d.dbPoolMax,
    shutdown: { ...d.shutdown, marginSeconds: SHUTDOWN_MARGIN_SECONDS },
    faultInjection: d.faultInjection,
    podDisruptionBudget: { minAvailable: d.minAvailable },
    ports: { api: CONTAINER_PORTS.api, metrics: CONTAINER_PORTS.metrics, postgres: CONTAINER_PORTS.postgres, postgresExporter: CONTAINER_PORTS.postgresExporter },
    database: {
      password: '',
      existingSecret: '',
      username: POSTGRES_DEFAULTS.username,
      name: POSTGRES_DEFAULTS.database,
      image: image(IMAGES.postgres),
      storage: { size: POSTGRES_STORAGE, storageClassName: '' },
      resources: POSTGRES_RESOURCES,
      exporter: { enabled: true, image: image(IMAGES.postgresExporter), resources: POSTGRES_EXPORTER_RESOURCES },
    },
    networkPolicy: {
      enabled: true,
      monitoringNamespace: KUBE_PROMETHEUS_STACK.namespace,
      prometheus: { podLabels: { ...PROMETHEUS_PODS.podLabels }, port: PROMETHEUS_PODS.port },
      dns: { namespace: CLUSTER_DNS.namespace, podLabels: { ...CLUSTER_DNS.podLabels }, port: CLUSTER_DNS.port },
    },
    serviceMonitor: { enabled: true, path: SCRAPE.path, interval: SCRAPE.interval, scrapeTimeout: SCRAPE.scrapeTimeout, labels: prometheusDiscoveryLabels() },
    prometheusRule: { enabled: true, labels: prometheusDiscoveryLabels() },
    dashboards: {
      enabled: true,
      label: { [KUBE_PROMETHEUS_STACK.dashboardLabel.key]: KUBE_PROMETHEUS_STACK.dashboardLabel.value },
      folderAnnotation: GRAFANA_FOLDER_ANNOTATION,
      folder: KUBE_PROMETHEUS_STACK.dashboardFolder,
    },
    loadtest: { enabled: true },
  };
}

/** Comments on values.yaml keys, by dotted path: the chart's documentation. */
const VALUE_COMMENTS: Readonly<Record<string, string>> = {
  image: 'items-api image. Built locally and loaded into kind (`IfNotPresent`: never pulled).',
  autoscaling:
    'HorizontalPodAutoscaler on CPU use (percent of resources.requests.cpu). While enabled the\n' +
    'Deployment sets no replicas (the HPA owns the count); its pods spread one per node.',
  replicaCount: 'items-api pods when autoscaling is disabled.',
  resources: 'For the service and its migration init container.',
  logLevel: 'LOG_LEVEL: fatal, error, warn, info, debug, trace or silent.',
  dbPoolMax: 'DB_POOL_MAX: database connections per pod.',
  shutdown:
    'Graceful shutdown (SHUTDOWN_DELAY_MS, SHUTDOWN_TIMEOUT_MS). The pod grace period is\n' +
    'ceil((delayMs + timeoutMs) / 1000) + marginSeconds, so the kubelet never kills a drain.',
  faultInjection: 'FAULT_INJECTION: lets `PUT :9464/faults` inject errors and latency (alert demonstrations only).',
  ports: 'Container and Service ports (project/constants.ts CONTAINER_PORTS); `http` and `metrics` are the port names.',
  podDisruptionBudget: 'Pods kept through voluntary disruptions (node drains); must be below autoscaling.minReplicas (or replicaCount).',
  database:
    'PostgreSQL (StatefulSet with a volume claim template) and postgres-exporter.\n' +
    'The chart ships no password: set database.password (16-128 of A-Z a-z 0-9 . _ ~ -)\n' +
    'or name an existingSecret with keys `username` and `password`.',
  'database.storage': 'Data volume; an empty storageClassName uses the cluster default.',
  networkPolicy:
    'Ingress rules: PostgreSQL only from items-api and the exporter, metrics ports only from\n' +
    'monitoringNamespace (Prometheus), the API from any pod in the cluster. The k6 pods accept\n' +
    'nothing and reach only the API, the cluster DNS and Prometheus (remote write).',
  'networkPolicy.prometheus': 'The Prometheus pods in monitoringNamespace that k6 remote-writes to.',
  'networkPolicy.dns': 'The cluster DNS pods the k6 pods resolve names with (UDP and TCP).',
  serviceMonitor: 'Prometheus Operator scrape of the metrics port (needs the monitoring.coreos.com CRDs).',
  'serviceMonitor.labels': 'kube-prometheus-stack selects by `release` unless its *SelectorNilUsesHelmValues are false.',
  prometheusRule: `SLO recording rules and alerts (${chartRelative(CHART_FILES.rules)}, generated from monitoring/).`,
  dashboards: 'One ConfigMap per dashboard for the Grafana sidecar: label, folder annotation and folder name.',
  loadtest: 'The k6 scripts ConfigMap and the `helm test` pod running the smoke profile against the API (`helm test <release> --logs`).',
};

function valuesYaml(): string {
  const doc = new Document(chartValues());
  for (const [dotted, comment] of Object.entries(VALUE_COMMENTS)) {
    const keys = dotted.split('.');
    const parent = keys.length === 1 ? doc.contents : doc.getIn(keys.slice(0, -1), true);
    if (!isMap(parent)) throw new Error(`values comment for unknown key ${dotted}`);
    const pair = (parent as YAMLMap).items.find((item) => isScalar(item.key) && item.key.value === keys.at(-1));
    if (!pair) throw new Error(`values comment for unknown key ${dotted}`);
    (pair.key as Scalar).commentBefore = comment
      .split('\n')
      .map((line) => ` ${line}`)
      .join('\n');
    if (keys.length === 1 && pair !== (parent as YAMLMap).items[0]) (pair.key as Scalar).spaceBefore = true;
  }
  const intro = ' Default values of the items-api chart: the same objects `make synth` writes (cdk8s/).\n Install: helm install items-api charts/items-api -n items --create-namespace --set database.password=...';
  doc.commentBefore = intro;
  return generatedHeader(GENERATOR, '#') + doc.toString({ lineWidth: 0 });
}

function chartYaml(): string {
  return (
    generatedHeader(GENERATOR, '#') +
    stringify({
      apiVersion: 'v2',
      name: APP_NAME,
      description: 'items-api (Koa CRUD on PostgreSQL, prom-client) with its ServiceMonitors, alert rules, Grafana dashboards and k6 test: the Helm form of the cdk8s app.',
      type: 'application',
      version: CHART_VERSION,
      appVersion: APP_VERSION,
    }, { lineWidth: 0 })
  );
}

/** JSON Schema of the values: Helm refuses unknown keys and wrong types before rendering anything. */
export function valuesSchema(): Record<string, unknown> {
  const str = { type: 'string' };
  const int = (minimum: number) => ({ type: 'integer', minimum });
  const obj = (properties: Record<string, unknown>, required = Object.keys(properties)) => ({ type: 'object', additionalProperties: false, properties, required });
  const quantity = { type: ['string', 'number'] };
  const port = { type: 'integer', minimum: 1, maximum: 65535 };
  const resources = obj({ requests: obj({ cpu: quantity, memory: quantity }), limits: obj({ cpu: quantity, memory: quantity }) });
  const imageSchema = obj({ repository: { type: 'string', minLength: 1 }, tag: { type: 'string', minLength: 1 }, pullPolicy: { enum: ['IfNotPresent', 'Never', 'Always'] } });
  const labels = { type: 'object', additionalProperties: { type: 'string' } };
  const toggle = (properties: Record<string, unknown> = {}) => obj({ enabled: { type: 'boolean' }, ...properties });
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'items-api chart values',
    ...obj({
      image: imageSchema,
      autoscaling: toggle({ minReplicas: int(1), maxReplicas: int(1), targetCPUUtilizationPercentage: int(1) }),
      replicaCount: int(1),
      resources,
      logLevel: { enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] },
      dbPoolMax: int(1),
      shutdown: obj({ delayMs: int(0), timeoutMs: int(100), marginSeconds: int(0) }),
      faultInjection: { type: 'boolean' },
      podDisruptionBudget: obj({ minAvailable: int(0) }),
      ports: obj({ api: port, metrics: port, postgres: port, postgresExporter: port }),
      database: obj({
        password: { type: 'string', pattern: '^([A-Za-z0-9._~-]{16,128})?$' },
        existingSecret: str,
        username: { type: 'string', minLength: 1 },
        name: { type: 'string', minLength: 1 },
        image: imageSchema,
        storage: obj({ size: { type: 'string', minLength: 1 }, storageClassName: str }),
        resources,
        exporter: toggle({ image: imageSchema, resources }),
      }),
      networkPolicy: toggle({
        monitoringNamespace: { type: 'string', minLength: 1 },
        prometheus: obj({ podLabels: labels, port }),
        dns: obj({ namespace: { type: 'string', minLength: 1 }, podLabels: labels, port }),
      }),
      serviceMonitor: toggle({ path: str, interval: str, scrapeTimeout: str, labels }),
      prometheusRule: toggle({ labels }),
      dashboards: toggle({ label: labels, folderAnnotation: { type: 'string', minLength: 1 }, folder: { type: 'string', minLength: 1 } }),
      loadtest: toggle(),
    }),
  };
}

/**
 * The k6 scripts as the `data:` of their ConfigMap (file name -> source). One YAML file rather than
 * copies of the `.ts` files, which the repository's TypeScript and lint runs would pick up.
 */
function k6ScriptsYaml(): string {
  return generatedHeader(GENERATOR, '#') + '# The k6 scripts (loadtest/k6/), the data of the k6-scripts ConfigMap.\n' + stringify(readK6Scripts(), { lineWidth: 0 });
}

/**
 * A test hook: created by `helm test`, never by install or upgrade. Only `before-hook-creation`
 * removes it (at the next run): `hook-succeeded` would delete the pod before `--logs` reads it.
 */
export const TEST_HOOK_ANNOTATIONS = { 'helm.sh/hook': 'test', 'helm.sh/hook-delete-policy': 'before-hook-creation' } as const;

/** Name of the `helm test` pod: the release's fullname, then `-k6-<profile>`. */
export const K6_TEST_POD_NAME = `{{ include "items-api.fullname" . }}-k6-${K6_JOB_TEMPLATE_DEFAULTS.profile}`;

/**
 * The pod a k6 Job would start, as a bare Pod named `name`. `helm test --logs` fetches the logs of
 * a pod named like each test hook, and a Job's pod is `<job>-<hash>`, so the hook must be the pod
 * itself. The Job's deadline moves into the pod spec, so a hung run still ends.
 */
export function k6TestPod(job: Job, name: string, annotations: Readonly<Record<string, string>>): Pod {
  const template = job.spec?.template;
  if (!template?.spec) throw new Error(`Job ${job.metadata?.name}: no pod template to turn into a test pod`);
  if (template.spec.restartPolicy !== 'Never') throw new Error(`Job ${job.metadata?.name}: restartPolicy ${template.spec.restartPolicy}; a test pod must run once (Never)`);
  const deadline = job.spec?.activeDeadlineSeconds;
  return new Pod({
    metadata: { name, namespace: job.metadata?.namespace, labels: { ...template.metadata?.labels }, annotations: { ...annotations } },
    spec: { ...template.spec, ...(deadline === undefined ? {} : { activeDeadlineSeconds: deadline }) },
  });
}

/** The `helm test` pod: the pod of loadtest/cluster's smoke Job, with placeholders `tpl` fills per release. */
function k6SmokePodYaml(): string {
  // The same Job cdk8s writes to dist/templates/.
  const [job] = k6Jobs({
    ...K6_JOB_TEMPLATE_DEFAULTS,
    parallelism: 1,
    namespace: '{{ .Release.Namespace }}',
    targetBaseUrl: '{{ include "items-api.apiUrl" . }}',
  });
  if (!job) throw new Error('k6Jobs returned no Job');
  const pod = JSON.parse(JSON.stringify(k6TestPod(job, K6_TEST_POD_NAME, TEST_HOOK_ANNOTATIONS))) as unknown;
  return generatedHeader(GENERATOR, '#') + '# Rendered through `tpl` by templates/tests/k6-smoke-pod.yaml (name, release namespace and API URL).\n' + stringify(pod, { lineWidth: 0 });
}

/** Labels the templates share with TypeScript, read with `.Files.Get` (templates/_helpers.tpl). */
export function sharedLabels() {
  return { jobLabel: JOB_LABEL, k6PodLabels: { ...K6_POD_LABELS } };
}

function labelsYaml(): string {
  const why =
    '# jobLabel: the Service label whose value becomes `job` (cdk8s/lib/labels.ts JOB_LABEL).\n' +
    '# k6PodLabels: the labels of every k6 pod (loadtest/cluster/objects.ts K6_POD_LABELS), selected by the k6 NetworkPolicy.\n';
  return generatedHeader(GENERATOR, '#') + why + stringify(sharedLabels(), { lineWidth: 0 });
}

export function generatedFiles(): GeneratedFile[] {
  return [
    { path: `${CHART_DIR}/Chart.yaml`, content: chartYaml() },
    { path: `${CHART_DIR}/values.yaml`, content: valuesYaml() },
    { path: `${CHART_DIR}/values.schema.json`, content: generatedJson(GENERATOR, valuesSchema()) },
    { path: CHART_FILES.k6SmokePod, content: k6SmokePodYaml() },
    { path: CHART_FILES.labels, content: labelsYaml() },
    { path: CHART_FILES.k6Scripts, content: k6ScriptsYaml() },
  ];
}
