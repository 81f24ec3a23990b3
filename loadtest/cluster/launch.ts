/**
 * Runs one load test in the cluster: script ConfigMap and Job(s) in, logs followed, completion
 * awaited, the instances' digests combined into one report, an exit code out. Ctrl-C (the abort
 * signal) deletes the Jobs so no load keeps running behind the user's back.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { K6_EXIT } from '../k6-exit-codes.js';
import { type RunReport, formatReport, parseDigests, reportOf } from '../k6/digest.js';
import { type DurationOverrides, type ProfileName, plannedSeconds, profileOf } from '../k6/profiles.js';
import { apiErrorReason, type JobState, type KubeApi, type PodState } from './job-api.js';
import { K6_TEST_ID_POD_LABEL, k6Jobs, k6ScriptConfigMap } from './objects.js';

export interface LaunchOptions {
  readonly namespace: string;
  readonly profile: ProfileName;
  readonly testId: string;
  readonly parallelism: number;
  readonly targetBaseUrl?: string;
  readonly remoteWriteUrl?: string;
  readonly durations?: DurationOverrides;
  readonly image?: string;
  /** k6 script files by name (`readK6Scripts()`). */
  readonly scripts: Readonly<Record<string, string>>;
}

export interface LaunchDeps {
  readonly kube: KubeApi;
  /** Progress messages and the followed logs. */
  readonly out: (text: string) => void;
  /** Ctrl-C: when aborted, the Jobs are deleted and the launch ends as `interrupted`. */
  readonly signal?: AbortSignal;
  /** How often Job and pod states are read. @default 2000 */
  readonly pollMs?: number;
  /** How long a pod may take to start (image pull, scheduling). @default 300000 */
  readonly startTimeoutMs?: number;
  /** Extra time beyond the planned test duration before giving up. @default 600000 */
  readonly finishMarginMs?: number;
}

/**
 * `logs-unavailable`: every Job finished, but a k6 log (with k6's summary) could not be read, so
 * whether the test passed is unknown (under kwok, say, pods complete without any log).
 */
export type LaunchOutcome = 'passed' | 'thresholds-failed' | 'job-failed' | 'logs-unavailable' | 'interrupted';

export interface LaunchResult {
  readonly outcome: LaunchOutcome;
  readonly exitCode: number;
  readonly report: RunReport | null;
  readonly jobs: readonly JobState[];
  readonly pods: readonly PodState[];
  /** Why the run failed, for `job-failed`; which logs could not be read and why, for `logs-unavailable`. */
  readonly problems: readonly string[];
}

/** Exit codes of the launcher: the same as k6's where k6 has one. */
export const LAUNCH_EXIT: Readonly<Record<LaunchOutcome, number>> = {
  passed: 0,
  'thresholds-failed': K6_EXIT.thresholdsFailed,
  'job-failed': 1,
  'logs-unavailable': 3,
  interrupted: 130,
};

const CONTAINER = 'k6';
/** Waiting reasons that will not resolve by waiting. */
const FATAL_WAITING = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'CreateContainerConfigError', 'CreateContainerError']);
/** A followed log stream may close early (API server or kubelet timeouts); it is re-opened at most this often. */
const MAX_LOG_REOPENS = 20;

/** How long finished pods' log streams may take to deliver their last lines. */
const LOG_DRAIN_MS = 10_000;

/** A finished pod whose log the API server did not give: its name and the server's reason. */
interface UnreadableLog {
  readonly pod: PodState;
  readonly reason: string;
}

class Interrupted extends Error {}

/** Sleeps, unless the signal fires first. */
async function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    await sleep(ms, undefined, signal ? { signal } : {});
  } catch {
    throw new Interrupted();
  }
}

export async function launch(opts: LaunchOptions, deps: LaunchDeps): Promise<LaunchResult> {
  const { kube, out, signal } = deps;
  const pollMs = deps.pollMs ?? 2_000;
  const startTimeoutMs = deps.startTimeoutMs ?? 300_000;
  const say = (line: string) => out(`${line}\n`);
  const jobs = k6Jobs(opts);
  const jobNames = jobs.map((j) => j.metadata?.name ?? '');
  const selector = `${K6_TEST_ID_POD_LABEL}=${opts.testId}`;
  const prefix = (pod: PodState) => (jobs.length > 1 ? `[${pod.jobName}] ` : '');

  const configMap = k6ScriptConfigMap({ namespace: opts.namespace, scripts: opts.scripts });
  say(`configmap ${opts.namespace}/${configMap.metadata?.name}: ${await kube.applyConfigMap(configMap)}`);

  const created: string[] = [];
  const followers = new Map<string, Promise<void>>();
  const stopFollowing = new AbortController();
  let lastJobs: JobState[] = [];
  let lastPods: PodState[] = [];

  const follow = (pod: PodState) => {
    const run = async () => {
      let lastError = '';
      for (let opened = 0; opened <= MAX_LOG_REOPENS && !stopFollowing.signal.aborted; opened++) {
        let pending = '';
        const failed = await kube
          .followLog(opts.namespace, pod.name, CONTAINER, (text) => {
            // Whole lines only, so the prefix of a split test lands at line starts.
            const lines = (pending + text).split('\n');
            pending = lines.pop() ?? '';
            for (const line of lines) out(`${prefix(pod)}${line}\n`);
          }, stopFollowing.signal)
          .then(
            () => false,
            (error: unknown) => {
              // The same refusal on every reopen is said once.
              const reason = apiErrorReason(error);
              if (reason !== lastError) say(`${prefix(pod)}(log stream of pod ${pod.name}: ${reason})`);
              lastError = reason;
              return true;
            },
          );
        if (pending) out(`${prefix(pod)}${pending}\n`);
        const now = (await kube.listPods(opts.namespace, selector)).find((p) => p.name === pod.name);
        if (!now || now.exitCode !== undefined || now.phase === 'Succeeded' || now.phase === 'Failed') return;
        // A refused stream is asked again at the poll pace, not in a tight loop.
        if (failed) await sleep(pollMs, undefined, { signal: stopFollowing.signal }).catch(() => undefined);
      }
    };
    followers.set(pod.name, run().catch((error: unknown) => say(`${prefix(pod)}(stopped following the log of pod ${pod.name}: ${apiErrorReason(error)})`)));
  };

  try {
    if (signal?.aborted) throw new Interrupted();
    for (const job of jobs) {
      await kube.createJob(job);
      created.push(job.metadata?.name ?? '');
      say(`job ${opts.namespace}/${job.metadata?.name} created (${opts.profile}, test id ${opts.testId})`);
    }

    const startDeadline = Date.now() + startTimeoutMs;
    const finishDeadline =
      Date.now() + plannedSeconds(profileOf(opts.profile), opts.durations) * 1000 + startTimeoutMs + (deps.finishMarginMs ?? 600_000);
    const reported = new Map<string, string>();
    for (;;) {
      if (signal?.aborted) throw new Interrupted();
      lastJobs = await Promise.all(jobNames.map((name) => kube.readJob(opts.namespace, name)));
      lastPods = await kube.listPods(opts.namespace, selector);
      for (const pod of lastPods) {
        const state = `${pod.phase}${pod.waitingReason ? ` (${pod.waitingReason})` : ''}`;
        if (reported.get(pod.name) !== state) say(`pod ${pod.name}: ${state}`);
        reported.set(pod.name, state);
        if (!followers.has(pod.name) && pod.phase !== 'Pending') follow(pod);
        if (pod.waitingReason && FATAL_WAITING.has(pod.waitingReason)) {
          throw new Error(`pod ${pod.name} cannot start: ${pod.waitingReason} (is ${jobs[0]?.spec?.template.spec?.containers[0]?.image} pullable? with kind: kind load docker-image)`);
        }
      }
      if (lastJobs.every((j) => j.finished !== undefined)) break;
      const started = lastPods.filter((p) => p.phase !== 'Pending').length >= jobs.length;
      if (!started && Date.now() > startDeadline) throw new Error(`k6 pods not running after ${startTimeoutMs / 1000} s: ${describePods(lastPods)}`);
      if (Date.now() > finishDeadline) throw new Error(`Jobs not finished by their deadline: ${describePods(lastPods)}`);
      await pause(pollMs, signal);
    }

    // Let the followers drain what is left, then read every log in full: the digests must not
    // depend on a followed stream that may have been cut.
    const drained = new AbortController();
    await Promise.race([Promise.all(followers.values()), sleep(LOG_DRAIN_MS, undefined, { signal: drained.signal }).catch(() => undefined)]);
    drained.abort();
    stopFollowing.abort();
    lastPods = await kube.listPods(opts.namespace, selector);
    const unreadable: UnreadableLog[] = [];
    const logs = await Promise.all(
      lastPods.map((pod) =>
        kube.readLog(opts.namespace, pod.name, CONTAINER).catch((error: unknown) => {
          unreadable.push({ pod, reason: apiErrorReason(error) });
          return '';
        }),
      ),
    );
    const digests = parseDigests(logs.join('\n'));
    return finish(opts, deps, lastJobs, lastPods, digests.length === jobs.length ? reportOf(digests) : null, digests.length, unreadable);
  } catch (error) {
    stopFollowing.abort();
    const interrupted = error instanceof Interrupted;
    if (created.length > 0) {
      say(interrupted ? '\ninterrupted: deleting the k6 Jobs' : 'deleting the k6 Jobs');
      for (const name of created) {
        await kube.deleteJob(opts.namespace, name);
        say(`job ${opts.namespace}/${name} deleted`);
      }
    }
    if (!interrupted) throw error;
    return { outcome: 'interrupted', exitCode: LAUNCH_EXIT.interrupted, report: null, jobs: lastJobs, pods: lastPods, problems: ['interrupted'] };
  }
}

function describePods(pods: readonly PodState[]): string {
  if (pods.length === 0) return 'no pod created yet (check the Job events: kubectl describe job)';
  return pods.map((p) => `${p.name} ${p.phase}${p.waitingReason ? ` (${p.waitingReason})` : ''}`).join(', ');
}

/**
 * The outcome from Job conditions and k6 exit codes; the report from the digests. A Job failure
 * the API shows (not k6's thresholds) comes first, then k6's threshold exit code; past those, an
 * unreadable log makes the outcome `logs-unavailable`, never `passed`: without k6's summary
 * nothing says the test passed.
 */
function finish(
  opts: LaunchOptions,
  deps: LaunchDeps,
  jobs: readonly JobState[],
  pods: readonly PodState[],
  report: RunReport | null,
  digestCount: number,
  unreadable: readonly UnreadableLog[],
): LaunchResult {
  const say = (line: string) => deps.out(`${line}\n`);
  const problems: string[] = [];
  let thresholdsFailed = false;
  for (const job of jobs.filter((j) => j.finished === 'Failed')) {
    const pod = pods.find((p) => p.jobName === job.name);
    if (pod?.exitCode === K6_EXIT.thresholdsFailed) thresholdsFailed = true;
    else {
      const detail = pod?.exitCode !== undefined ? `k6 exit code ${pod.exitCode}${pod.terminatedReason ? ` (${pod.terminatedReason})` : ''}` : 'no k6 exit code';
      problems.push(`job ${job.name} failed: ${job.reason ?? 'Failed'}${job.message ? ` - ${job.message}` : ''}; ${detail}`);
    }
  }
  const logProblems = unreadable.map(({ pod, reason }) => {
    const job = jobs.find((j) => j.name === pod.jobName);
    const condition = `${job?.finished ?? 'unknown'}${job?.reason ? ` (${job.reason})` : ''}`;
    return (
      `cannot read the log of pod ${pod.name}: ${reason}; Job ${pod.jobName} finished (condition ${condition}, k6 exit code ${pod.exitCode ?? 'unknown'}) ` +
      `but k6's summary is in that log, so ${pod.exitCode === K6_EXIT.thresholdsFailed ? 'the report is missing' : 'pass/fail is unknown'}: ` +
      `try \`kubectl -n ${opts.namespace} logs job/${pod.jobName}\``
    );
  });
  if (problems.length === 0 && report === null && unreadable.length === 0) {
    problems.push(`found ${digestCount} k6 summaries in the logs of ${jobs.length} pod(s): k6 did not finish the test`);
  }

  say('');
  if (report) say(formatReport(report));
  for (const problem of [...problems, ...logProblems]) say(`PROBLEM: ${problem}`);
  const outcome: LaunchOutcome =
    problems.length > 0 ? 'job-failed' : thresholdsFailed ? 'thresholds-failed' : logProblems.length > 0 ? 'logs-unavailable' : 'passed';
  say(
    {
      passed: `PASSED: ${opts.testId}`,
      'thresholds-failed': `THRESHOLDS FAILED: ${opts.testId} (${report?.verdict ?? 'failed'})`,
      'job-failed': `FAILED: ${opts.testId}`,
      'logs-unavailable': `LOGS UNAVAILABLE: ${opts.testId} (the Jobs finished; pass/fail unknown without k6's summary)`,
      interrupted: `INTERRUPTED: ${opts.testId}`,
    }[outcome],
  );
  return { outcome, exitCode: LAUNCH_EXIT[outcome], report, jobs, pods, problems: [...problems, ...logProblems] };
}
