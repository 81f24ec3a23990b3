import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { IMAGES, CONTAINER_PORTS } from '../../project/constants.js';
import { WORKLOADS, selectorLabels, workloadLabels } from '../lib/labels.js';
import { type Resources, toResourceRequirements } from '../lib/resources.js';
import { containerSecurityContext, podSecurityContext } from '../lib/security.js';
import { type DatabaseCredentials, POSTGRES_DEFAULTS, secretEnv } from './postgres-credentials.js';

/** How clients reach the database: what items-api and the exporter are given. */
export interface DatabaseEndpoint {
  /** Service name (same namespace). */
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly credentials: DatabaseCredentials;
}

export interface PostgresProps {
  readonly credentials: DatabaseCredentials;
  /** @default IMAGES.postgres */
  readonly image?: string;
  /** @default 'items' */
  readonly database?: string;
  /** Size of the data volume claim. @default '1Gi' */
  readonly storage?: string;
  /** StorageClass of the data volume; undefined uses the cluster default (kind: `standard`). @default undefined */
  readonly storageClassName?: string;
  /** @default POSTGRES_RESOURCES */
  readonly resources?: Resources;
}

export const POSTGRES_RESOURCES: Resources = {
  requests: { cpu: '100m', memory: '256Mi' },
  limits: { cpu: '1', memory: '512Mi' },
};
export const POSTGRES_STORAGE = '1Gi';

/** Container port name of the server; the Service's `targetPort`. */
export const POSTGRES_PORT_NAME = 'postgres';
/** The alpine image's `postgres` user; numeric so `runAsNonRoot` can be verified. */
const POSTGRES_UID = 70;
const DATA_DIR = '/var/lib/postgresql/data';
/** A subdirectory, so initdb never meets the volume's own files (`lost+found`). */
const PGDATA = `${DATA_DIR}/pgdata`;
/** Server shutdown budget: `pg_ctl stop -m fast` in preStop, then SIGTERM, well inside this. */
const TERMINATION_GRACE_SECONDS = 60;

/** TCP check of the server itself (not the init-time socket-only server the image runs first). */
const isReady = { exec: { command: ['pg_isready', '--host=127.0.0.1', `--port=${CONTAINER_PORTS.postgres}`] } };
/**
 * Liveness only asks whether the server still listens. pg_isready also fails while the server
 * refuses connections (a crash recovery, a checkpoint under load, max_connections reached): that
 * must take it out of the Service, not restart it and make the recovery start over.
 */
const listens = { tcpSocket: { port: k8s.IntOrString.fromString(POSTGRES_PORT_NAME) } };

/** PostgreSQL: one-replica StatefulSet with a persistent volume claim template, and its headless Service. */
export class Postgres extends Construct implements DatabaseEndpoint {
  readonly host: string;
  readonly port = CONTAINER_PORTS.postgres;
  readonly database: string;
  readonly credentials: DatabaseCredentials;

  constructor(scope: Construct, id: string, props: PostgresProps) {
    super(scope, id);
    const workload = WORKLOADS.postgres;
    const labels = workloadLabels(workload);
    this.host = workload.objectName;
    this.database = props.database ?? POSTGRES_DEFAULTS.database;
    this.credentials = props.credentials;

    new k8s.KubeService(this, 'service', {
      metadata: { name: workload.objectName, labels },
      spec: {
        // Headless: the StatefulSet's governing Service; clients resolve the pod directly.
        clusterIp: 'None',
        selector: selectorLabels(workload),
        ports: [{ name: POSTGRES_PORT_NAME, port: this.port, targetPort: k8s.IntOrString.fromString(POSTGRES_PORT_NAME), protocol: 'TCP' }],
      },
    });

    new k8s.KubeStatefulSet(this, 'statefulset', {
      metadata: { name: workload.objectName, labels },
      spec: {
        serviceName: workload.objectName,
        replicas: 1,
        selector: { matchLabels: selectorLabels(workload) },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: podSecurityContext({ uid: POSTGRES_UID, gid: POSTGRES_UID, fsGroup: POSTGRES_UID }),
            terminationGracePeriodSeconds: TERMINATION_GRACE_SECONDS,
            containers: [
              {
                name: 'postgres',
                image: props.image ?? IMAGES.postgres,
                imagePullPolicy: 'IfNotPresent',
                ports: [{ name: POSTGRES_PORT_NAME, containerPort: this.port, protocol: 'TCP' }],
                env: [
                  secretEnv('POSTGRES_USER', props.credentials.username),
                  secretEnv('POSTGRES_PASSWORD', props.credentials.password),
                  { name: 'POSTGRES_DB', value: this.database },
                  { name: 'PGDATA', value: PGDATA },
                ],
                resources: toResourceRequirements(props.resources ?? POSTGRES_RESOURCES),
                securityContext: containerSecurityContext(),
                // initdb on a fresh volume takes a while on a busy node: up to 150 s.
                startupProbe: { ...isReady, periodSeconds: 5, timeoutSeconds: 5, failureThreshold: 30 },
                readinessProbe: { ...isReady, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
                livenessProbe: { ...listens, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 6 },
                // SIGTERM is PostgreSQL's "smart" shutdown, which waits for every client (the pool
                // never disconnects); a fast shutdown closes them and checkpoints cleanly.
                lifecycle: { preStop: { exec: { command: ['pg_ctl', 'stop', '--mode=fast', `--pgdata=${PGDATA}`, '--wait', '--timeout=50'] } } },
                volumeMounts: [
                  { name: 'data', mountPath: DATA_DIR },
                  { name: 'run', mountPath: '/var/run/postgresql' },
                  { name: 'tmp', mountPath: '/tmp' },
                ],
              },
            ],
            volumes: [
              { name: 'run', emptyDir: { sizeLimit: k8s.Quantity.fromString('16Mi') } },
              { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') } },
            ],
          },
        },
        volumeClaimTemplates: [
          {
            metadata: { name: 'data', labels: selectorLabels(workload) },
            spec: {
              accessModes: ['ReadWriteOnce'],
              ...(props.storageClassName ? { storageClassName: props.storageClassName } : {}),
              resources: { requests: { storage: k8s.Quantity.fromString(props.storage ?? POSTGRES_STORAGE) } },
            },
          },
        ],
      },
    });
  }
}
