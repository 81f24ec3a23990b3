/**
 * The in-cluster load test as Kubernetes objects: the ConfigMap holding the k6 scripts and one Job
 * per execution segment. Pure functions of their options: the launcher (`launch.ts`) creates them
 * through the API server, and the cdk8s app wraps them as the committed Job template.
 */
import { Job } from 'kubernetes-models/batch/v1';
import { ConfigMap } from 'kubernetes-models/v1';
import { STACK } from '../../project/kube-prometheus-stack.js';
import { APP_NAME, APP_NAMESPACE, IMAGES, CONTAINER_PORTS, STACK_PORTS } from '../../project/constants.js';
import { durationEnv, k6RunArgs, remoteWriteEnv } from '../k6-invocation.js';
import { type DurationOverrides, type ProfileName, plannedSeconds, profileOf } from '../k6/profiles.js';
import { checkTestId } from '../test-id.js';

/** Name of the ConfigMap holding the k6 scripts (one key per file, mounted as a flat directory). */
export const K6_SCRIPTS_CONFIGMAP = 'k6-scripts';
/** Where the scripts are mounted in the k6 container. */
export const K6_SCRIPTS_DIR = '/scripts';
/** The script k6 runs; the other files are modules it imports. */
export const K6_ENTRY_SCRIPT = 'main.ts';
/** Label on Jobs and pods carrying the test id: the launcher selects pods by it. */
export const K6_TEST_ID_POD_LABEL = 'loadtest.items-api/test-id';
/** Labels on every k6 object; NetworkPolicies that let k6 reach items-api select `K6_POD_LABELS`. */
export const K6_POD_LABELS = {
  'app.kubernetes.io/name': 'k6',
  'app.kubernetes.io/component': 'load-test',
  'app.kubernetes.io/part-of': APP_NAME,
} as const;

/** items-api's Service in `namespace`, `http` port, as seen from inside the cluster. */
export const targetUrlIn = (namespace: string): string => `http://${APP_NAME}.${namespace}.svc:${CONTAINER_PORTS.api}`;
/** items-api's Service in the project namespace. */
export const DEFAULT_TARGET_URL = targetUrlIn(APP_NAMESPACE);
/** kube-prometheus-stack's Prometheus Service (named in project/kube-prometheus-stack.ts; the chart serves it on 9090 too) remote-write receiver. */
export const DEFAULT_REMOTE_WRITE_URL = `http://${STACK.prometheus.service}.${STACK.namespace}.svc:${STACK_PORTS.prometheus}/api/v1/write`;

/** The grafana/k6 image runs as this non-root user (numeric, so `runAsNonRoot` can verify it). */
const K6_IMAGE_UID = 12345;
/** Time beyond the planned run for graceful stop, image pull and summary; then the Job is killed. */
const DEADLINE_MARGIN_SECONDS = 300;
/** Finished Jobs (and their logs) stay this long for inspection, then Kubernetes removes them. */
const KEEP_FINISHED_SECONDS = 3600;

export interface K6ScriptOptions {
  /** @default APP_NAMESPACE */
  readonly namespace?: string;
  /** k6 script files by file name (flat: no directories), e.g. from `readK6Scripts()`. Must include `main.ts`. */
  readonly scripts: Readonly<Record<string, string>>;
}

export interface K6JobOptions {
  /** @default APP_NAMESPACE */
  readonly namespace?: string;
  readonly profile: ProfileName;
  /** Test id: the `testid` tag on every k6 series and part of the Job names. `[a-z0-9-]`, at most 40 characters. */
  readonly testId: string;
  /** Pods sharing the test through k6 execution segments. @default 1 */
  readonly parallelism?: number;
  /** Base URL of items-api. @default items-api in the Job's own namespace (targetUrlIn) */
  readonly targetBaseUrl?: string;
  /** Prometheus remote-write endpoint. @default DEFAULT_REMOTE_WRITE_URL */
  readonly remoteWriteUrl?: string;
  /** Duration overrides passed to the script as env (`HOLD`, `RAMP_DOWN`). @default none */
  readonly durations?: DurationOverrides;
  /** Container image. @default IMAGES.k6 */
  readonly image?: string;
}

function checkParallelism(parallelism: number): void {
  if (!Number.isInteger(parallelism) || parallelism < 1 || parallelism > 100) {
    throw new Error(`parallelism must be an integer from 1 to 100, got ${parallelism}`);
  }
}

/**
 * k6 execution segments splitting one test over `parallelism` instances: equal shares whose
 * boundaries form the sequence `0,1/n,...,1`, so together they cover 0..1 exactly once.
 */
export function executionSegments(parallelism: number): { sequence: string; segments: string[] } {
  checkParallelism(parallelism);
  const boundary = (i: number) => (i === 0 ? '0' : i === parallelism ? '1' : `${i}/${parallelism}`);
  const boundaries = Array.from({ length: parallelism + 1 }, (_, i) => boundary(i));
  return {
    sequence: boundaries.join(','),
    segments: boundaries.slice(0, -1).map((from, i) => `${from}:${boundaries[i + 1]}`),
  };
}

export function k6JobName(testId: string, index: number): string {
  return `k6-${testId}-${index}`;
}

/** Memory for a pod running `vus` VUs: k6 needs a few MiB per VU (its own JS runtime each). */
function resourcesFor(vus: number) {
  const limitMiB = 128 + Math.ceil(vus * 3);
  return {
    requests: { cpu: '250m', memory: `${Math.ceil(limitMiB / 2)}Mi` },
    limits: { cpu: '2', memory: `${limitMiB}Mi` },
  };
}

/** The ConfigMap with the k6 scripts, mounted by every k6 Job. */
export function k6ScriptConfigMap(opts: K6ScriptOptions): ConfigMap {
  const names = Object.keys(opts.scripts);
  if (!names.includes(K6_ENTRY_SCRIPT)) throw new Error(`k6 scripts must include ${K6_ENTRY_SCRIPT}, got: ${names.join(', ') || 'none'}`);
  const nested = names.filter((n) => !/^[A-Za-z0-9._-]+$/.test(n));
  if (nested.length > 0) throw new Error(`k6 script names must be flat file names (ConfigMap keys): ${nested.join(', ')}`);
  return new ConfigMap({
    metadata: { name: K6_SCRIPTS_CONFIGMAP, namespace: opts.namespace ?? APP_NAMESPACE, labels: { ...K6_POD_LABELS } },
    data: Object.fromEntries(names.sort().map((n) => [n, opts.scripts[n] ?? ''])),
  });
}

/** One Job per execution segment (`parallelism` Jobs), each running one k6 pod once. */
export function k6Jobs(opts: K6JobOptions): Job[] {
  checkTestId(opts.testId);
  const parallelism = opts.parallelism ?? 1;
  const profile = profileOf(opts.profile);
  const { sequence, segments } = executionSegments(parallelism);
  const durations = opts.durations ?? {};
  const deadline = Math.ceil(plannedSeconds(profile, durations)) + DEADLINE_MARGIN_SECONDS;
  const peakVus = Math.max(...profile.levels);
  const labels = { ...K6_POD_LABELS, [K6_TEST_ID_POD_LABEL]: opts.testId };
  const envList = (env: Record<string, string>) => Object.entries(env).map(([name, value]) => ({ name, value }));

  return segments.map(
    (segment, index) =>
      new Job({
        metadata: { name: k6JobName(opts.testId, index), namespace: opts.namespace ?? APP_NAMESPACE, labels },
        spec: {
          // A load test is never retried: a second attempt would double the load and hide the failure.
          backoffLimit: 0,
          activeDeadlineSeconds: deadline,
          ttlSecondsAfterFinished: KEEP_FINISHED_SECONDS,
          template: {
            metadata: { labels },
            spec: {
              restartPolicy: 'Never',
              automountServiceAccountToken: false,
              securityContext: { runAsNonRoot: true, runAsUser: K6_IMAGE_UID, runAsGroup: K6_IMAGE_UID, seccompProfile: { type: 'RuntimeDefault' } },
              containers: [
                {
                  name: 'k6',
                  image: opts.image ?? IMAGES.k6,
                  imagePullPolicy: 'IfNotPresent',
                  args: [
                    ...k6RunArgs({ testId: opts.testId, instance: index, remoteWrite: true }),
                    '--execution-segment', segment,
                    '--execution-segment-sequence', sequence,
                    `${K6_SCRIPTS_DIR}/${K6_ENTRY_SCRIPT}`,
                  ],
                  env: [
                    { name: 'PROFILE', value: opts.profile },
                    { name: 'BASE_URL', value: opts.targetBaseUrl ?? targetUrlIn(opts.namespace ?? APP_NAMESPACE) },
                    { name: 'TEST_ID', value: opts.testId },
                    ...envList(remoteWriteEnv(opts.remoteWriteUrl ?? DEFAULT_REMOTE_WRITE_URL)),
                    { name: 'K6_NO_USAGE_REPORT', value: 'true' },
                    ...envList(durationEnv(durations)),
                  ],
                  resources: resourcesFor(Math.ceil(peakVus / parallelism)),
                  securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
                  volumeMounts: [
                    { name: 'scripts', mountPath: K6_SCRIPTS_DIR, readOnly: true },
                    { name: 'tmp', mountPath: '/tmp' },
                  ],
                },
              ],
              volumes: [
                { name: 'scripts', configMap: { name: K6_SCRIPTS_CONFIGMAP } },
                { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
              ],
            },
          },
        },
      }),
  );
}
