import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { IMAGES, PORT_NAMES, CONTAINER_PORTS } from '../../project/constants.js';
import type { DatabaseEndpoint } from '../database/postgres.js';
import { secretEnv } from '../database/postgres-credentials.js';
import { WORKLOADS, selectorLabels, workloadLabels } from '../lib/labels.js';
import { type Resources, toResourceRequirements } from '../lib/resources.js';
import { containerSecurityContext, podSecurityContext } from '../lib/security.js';

/** A HorizontalPodAutoscaler (autoscaling/v2) on the Deployment's CPU use. */
export interface Autoscaling {
  /** Fewest pods; at least 2, so a node drain or a crash never leaves the API without a ready pod. */
  readonly minReplicas: number;
  /** Most pods; each opens up to DB_POOL_MAX database connections. */
  readonly maxReplicas: number;
  /** Average CPU use the HPA aims at, in percent of the containers' CPU requests. */
  readonly targetCpuUtilizationPercent: number;
}

/** Graceful shutdown, as the service implements it (service/src/service.ts). */
export interface ShutdownTiming {
  /** Wait after readiness turns false, so endpoints drop the pod before the listener closes. */
  readonly delayMs: number;
  /** Longest wait for in-flight requests to finish. */
  readonly timeoutMs: number;
}

export interface ItemsApiProps {
  readonly database: DatabaseEndpoint;
  /** @default IMAGES.api (built locally and kind-loaded, hence `IfNotPresent`) */
  readonly image?: string;
  /** HorizontalPodAutoscaler; `false` runs a fixed `replicas` instead. @default ITEMS_API_DEFAULTS.autoscaling */
  readonly autoscaling?: Autoscaling | false;
  /** Fixed pod count, only with `autoscaling: false` (the HPA owns it otherwise). @default ITEMS_API_DEFAULTS.replicas */
  readonly replicas?: number;
  /** For the service container and the migration init container alike. @default ITEMS_API_DEFAULTS.resources */
  readonly resources?: Resources;
  /** @default 'info' */
  readonly logLevel?: string;
  /** `DB_POOL_MAX`: connections per pod. @default 10 */
  readonly dbPoolMax?: number;
  /** @default { delayMs: 5000, timeoutMs: 15000 } */
  readonly shutdown?: ShutdownTiming;
  /** `FAULT_INJECTION`: lets `PUT :9464/faults` inject errors for alert demonstrations. @default false */
  readonly faultInjection?: boolean;
  /** PodDisruptionBudget `minAvailable`. @default 1 */
  readonly minAvailable?: number;
}

/** Defaults of ItemsApiProps; the Helm chart's values.yaml is generated from the same object. */
export const ITEMS_API_DEFAULTS = {
  image: IMAGES.api,
  // 70 % of the CPU request leaves headroom for the load that arrives while a new pod starts; at
  // most 6 pods x DB_POOL_MAX 10 stays under PostgreSQL's default max_connections (100).
  autoscaling: { minReplicas: 2, maxReplicas: 6, targetCpuUtilizationPercent: 70 } satisfies Autoscaling,
  replicas: 2,
  // Memory from `make bench` and `make soak` (docs/PERFORMANCE.md): peak RSS up to about 130 MB
  // (mixed load, 50 connections). Request = peak + ~25 %, so the scheduler reserves what a busy pod
  // uses; limit ~2 x peak, headroom for heap growth under heavier load before the OOM killer ends
  // the pod. The heavy k6 profile past saturation (1000 VUs) peaked at 163 MB, 0.6 of the limit
  // (docs/LOAD_TESTING.md).
  resources: { requests: { cpu: '100m', memory: '160Mi' }, limits: { cpu: '1', memory: '256Mi' } } satisfies Resources,
  logLevel: 'info',
  dbPoolMax: 10,
  shutdown: { delayMs: 5000, timeoutMs: 15000 } satisfies ShutdownTiming,
  faultInjection: false,
  minAvailable: 1,
} as const;

/** Time after the drain for closing the pool and the metrics server and exiting. */
export const SHUTDOWN_MARGIN_SECONDS = 10;

/** The pod's grace period: the service's whole shutdown plus a margin, so SIGKILL never cuts a drain. */
export function terminationGracePeriodSeconds(shutdown: ShutdownTiming): number {
  return Math.ceil((shutdown.delayMs + shutdown.timeoutMs) / 1000) + SHUTDOWN_MARGIN_SECONDS;
}

/** Node label whose values are the spread domains: one per node. */
export const SPREAD_TOPOLOGY_KEY = 'kubernetes.io/hostname';
/** Label the Deployment controller puts on the pods of each ReplicaSet (one per template revision). */
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

function checkAutoscaling(a: Autoscaling): void {
  if (!Number.isInteger(a.minReplicas) || a.minReplicas < 1) throw new Error(`ItemsApi: autoscaling.minReplicas must be an integer >= 1, got ${a.minReplicas}`);
  if (!Number.isInteger(a.maxReplicas) || a.maxReplicas < a.minReplicas) {
    throw new Error(`ItemsApi: autoscaling.maxReplicas (${a.maxReplicas}) must be an integer >= minReplicas (${a.minReplicas})`);
  }
  if (!(a.targetCpuUtilizationPercent > 0)) throw new Error(`ItemsApi: autoscaling.targetCpuUtilizationPercent must be above 0, got ${a.targetCpuUtilizationPercent}`);
}

/** The image's `node` user (service/Dockerfile `USER 1000:1000`). */
const NODE_UID = 1000;
/** Migrations run here before the service starts (service/src/migrate.ts in the image). */
export const MIGRATE_COMMAND = ['node', 'build/service/src/migrate.js'];

/**
 * items-api: Deployment (migrations in an init container) spread over nodes, Service with `http`
 * and `metrics` ports, PodDisruptionBudget, and (by default) a HorizontalPodAutoscaler.
 */
export class ItemsApi extends Construct {
  readonly serviceName: string;

  constructor(scope: Construct, id: string, props: ItemsApiProps) {
    super(scope, id);
    const d = ITEMS_API_DEFAULTS;
    const workload = WORKLOADS.api;
    const labels = workloadLabels(workload);
    const shutdown = props.shutdown ?? d.shutdown;
    const autoscaling = props.autoscaling ?? d.autoscaling;
    if (autoscaling && props.replicas !== undefined) {
      throw new Error('ItemsApi: replicas is set while autoscaling is on (the HPA owns the replica count); set autoscaling: false or drop replicas');
    }
    if (autoscaling) checkAutoscaling(autoscaling);
    const replicas = autoscaling ? autoscaling.minReplicas : (props.replicas ?? d.replicas);
    const minAvailable = props.minAvailable ?? d.minAvailable;
    if (minAvailable >= replicas) {
      const what = autoscaling ? 'autoscaling.minReplicas' : 'replicas';
      throw new Error(`ItemsApi: minAvailable (${minAvailable}) must be below ${what} (${replicas}), or no node could ever be drained`);
    }
    const db = props.database;
    this.serviceName = workload.objectName;

    // DATABASE_URL is assembled by Kubernetes from the Secret ($(VAR) expansion): no credential in the spec.
    const databaseEnv: k8s.EnvVar[] = [
      secretEnv('DATABASE_USER', db.credentials.username),
      secretEnv('DATABASE_PASSWORD', db.credentials.password),
      { name: 'DATABASE_URL', value: `postgres://$(DATABASE_USER):$(DATABASE_PASSWORD)@${db.host}:${db.port}/${db.database}` },
    ];
    const image = props.image ?? d.image;
    const resources = toResourceRequirements(props.resources ?? d.resources);
    const logLevel = props.logLevel ?? d.logLevel;
    const volumeMounts = [{ name: 'tmp', mountPath: '/tmp' }];
    const http = (path: string) => ({ httpGet: { path, port: k8s.IntOrString.fromString(PORT_NAMES.api) } });

    new k8s.KubeDeployment(this, 'deployment', {
      metadata: { name: workload.objectName, labels },
      spec: {
        // With the HPA, no `replicas`: under `kubectl apply --server-side` a manifest-owned count
        // conflicts with the HPA controller's writes on the next apply (`conflict with
        // "kube-controller-manager"`). The API server creates the Deployment with 1 pod and the
        // HPA controller raises it to minReplicas at once, even without metrics-server.
        ...(autoscaling ? {} : { replicas }),
        selector: { matchLabels: selectorLabels(workload) },
        // Never below the wanted replica count during a rollout.
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: k8s.IntOrString.fromNumber(1), maxUnavailable: k8s.IntOrString.fromNumber(0) } },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: podSecurityContext({ uid: NODE_UID, gid: NODE_UID }),
            terminationGracePeriodSeconds: terminationGracePeriodSeconds(shutdown),
            topologySpreadConstraints: [
              {
                topologyKey: SPREAD_TOPOLOGY_KEY,
                maxSkew: 1,
                // A hard rule: two pods on one node fail together in a node drain or crash.
                whenUnsatisfiable: 'DoNotSchedule',
                // The default, Ignore, counts the tainted control-plane node as an empty domain,
                // and maxSkew 1 then refuses a second pod on a cluster with one worker.
                nodeTaintsPolicy: 'Honor',
                labelSelector: { matchLabels: selectorLabels(workload) },
                // Only pods of the same revision count, so a rollout's new pods spread among
                // themselves instead of queueing behind the old ones.
                matchLabelKeys: [POD_TEMPLATE_HASH_LABEL],
              },
            ],
            initContainers: [
              {
                name: 'migrate',
                image,
                imagePullPolicy: 'IfNotPresent',
                command: MIGRATE_COMMAND,
                env: [...databaseEnv, { name: 'LOG_LEVEL', value: logLevel }],
                resources,
                securityContext: containerSecurityContext(),
                volumeMounts,
              },
            ],
            containers: [
              {
                name: workload.name,
                image,
                imagePullPolicy: 'IfNotPresent',
                ports: [
                  { name: PORT_NAMES.api, containerPort: CONTAINER_PORTS.api, protocol: 'TCP' },
                  { name: PORT_NAMES.metrics, containerPort: CONTAINER_PORTS.metrics, protocol: 'TCP' },
                ],
                env: [
                  { name: 'PORT', value: String(CONTAINER_PORTS.api) },
                  { name: 'METRICS_PORT', value: String(CONTAINER_PORTS.metrics) },
                  ...databaseEnv,
                  { name: 'DB_POOL_MAX', value: String(props.dbPoolMax ?? d.dbPoolMax) },
                  // The init container has applied them; a second runner would only contend for the lock.
                  { name: 'MIGRATE_ON_START', value: 'false' },
                  { name: 'LOG_LEVEL', value: logLevel },
                  { name: 'SHUTDOWN_DELAY_MS', value: String(shutdown.delayMs) },
                  { name: 'SHUTDOWN_TIMEOUT_MS', value: String(shutdown.timeoutMs) },
                  { name: 'FAULT_INJECTION', value: String(props.faultInjection ?? d.faultInjection) },
                ],
                resources,
                securityContext: containerSecurityContext(),
                // Generous first start (a cold node, a database still starting), then strict.
                startupProbe: { ...http('/livez'), periodSeconds: 2, timeoutSeconds: 2, failureThreshold: 30 },
                livenessProbe: { ...http('/livez'), periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 },
                readinessProbe: { ...http('/readyz'), periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 2 },
                volumeMounts,
              },
            ],
            volumes: [{ name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('32Mi') } }],
          },
        },
      },
    });

    new k8s.KubeService(this, 'service', {
      metadata: { name: workload.objectName, labels },
      spec: {
        type: 'ClusterIP',
        selector: selectorLabels(workload),
        ports: [
          { name: PORT_NAMES.api, port: CONTAINER_PORTS.api, targetPort: k8s.IntOrString.fromString(PORT_NAMES.api), protocol: 'TCP' },
          { name: PORT_NAMES.metrics, port: CONTAINER_PORTS.metrics, targetPort: k8s.IntOrString.fromString(PORT_NAMES.metrics), protocol: 'TCP' },
        ],
      },
    });

    new k8s.KubePodDisruptionBudget(this, 'pdb', {
      metadata: { name: workload.objectName, labels },
      spec: { minAvailable: k8s.IntOrString.fromNumber(minAvailable), selector: { matchLabels: selectorLabels(workload) } },
    });

    if (autoscaling) {
      new k8s.KubeHorizontalPodAutoscalerV2(this, 'hpa', {
        metadata: { name: workload.objectName, labels },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: workload.objectName },
          minReplicas: autoscaling.minReplicas,
          maxReplicas: autoscaling.maxReplicas,
          metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: autoscaling.targetCpuUtilizationPercent } } }],
        },
      });
    }
  }
}
