/**
 * The in-cluster launcher (`make load`) against a TEST DOUBLE of the Kubernetes API server: the
 * real @kubernetes/client-node calls, the real launcher logic; pods "run" by script.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Job } from 'kubernetes-models/batch/v1';
import { FIELD_MANAGER } from '../../project/constants.js';
import { kubeApi } from '../cluster/job-api.js';
import { LAUNCH_EXIT, type LaunchOptions, launch } from '../cluster/launch.js';
import { K6_SCRIPTS_CONFIGMAP } from '../cluster/objects.js';
import { readK6Scripts } from '../cluster/scripts.js';
import { PROFILES } from '../k6/profiles.js';
import { digest, k6Log } from './fixtures.js';
import { type KubeApiDouble, type PodScript, startKubeApiDouble } from './kube-api-double.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const scripts = readK6Scripts();

let double: KubeApiDouble | undefined;
afterEach(async () => {
  await double?.close();
  double = undefined;
});

const options = (over: Partial<LaunchOptions> = {}): LaunchOptions => ({ namespace: 'items', profile: 'smoke', testId: 'smoke-t1', parallelism: 1, scripts, ...over });

const smokeDigest = (testId: string, over: Parameters<typeof digest>[0] = {}) =>
  digest({
    testId,
    profile: 'smoke',
    limits: PROFILES.smoke.thresholds,
    onThresholdFailure: 'fail',
    levels: [{ vus: 5, seconds: 11, requests: 1000, failedRequests: 10, p95Ms: 100, thresholdsOk: true }],
    ...over,
  });

const quickPod = (log: string, over: Partial<PodScript> = {}): PodScript => ({ runningAfterMs: 80, exitAfterMs: 400, exitCode: 0, log, ...over });

async function run(opts: LaunchOptions, signal?: AbortSignal) {
  let printed = '';
  const result = await launch(opts, {
    kube: kubeApi((double as KubeApiDouble).kubeConfig()),
    out: (text) => (printed += text),
    pollMs: 30,
    startTimeoutMs: 5_000,
    ...(signal ? { signal } : {}),
  });
  return { result, printed };
}

describe('launch() against a Kubernetes API server test double', { timeout: 60_000 }, () => {
  test('success: creates the script ConfigMap and the Job, follows the log, reports, exit code 0', async () => {
    double = await startKubeApiDouble(() => quickPod(k6Log(smokeDigest('smoke-t1'))));
    const { result, printed } = await run(options());
    assert.equal(result.outcome, 'passed', printed);
    assert.equal(result.exitCode, 0);
    assert.equal(result.report?.requests, 1000);

    const cm = double.configMaps.get(`items/${K6_SCRIPTS_CONFIGMAP}`) as { data: Record<string, string> };
    assert.equal(cm.data['main.ts'], scripts['main.ts'], 'the ConfigMap holds the scripts');
    const posted = double.jobs.get('items/k6-smoke-t1-0')?.body;
    assert.ok(posted, 'the Job was created');
    new Job(posted as ConstructorParameters<typeof Job>[0]).validate();
    assert.match(printed, /configmap items\/k6-scripts: created/);
    assert.match(printed, /pod k6-smoke-t1-0-x7k2p: Running/);
    assert.match(printed, /running \(01\.0s\), 5\/5 VUs/, 'the followed log is printed');
    assert.match(printed, /\| smoke \| 5 \| 10\.0 \| 100\.0 ms \|/, 'the results row');
    assert.match(printed, /PASSED: smoke-t1/);
    assert.deepEqual(double.deletedJobs, [], 'a finished Job is left for inspection (its TTL removes it)');

    const second = await run(options({ testId: 'smoke-t2' }));
    assert.match(second.printed, /configmap items\/k6-scripts: configured/, 'a second run applies over the ConfigMap');
  });

  // Field ownership and conflicts (`make deploy` after `make load`, taking over an older
  // launcher's ConfigMap) are tested against the real API server: cluster/sim/test.
  test('the script ConfigMap: one server-side apply PATCH as the project field manager, forced; no read, create or replace', async () => {
    double = await startKubeApiDouble(() => quickPod(k6Log(smokeDigest('smoke-t1'))));
    await run(options());
    const writes = double.requests.filter((r) => r.path.includes(`/configmaps`));
    assert.deepEqual(writes.map((r) => r.method), ['PATCH']);
    const [apply] = writes;
    assert.equal(apply?.headers['content-type'], 'application/apply-patch+yaml');
    const query = new URL(apply?.path ?? '', 'http://double').searchParams;
    assert.deepEqual([query.get('fieldManager'), query.get('force')], [FIELD_MANAGER, 'true']);
    assert.deepEqual((double.configMaps.get(`items/${K6_SCRIPTS_CONFIGMAP}`) as { data: Record<string, string> }).data, Object.fromEntries(Object.entries(scripts).sort()));
  });

  test('thresholds failed: k6 exit 99 in the pod -> outcome thresholds-failed, exit code 99', async () => {
    const failing = smokeDigest('smoke-t1', { thresholds: [{ metric: 'http_req_failed', expression: 'rate<0.01', ok: false }] });
    double = await startKubeApiDouble(() => quickPod(k6Log(failing), { exitCode: 99 }));
    const { result, printed } = await run(options());
    assert.equal(result.outcome, 'thresholds-failed', printed);
    assert.equal(result.exitCode, 99);
    assert.equal(result.report?.verdict, 'failed');
    assert.match(printed, /crossed: http_req_failed rate<0\.01/);
    assert.match(printed, /THRESHOLDS FAILED: smoke-t1/);
  });

  test('Job failed (k6 killed, no summary) -> outcome job-failed, exit code 1, the reason printed', async () => {
    double = await startKubeApiDouble(() => quickPod('running (01.0s), 5/5 VUs\n', { exitCode: 137, terminatedReason: 'OOMKilled' }));
    const { result, printed } = await run(options());
    assert.equal(result.outcome, 'job-failed', printed);
    assert.equal(result.exitCode, 1);
    assert.equal(result.report, null);
    assert.match(printed, /PROBLEM: job k6-smoke-t1-0 failed: BackoffLimitExceeded .*k6 exit code 137 \(OOMKilled\)/);
  });

  test('Ctrl-C while k6 runs: the Job is deleted with its pods, outcome interrupted, exit code 130', async () => {
    double = await startKubeApiDouble(() => quickPod(k6Log(smokeDigest('smoke-t1')), { exitAfterMs: 60_000 }));
    const abort = new AbortController();
    const started = Date.now();
    const running = run(options(), abort.signal);
    while (![...double.jobs.values()].some((j) => Date.now() - j.createdAt > 200) && Date.now() - started < 10_000) await sleep(20);
    abort.abort();
    const { result, printed } = await running;
    assert.equal(result.outcome, 'interrupted', printed);
    assert.equal(result.exitCode, 130);
    assert.deepEqual(double.deletedJobs, ['items/k6-smoke-t1-0?propagationPolicy=Background']);
    assert.ok(Date.now() - started < 10_000, 'returns promptly instead of waiting for k6');
  });

  test('parallelism 3: three Jobs, logs prefixed per Job, one report over all instances', async () => {
    double = await startKubeApiDouble((name, i) => quickPod(k6Log(smokeDigest('smoke-t3', { segment: `${i}/3:${i + 1}/3` })), { exitAfterMs: 300 + i * 100 }));
    const { result, printed } = await run(options({ testId: 'smoke-t3', parallelism: 3 }));
    assert.equal(result.outcome, 'passed', printed);
    assert.deepEqual([...double.jobs.keys()], ['items/k6-smoke-t3-0', 'items/k6-smoke-t3-1', 'items/k6-smoke-t3-2']);
    assert.equal(result.report?.instances, 3);
    assert.equal(result.report?.requests, 3000);
    for (const i of [0, 1, 2]) assert.match(printed, new RegExp(`\\[k6-smoke-t3-${i}\\] running \\(01\\.0s\\)`));
  });

  for (const unavailable of [
    { code: 404, reason: 'NotFound', message: 'no logs found for container "k6"' },
    { code: 400, reason: 'BadRequest', message: 'container "k6" in pod "k6-smoke-t1-0-x7k2p" is not available' },
  ]) {
    test(`logs unavailable (HTTP ${unavailable.code}, as under kwok): the Job Completed, yet outcome logs-unavailable with the API server's reason, never passed`, async () => {
      double = await startKubeApiDouble(() => quickPod('', { logUnavailable: unavailable }));
      const { result, printed } = await run(options());
      assert.equal(result.outcome, 'logs-unavailable', printed);
      assert.equal(result.exitCode, LAUNCH_EXIT['logs-unavailable']);
      assert.equal(result.exitCode, 3);
      assert.equal(result.report, null);
      const line = printed.split('\n').find((l) => l.startsWith('PROBLEM: cannot read the log of pod k6-smoke-t1-0-x7k2p: ')) ?? '';
      assert.ok(line.includes(`${unavailable.message} (HTTP ${unavailable.code})`), printed);
      assert.match(line, /Job k6-smoke-t1-0 finished \(condition Complete, k6 exit code 0\) but k6's summary is in that log, so pass\/fail is unknown/);
      assert.match(line, /try `kubectl -n items logs job\/k6-smoke-t1-0`$/);
      assert.doesNotMatch(printed, /k6 did not finish the test|PASSED/);
      assert.match(printed, /LOGS UNAVAILABLE: smoke-t1/);
      // The followed stream says the same, once, not once per reopen.
      const streamLines = printed.split('\n').filter((l) => l.startsWith('(log stream of pod k6-smoke-t1-0-x7k2p:'));
      assert.deepEqual(streamLines, [`(log stream of pod k6-smoke-t1-0-x7k2p: ${unavailable.message} (HTTP ${unavailable.code}))`]);
    });
  }

  test('logs unavailable but k6 failed for a reason the Job shows: job-failed comes first', async () => {
    double = await startKubeApiDouble(() => quickPod('', { exitCode: 137, terminatedReason: 'OOMKilled', logUnavailable: { code: 404, reason: 'NotFound', message: 'no logs found for container "k6"' } }));
    const { result, printed } = await run(options());
    assert.equal(result.outcome, 'job-failed', printed);
    assert.match(printed, /PROBLEM: cannot read the log of pod k6-smoke-t1-0-x7k2p: no logs found .*condition Failed \(BackoffLimitExceeded\), k6 exit code 137/);
  });

  test('logs unavailable but k6 exited 99: thresholds-failed, the missing report named', async () => {
    double = await startKubeApiDouble(() => quickPod('', { exitCode: 99, logUnavailable: { code: 404, reason: 'NotFound', message: 'no logs found for container "k6"' } }));
    const { result, printed } = await run(options());
    assert.equal(result.outcome, 'thresholds-failed', printed);
    assert.match(printed, /PROBLEM: cannot read the log of pod k6-smoke-t1-0-x7k2p: .*k6 exit code 99\) but k6's summary is in that log, so the report is missing/);
  });

  test('a pod that cannot pull its image fails the launch with the reason, and the Job is deleted', async () => {
    double = await startKubeApiDouble(() => quickPod('', { stuckPending: 'ErrImagePull' }));
    await assert.rejects(run(options()), /pod k6-smoke-t1-0-x7k2p cannot start: ErrImagePull \(is grafana\/k6:1\.8\.1 pullable/);
    assert.deepEqual(double.deletedJobs, ['items/k6-smoke-t1-0?propagationPolicy=Background']);
  });
});

describe('make load (the CLI process) against a Kubernetes API server test double', { timeout: 120_000 }, () => {
  test('Ctrl-C (SIGINT) deletes the Job and exits 130', async () => {
    double = await startKubeApiDouble(() => quickPod(k6Log(smokeDigest('smoke-cli')), { exitAfterMs: 60_000 }));
    const dir = await mkdtemp(path.join(tmpdir(), 'loadtest-kubeconfig-'));
    try {
      const kubeconfig = path.join(dir, 'config');
      await writeFile(kubeconfig, double.kubeConfig().exportConfig());
      const child = spawn(process.execPath, ['--import', 'tsx', 'loadtest/cluster/cli.ts', '--profile', 'smoke', '--test-id', 'smoke-cli'], {
        cwd: ROOT,
        env: { ...process.env, KUBECONFIG: kubeconfig },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let printed = '';
      child.stdout.on('data', (c: Buffer) => (printed += c.toString()));
      child.stderr.on('data', (c: Buffer) => (printed += c.toString()));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      const deadline = Date.now() + 30_000;
      while (!/pod k6-smoke-cli-0-x7k2p: Running/.test(printed) && Date.now() < deadline) await sleep(50);
      assert.match(printed, /Running/, 'the launcher saw the pod run');
      child.kill('SIGINT');
      const giveUp = new AbortController();
      const code = await Promise.race([exited, sleep(30_000, 'still running', { signal: giveUp.signal })]);
      giveUp.abort();
      if (code === 'still running') child.kill('SIGKILL');
      assert.equal(code, 130, printed);
      assert.deepEqual(double.deletedJobs, ['items/k6-smoke-cli-0?propagationPolicy=Background']);
      assert.match(printed, /job items\/k6-smoke-cli-0 deleted/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
