/**
 * The few Kubernetes API calls the launcher makes, behind a narrow interface so its logic reads
 * as steps and its tests can point the real client at an HTTP test double of the API server.
 */
import http from 'node:http';
import https from 'node:https';
import { ApiException, BatchV1Api, CoreV1Api, type KubeConfig, PatchStrategy, setHeaderOptions, type V1Job, type V1Pod } from '@kubernetes/client-node';
import type { Job } from 'kubernetes-models/batch/v1';
import type { ConfigMap } from 'kubernetes-models/v1';
import { apiServerStatus } from '../../kube-access/api-server.js';
import { excerpt } from '../../toolkit/excerpt.js';
import { FIELD_MANAGER } from '../../project/constants.js';
import { errorMessage } from '../../toolkit/error-message.js';

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
  /**
   * Server-side apply of the ConfigMap as FIELD_MANAGER, forced: created when missing, else its
   * fields set to these (keys no longer in it are removed). Returns `created`, or `configured`
   * when it existed (changed or not: the apply answer does not say).
   */
  applyConfigMap(configMap: ConfigMap): Promise<'created' | 'configured'>;
  createJob(job: Job): Promise<void>;
  readJob(namespace: string, name: string): Promise<JobState>;
  listPods(namespace: string, labelSelector: string): Promise<PodState[]>;
  /**
   * Streams the container's log until it ends (the container stopped, or the server closed the
   * stream) or the signal fires. Rejects with an ApiException carrying the API server's Status.
   */
  followLog(namespace: string, pod: string, container: string, onChunk: (text: string) => void, signal: AbortSignal): Promise<void>;
  readLog(namespace: string, pod: string, container: string): Promise<string>;
  /** Deletes the Job and, through background propagation, its pods. A missing Job is not an error. */
  deleteJob(namespace: string, name: string): Promise<void>;
}

const isNotFound = (error: unknown) => error instanceof ApiException && error.code === 404;

/**
 * The API server's own reason for a failed call, one line: the `message` of its Status answer
 * (`no logs found for container "k6"`, `pods "x" not found`), else the HTTP code and body excerpt.
 * An ApiException's own message is several lines (code, body, headers) and buries it.
 */
export function apiErrorReason(error: unknown): string {
  if (error instanceof ApiException) {
    const message = apiServerStatus(error.body)?.message;
    if (message) return `${message} (HTTP ${error.code})`;
    const text = typeof error.body === 'string' ? excerpt(error.body) : '';
    return `HTTP ${error.code}${text ? `: ${text}` : ''}`;
  }
  return errorMessage(error);
}

/** kubernetes-models objects serialize to the API's JSON; client-node's model types describe the same JSON. */
const asClientModel = <T>(model: { toJSON(): unknown }): T => model.toJSON() as T;

/** Response headers as ApiException keeps them. */
const headerStrings = (headers: http.IncomingHttpHeaders): Record<string, string> =>
  Object.fromEntries(Object.entries(headers).flatMap(([key, value]) => (value === undefined ? [] : [[key, String(value)]])));

export function kubeApi(config: KubeConfig): KubeApi {
  const core = config.makeApiClient(CoreV1Api);
  const batch = config.makeApiClient(BatchV1Api);
  return {
    async applyConfigMap(configMap) {
      const name = configMap.metadata?.name ?? '';
      const namespace = configMap.metadata?.namespace ?? '';
      // `make deploy` applies the same ConfigMap (dist/50-loadtest.k8s.yaml) as the same manager,
      // so whoever writes last owns its fields and neither write conflicts with the other. force:
      // take over fields a former writer still owns (the launcher's old PUT left them to `node-fetch`).
      // The generated client sends patches as JSON Patch; the header option makes it an apply
      // (JSON is YAML, so the body needs no change).
      const applied = await core
        .patchNamespacedConfigMapWithHttpInfo(
          { name, namespace, body: configMap.toJSON(), fieldManager: FIELD_MANAGER, force: true },
          setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
        )
        .catch((error: unknown) => {
          throw new Error(`server-side apply of ConfigMap ${namespace}/${name} as ${FIELD_MANAGER} failed: ${apiErrorReason(error)}`);
        });
      // The API server answers 201 when the apply created the object, 200 when it existed.
      return applied.httpStatusCode === 201 ? 'created' : 'configured';
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

    // A request of its own rather than client-node's `Log`, which throws away the body of a 4xx
    // answer and with it the API server's reason (`container "k6" ... is waiting to start`).
    async followLog(namespace, pod, container, onChunk, signal) {
      const cluster = config.getCurrentCluster();
      if (!cluster) throw new Error(`kubeconfig context "${config.getCurrentContext()}" names no cluster`);
      const url = new URL(`${cluster.server.replace(/\/+$/, '')}/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log`);
      url.searchParams.set('container', container);
      url.searchParams.set('follow', 'true');
      const options: https.RequestOptions = { method: 'GET', headers: { accept: '*/*' } };
      await config.applyToHTTPSOptions(options);
      const transport = url.protocol === 'https:' ? https : http;
      if (signal.aborted) return;
      await new Promise<void>((resolve, reject) => {
        const req = transport.request(url, options, (res) => {
          res.setEncoding('utf8');
          if (res.statusCode !== 200) {
            let body = '';
            res.on('data', (text: string) => (body += text));
            res.on('end', () => reject(new ApiException(res.statusCode ?? 0, 'pod log stream', body, headerStrings(res.headers))));
            return;
          }
          res.on('data', (text: string) => onChunk(text));
          res.once('end', resolve);
          res.once('close', resolve);
          res.once('error', reject);
        });
        const abort = () => {
          req.destroy();
          resolve();
        };
        signal.addEventListener('abort', abort, { once: true });
        req.once('close', () => signal.removeEventListener('abort', abort));
        req.once('error', (error) => (signal.aborted ? resolve() : reject(error)));
        req.end();
      });
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
