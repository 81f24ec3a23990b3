/**
 * Runs the k6 scenario on this machine against a running items-api (the local stack or
 * `npm start`), remote-writing k6's metrics to a local Prometheus when one accepts them, and
 * turns k6's outcome into a report and an exit code.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { durationEnv, k6RunArgs, remoteWriteEnv } from '../k6-invocation.js';
import { K6_TEST_ID_LABEL } from '../k6-metrics.js';
import { K6_EXIT, describeK6Exit } from '../k6-exit-codes.js';
import { type RunReport, parseDigests, reportOf } from '../k6/digest.js';
import { type DurationOverrides, type ProfileName, plannedSeconds, profileOf } from '../k6/profiles.js';
import { checkTestId } from '../test-id.js';
import { type RemoteWriteProbe, probeRemoteWrite } from './remote-write-probe.js';

export const LOADTEST_DIR = path.resolve(import.meta.dirname, '..');
export const K6_MAIN_SCRIPT = path.join(LOADTEST_DIR, 'k6', 'main.ts');
/** The pinned k6 of `make tools` when present, else `k6` from PATH. */
export const DEFAULT_K6 = existsSync(path.resolve(LOADTEST_DIR, '..', 'bin', 'k6')) ? path.resolve(LOADTEST_DIR, '..', 'bin', 'k6') : 'k6';
/** results/ at the repository root (git-ignored). */
export const DEFAULT_RESULTS_ROOT = path.resolve(LOADTEST_DIR, '..', 'results');

export interface LocalRunOptions {
  readonly profile: ProfileName;
  /** items-api base URL, e.g. http://127.0.0.1:3030 */
  readonly baseUrl: string;
  /** Prometheus to remote-write to when it is ready and accepts writes; null: never. */
  readonly prometheusUrl: string | null;
  readonly testId: string;
  /** Where summary.json, digest.json and report.html go: `<resultsRoot>/<testId>/`. */
  readonly resultsRoot?: string;
  readonly durations?: DurationOverrides;
  /** k6 executable. @default DEFAULT_K6 */
  readonly k6Path?: string;
}

export interface LocalRunDeps {
  /** Where k6's output and the runner's messages go. @default process.stdout */
  readonly out?: NodeJS.WritableStream;
  readonly fetch?: typeof fetch;
  /** Aborting sends k6 SIGINT: it stops, still writes its summary, and exits. */
  readonly signal?: AbortSignal;
}

export interface LocalRunResult {
  /** What the process should exit with: k6's code when it failed, 1 when its summary is missing. */
  readonly exitCode: number;
  readonly k6ExitCode: number | null;
  readonly report: RunReport | null;
  readonly resultsDir: string;
  readonly remoteWrite: RemoteWriteProbe | null;
  /** k6's stdout and stderr. */
  readonly output: string;
}

const READY_TIMEOUT_MS = 5_000;

async function checkTarget(baseUrl: string, fetchFn: typeof fetch): Promise<void> {
  const url = `${baseUrl.replace(/\/+$/, '')}/readyz`;
  const res = await fetchFn(url, { signal: AbortSignal.timeout(READY_TIMEOUT_MS) }).catch((error: Error) => {
    throw new Error(`items-api does not answer at ${url} (${error.message}): start it with \`npm start\` or \`make local-up\`, or pass BASE_URL`);
  });
  if (!res.ok) throw new Error(`items-api at ${url} is not ready (HTTP ${res.status}): see its log`);
}

/** The web dashboard samples every `period`; a short test needs a short period or k6 skips the report. */
function dashboardPeriodSeconds(plannedSecondsTotal: number): number {
  return Math.max(1, Math.min(10, Math.floor(plannedSecondsTotal / 20)));
}

function k6Environment(opts: LocalRunOptions, resultsDir: string, remoteWrite: RemoteWriteProbe | null): Record<string, string> {
  return {
    PROFILE: opts.profile,
    BASE_URL: opts.baseUrl,
    TEST_ID: opts.testId,
    RESULTS_DIR: resultsDir,
    ...durationEnv(opts.durations),
    K6_NO_USAGE_REPORT: 'true',
    // k6's own HTML report, exported at the end; port -1: no dashboard server (no port to collide on).
    K6_WEB_DASHBOARD: 'true',
    K6_WEB_DASHBOARD_PORT: '-1',
    K6_WEB_DASHBOARD_PERIOD: `${dashboardPeriodSeconds(plannedSeconds(profileOf(opts.profile), opts.durations))}s`,
    K6_WEB_DASHBOARD_EXPORT: path.join(resultsDir, 'report.html'),
    ...(remoteWrite?.ok ? remoteWriteEnv(remoteWrite.writeUrl) : {}),
  };
}

export async function runLocal(opts: LocalRunOptions, deps: LocalRunDeps = {}): Promise<LocalRunResult> {
  const out = deps.out ?? process.stdout;
  const fetchFn = deps.fetch ?? fetch;
  const say = (line: string) => out.write(`${line}\n`);
  checkTestId(opts.testId);
  profileOf(opts.profile);
  await checkTarget(opts.baseUrl, fetchFn);
  const resultsDir = path.join(opts.resultsRoot ?? DEFAULT_RESULTS_ROOT, opts.testId);
  await mkdir(resultsDir, { recursive: true });

  const remoteWrite = opts.prometheusUrl === null ? null : await probeRemoteWrite(opts.prometheusUrl, fetchFn);
  say(`k6 ${opts.profile} against ${opts.baseUrl}, test id ${opts.testId}`);
  say(remoteWrite === null ? 'remote write: off' : remoteWrite.ok ? `remote write: ${remoteWrite.writeUrl}` : `remote write: skipped, ${remoteWrite.reason}`);

  // Own process group: a terminal Ctrl-C reaches only this runner, which sends k6 one SIGINT
  // (k6 then stops gracefully and still writes its summary; a second SIGINT would abort it).
  const args = [...k6RunArgs({ testId: opts.testId, instance: 0, remoteWrite: remoteWrite?.ok === true }), K6_MAIN_SCRIPT];
  const child = spawn(opts.k6Path ?? DEFAULT_K6, args, {
    env: { ...process.env, ...k6Environment(opts, resultsDir, remoteWrite) },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const tee = (chunk: Buffer) => {
    output += chunk.toString();
    out.write(chunk);
  };
  child.stdout.on('data', tee);
  child.stderr.on('data', tee);
  const stop = () => child.kill('SIGINT');
  deps.signal?.addEventListener('abort', stop, { once: true });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const k6ExitCode = await new Promise<number | null>((resolve, reject) => {
    child.once('error', (error) => reject(new Error(`cannot run k6 (${opts.k6Path ?? DEFAULT_K6}): ${error.message}; install it with \`make tools\``)));
    child.once('close', (code) => resolve(code));
  }).finally(() => {
    deps.signal?.removeEventListener('abort', stop);
    process.removeListener('exit', killOnExit);
  });

  const digests = parseDigests(output);
  const report = digests.length > 0 ? reportOf(digests) : null;
  const exitCode = k6ExitCode === K6_EXIT.ok ? (report ? 0 : 1) : (k6ExitCode ?? 1);
  say('');
  say(`k6 exit code ${k6ExitCode ?? 'none (killed)'}: ${describeK6Exit(k6ExitCode ?? -1)}`);
  if (k6ExitCode === K6_EXIT.thresholdsFailed && report) {
    say(`THRESHOLDS FAILED (${report.verdict}): ${report.failedThresholds.map((t) => `${t.metric} ${t.expression}`).join('; ')}`);
  }
  if (!report) say('no k6 summary found in its output: the test did not finish (see the errors above)');
  say(`results: ${resultsDir}/ (summary.json, digest.json, report.html)`);
  if (remoteWrite?.ok) say(`prometheus: k6_* series with ${K6_TEST_ID_LABEL}="${opts.testId}" at ${opts.prometheusUrl}`);
  return { exitCode, k6ExitCode, report, resultsDir, remoteWrite, output };
}
