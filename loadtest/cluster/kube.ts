/**
 * The few Kubernetes API calls the launcher makes, behind a narrow interface so its logic reads
 * as steps and its tests can point the real client at an HTTP test double of the API server.
 */
import { PassThrough } from 'node:stream';
import { ApiException, BatchV1Api, CoreV1Api, type KubeConfig, Log, type V1ConfigMap, type V1Job, type V1Pod } from '@kubernetes/client-node';
import type { Job } from 'kubernetes-models/batch/v1';
import type { ConfigMap } from 'kubernetes-models/v1';

export interface JobState {
  readonly name: string;
  /** `Complete` or `Failed` once finished (the Job's terminal condition), else undefined. */
  readonly finished?: 'Complete' | 'Failed';
  /** Reason of the Failed condition, e.g. `BackoffLimitExceeded`, `DeadlineExceeded`. */
  readonly reason?: string;
  readonly message?: string;
}

export interface PodState {
  readonly name: string;
  /** The Job that owns the pod (its `job-name` label). */
  readonly jobName: string;
  readonly phase: string;
  /** Why the k6 container is waiting, e.g. `ContainerCreating`, `ErrImagePull`. */
  readonly waitingReason?: string;
  /** The k6 container's exit code once it terminated. */
  readonly exitCode?: number;
  readonly terminatedReason?: string;
}

export interface KubeApi {
  /** Creates the ConfigMap, or replaces it when it exists. Returns `created` or `updated`. */
  upsertConfigMap(configMap: ConfigMap): Promise<'created' | 'updated'>;
  createJob(job: Job): Promise<void>;
  readJob(namespace: string, name: string): Promise<JobState>;
  listPods(namespace: string, labelSelector: string): Promise<PodState[]>;
  /** Streams the container's log until it ends (the container stopped, or the server closed the stream). */
  followLog(namespace: string, pod: string, container: string, onChunk: (text: string) => void, signal: AbortSignal): Promise<void>;
  readLog(namespace: string, pod: string, container: string): Promise<string>;
  /** Deletes the Job and, through background propagation, its pods. A missing Job is not an error. */
  deleteJob(namespace: string, name: string): Promise<void>;
}

const isNotFound = (error: unknown) => error instanceof ApiException && error.code === 404;

/** kubernetes-models objects serialize to the API's JSON; client-node's model types describe the same JSON. */
const asClientModel = <T>(model: { toJSON(): unknown }): T => model.toJSON() as T;

export function kubeApi(config: KubeConfig): KubeApi {
  const core = config.makeApiClient(CoreV1Api);
  const batch = config.makeApiClient(BatchV1Api);
  const logs = new Log(config);
  return {
    async upsertConfigMap(configMap) {
      const name = configMap.metadata?.name ?? '';
      const namespace = configMap.metadata?.namespace ?? '';
      const body = asClientModel<V1ConfigMap>(configMap);
      try {
        await core.readNamespacedConfigMap({ name, namespace });
      } catch (error) {
        if (!isNotFound(error)) throw error;
        await core.createNamespacedConfigMap({ namespace, body });
        return 'created';
      }
      await core.replaceNamespacedConfigMap({ name, namespace, body });
      return 'updated';
    },

    async createJob(job) {
      const namespace = job.metadata?.namespace ?? '';
      try {
        await batch.createNamespacedJob({ namespace, body: asClientModel<V1Job>(job) });
      } catch (error) {
        if (error instanceof ApiException && error.code === 409) {
          throw new Error(`Job ${namespace}/${job.metadata?.name} already exists: pick another test id (TEST_ID) or delete it`);
        }
        throw error;
      }
    },

    async readJob(namespace, name) {
      const job = await batch.readNamespacedJobStatus({ name, namespace });
      const terminal = (job.status?.conditions ?? []).find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
      return {
        name,
        ...(terminal ? { finished: terminal.type as 'Complete' | 'Failed' } : {}),
        ...(terminal?.reason ? { reason: terminal.reason } : {}),
        ...(terminal?.message ? { message: terminal.message } : {}),
      };
    },

    async listPods(namespace, labelSelector) {
      const list = await core.listNamespacedPod({ namespace, labelSelector });
      return list.items.map((pod: V1Pod): PodState => {
        const container = pod.status?.containerStatuses?.[0];
        const terminated = container?.state?.terminated;
        const waiting = container?.state?.waiting;
        return {
          name: pod.metadata?.name ?? '',
          jobName: pod.metadata?.labels?.['job-name'] ?? pod.metadata?.labels?.['batch.kubernetes.io/job-name'] ?? '',
          phase: pod.status?.phase ?? 'Unknown',
          ...(waiting?.reason ? { waitingReason: waiting.reason } : {}),
          ...(terminated ? { exitCode: terminated.exitCode } : {}),
          ...(terminated?.reason ? { terminatedReason: terminated.reason } : {}),
        };
      });
    },

    async followLog(namespace, pod, container, onChunk, signal) {
      const stream = new PassThrough();
      const ended = new Promise<void>((resolve, reject) => {
        stream.on('data', (chunk: Buffer) => onChunk(chunk.toString()));
        stream.once('end', resolve);
        stream.once('close', resolve);
        stream.once('error', reject);
      });
      const controller = await logs.log(namespace, pod, container, stream, { follow: true });
      const abort = () => {
        controller.abort();
        stream.end();
      };
      signal.addEventListener('abort', abort, { once: true });
      try {
        await ended;
      } finally {
        signal.removeEventListener('abort', abort);
      }
    },

    async readLog(namespace, pod, container) {
      return core.readNamespacedPodLog({ name: pod, namespace, container });
    },

    async deleteJob(namespace, name) {
      try {
        await batch.deleteNamespacedJob({ name, namespace, propagationPolicy: 'Background' });
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    },
  };
}
