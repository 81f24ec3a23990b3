import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { IMAGES, PORT_NAMES, CONTAINER_PORTS } from '../../project/constants.js';
import { WORKLOADS, selectorLabels, workloadLabels } from '../lib/labels.js';
import { type Resources, toResourceRequirements } from '../lib/resources.js';
import { containerSecurityContext, podSecurityContext } from '../lib/security.js';
import { MetricsServiceMonitor } from '../monitoring/metrics-service-monitor.js';
import type { DatabaseEndpoint } from './postgres.js';
import { secretEnv } from './postgres-credentials.js';

export interface PostgresExporterProps {
  readonly database: DatabaseEndpoint;
  /** @default IMAGES.postgresExporter */
  readonly image?: string;
  /** @default POSTGRES_EXPORTER_RESOURCES */
  readonly resources?: Resources;
  /** Create the ServiceMonitor (needs the prometheus-operator CRDs). @default true */
  readonly serviceMonitor?: boolean;
}

export const POSTGRES_EXPORTER_RESOURCES: Resources = {
  requests: { cpu: '10m', memory: '32Mi' },
  limits: { cpu: '200m', memory: '128Mi' },
};
/** The image's `nobody` user. */
const EXPORTER_UID = 65534;

/** postgres-exporter: a Deployment beside the database, its Service and its ServiceMonitor. */
export class PostgresExporter extends Construct {
  constructor(scope: Construct, id: string, props: PostgresExporterProps) {
    super(scope, id);
    const workload = WORKLOADS.postgresExporter;
    const labels = workloadLabels(workload);
    const db = props.database;
    // The landing page: answers without opening a database connection, unlike /metrics (which runs
    // every collector against the database), so a slow database never fails the exporter's probes.
    const httpCheck = { httpGet: { path: '/', port: k8s.IntOrString.fromString(PORT_NAMES.metrics) } };
    // Liveness only asks whether the process still listens: an HTTP hiccup under load is no reason to restart it.
    const listens = { tcpSocket: { port: k8s.IntOrString.fromString(PORT_NAMES.metrics) } };

    new k8s.KubeDeployment(this, 'deployment', {
      metadata: { name: workload.objectName, labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: selectorLabels(workload) },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: podSecurityContext({ uid: EXPORTER_UID, gid: EXPORTER_UID }),
            containers: [
              {
                name: 'postgres-exporter',
                image: props.image ?? IMAGES.postgresExporter,
                imagePullPolicy: 'IfNotPresent',
                ports: [{ name: PORT_NAMES.metrics, containerPort: CONTAINER_PORTS.postgresExporter, protocol: 'TCP' }],
                env: [
                  { name: 'DATA_SOURCE_URI', value: `${db.host}:${db.port}/${db.database}?sslmode=disable` },
                  secretEnv('DATA_SOURCE_USER', db.credentials.username),
                  secretEnv('DATA_SOURCE_PASS', db.credentials.password),
                ],
                resources: toResourceRequirements(props.resources ?? POSTGRES_EXPORTER_RESOURCES),
                securityContext: containerSecurityContext(),
                startupProbe: { ...httpCheck, periodSeconds: 2, timeoutSeconds: 2, failureThreshold: 15 },
                readinessProbe: { ...httpCheck, periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3 },
                livenessProbe: { ...listens, periodSeconds: 20, timeoutSeconds: 2, failureThreshold: 6 },
              },
            ],
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
          { name: PORT_NAMES.metrics, port: CONTAINER_PORTS.postgresExporter, targetPort: k8s.IntOrString.fromString(PORT_NAMES.metrics), protocol: 'TCP' },
        ],
      },
    });

    if (props.serviceMonitor ?? true) new MetricsServiceMonitor(this, 'monitor', { workload });
  }
}
