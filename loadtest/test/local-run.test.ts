/**
 * The local runner with the real k6 against the real service: the local stack (service, its
 * PostgreSQL, Prometheus with the remote-write receiver, Alertmanager), as `make load-local` runs
 * against `make local-up`. The k6 runs are the short smoke profile.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { freePort } from '../../toolkit/ports.js';
import { spawnService } from '../../testing/service.js';
import { findTool } from '../../toolkit/find-tool.js';
import { requireTools } from '../../testing/tools.js';
import { localStackToolNames } from '../../localstack/binaries.js';
import { type LocalStack, startLocalStack } from '../../localstack/local-stack.js';
import { K6_INSTANCE_LABEL, K6_METRICS, K6_OPERATION_LABEL, K6_TEST_ID_LABEL } from '../k6-metrics.js';
import { OPERATIONS } from '../k6/mix.js';
import { K6_ENTRY_SCRIPT, K6_SCRIPTS_DIR, k6Jobs } from '../cluster/objects.js';
import { parseDigests, reportOf } from '../k6/digest.js';
import { PROFILES } from '../k6/profiles.js';
import { K6_MAIN_SCRIPT, type LocalRunResult, runLocal } from '../local/runner.js';

/** Collects what the runner prints (k6's output and the runner's own lines). */
function capture(): { out: PassThrough; text: () => string } {
  const out = new PassThrough();
  let text = '';
  out.on('data', (c: Buffer) => (text += c.toString()));
  return { out, text: () => text };
}

let resultsRoot = '';
before(async () => {
  resultsRoot = await mkdtemp(path.join(tmpdir(), 'loadtest-results-'));
});
after(async () => {
  await rm(resultsRoot, { recursive: true, force: true });
});

describe('make load-local: smoke against the local stack, metrics remote-written to its Prometheus', { timeout: 300_000 }, () => {
  const tools = ['k6', ...localStackToolNames()];
  let stack: LocalStack | undefined;
  let run: LocalRunResult | undefined;
  let printed = '';
  const testId = 'smoke-test-rw';

  before(async () => {
    if (!tools.every((name) => findTool(name))) return; // each test below skips (or fails in CI) with the reason
    stack = await startLocalStack({ warn: () => undefined });
    const { out, text } = capture();
    run = await runLocal({ profile: 'smoke', baseUrl: stack.apiUrl, prometheusUrl: stack.prometheusUrl, testId, resultsRoot, k6Path: findTool('k6') as string }, { out });
    printed = text();
  });
  after(async () => {
    await stack?.stop();
  });

  test('the smoke profile passes its thresholds: every operation answered, exit code 0', (t) => {
    if (!requireTools(t, tools) || !run) return;
    assert.equal(run.k6ExitCode, 0, printed);
    assert.equal(run.exitCode, 0);
    assert.ok(run.report, 'a report from the digest line');
    assert.equal(run.report.verdict, 'passed');
    assert.ok(run.report.requests >= 30, `only ${run.report.requests} requests`);
    assert.equal(run.report.failedRate, 0, 'no request failed: reads, updates and deletes hit rows this test created');
    assert.equal(run.report.checksRate, 1);
    assert.match(printed, /results row \(docs\/LOAD_TESTING\.md\):\n\| smoke \| 5 \|/);
  });

  test('every operation of the mix ran and was checked, tagged with its operation', async (t) => {
    if (!requireTools(t, tools) || !run) return;
    const summary = JSON.parse(await readFile(path.join(run.resultsDir, 'summary.json'), 'utf8')) as {
      root_group: { checks: Array<{ name: string; passes: number; fails: number }> };
    };
    const checks = summary.root_group.checks;
    for (const op of OPERATIONS) {
      const ofOp = checks.filter((c) => c.name.startsWith(`${op}:`));
      assert.ok(ofOp.length > 0 && ofOp.every((c) => c.passes > 0 && c.fails === 0), `checks of ${op}: ${JSON.stringify(ofOp)}`);
    }
  });

  test('writes summary.json, digest.json and a self-contained HTML report to the results folder', async (t) => {
    if (!requireTools(t, tools) || !run) return;
    assert.equal(run.resultsDir, path.join(resultsRoot, testId));
    const digest = JSON.parse(await readFile(path.join(run.resultsDir, 'digest.json'), 'utf8')) as { testId: string; requests: number };
    assert.equal(digest.testId, testId);
    assert.equal(digest.requests, run.report?.requests);
    const html = await readFile(path.join(run.resultsDir, 'report.html'), 'utf8');
    assert.match(html, /<html/i);
    assert.ok(html.length > 50_000, 'the k6 web dashboard report, with its assets inlined');
    assert.doesNotMatch(html, /<(script|link)[^>]+(src|href)="https?:/i, 'no asset fetched from the network: the report works offline');
  });

  test('k6 metrics land in Prometheus by remote write under the names K6_METRICS, tagged with the test id', async (t) => {
    if (!requireTools(t, tools) || !run || !stack) return;
    assert.equal(run.remoteWrite?.ok, true, printed);
    const prometheus = stack.prometheus;
    // k6 ends every series with a stale marker, so queries look back over a range.
    for (const name of Object.values(K6_METRICS)) {
      const found = await prometheus.query(`count(last_over_time(${name}{${K6_TEST_ID_LABEL}="${testId}"}[10m]))`);
      if (found.length === 0) {
        const names = (await (await fetch(`${stack.prometheusUrl}/api/v1/label/__name__/values`)).json()) as { data: string[] };
        assert.fail(`${name} missing; k6 wrote: ${names.data.filter((n) => n.startsWith('k6_')).join(', ')}`);
      }
    }

    const selector = `{${K6_TEST_ID_LABEL}="${testId}",${K6_INSTANCE_LABEL}="0"}`;
    const requests = await prometheus.query(`sum(last_over_time(${K6_METRICS.httpReqsTotal}${selector}[10m]))`);
    assert.equal(requests[0]?.value, run.report?.requests, 'the remote-written request counter equals the summary count');
    const byOp = await prometheus.query(`sum by (${K6_OPERATION_LABEL}) (last_over_time(${K6_METRICS.httpReqsTotal}${selector}[10m]))`);
    assert.deepEqual(byOp.map((s) => s.metric[K6_OPERATION_LABEL]).sort(), [...OPERATIONS].sort(), 'one label value per operation');
    const p95 = await prometheus.query(`max(last_over_time(${K6_METRICS.httpReqDurationP95}${selector}[10m]))`);
    const seconds = p95[0]?.value ?? NaN;
    assert.ok(seconds > 0 && seconds < 1, `p95 is written in seconds (server histograms use seconds too): ${seconds}`);
    const labels = await prometheus.query(`last_over_time(${K6_METRICS.httpReqsTotal}${selector}[10m])`);
    assert.ok(labels.length > 0);
    for (const { metric } of labels) {
      assert.equal(metric.url, undefined, 'no `url` label: item ids never become label values');
      assert.ok(['/items', '/items/:id'].includes(metric.name ?? ''), `name is the route template: ${metric.name}`);
    }
  });
  test('the Jobs\' k6 command lines run in the real k6: two execution segments together run the profile\'s VUs', async (t) => {
    if (!requireTools(t, tools) || !stack) return;
    const testIdSplit = 'smoke-test-split';
    const jobs = k6Jobs({
      profile: 'smoke',
      testId: testIdSplit,
      parallelism: 2,
      targetBaseUrl: stack.apiUrl,
      remoteWriteUrl: `${stack.prometheusUrl}/api/v1/write`,
      durations: { HOLD: '3s' },
    });
    const runs = jobs.map((job) => {
      const container = job.spec?.template.spec?.containers[0];
      // The in-cluster script path becomes this checkout's; everything else is the Job's own.
      const args = (container?.args ?? []).map((a) => (a === `${K6_SCRIPTS_DIR}/${K6_ENTRY_SCRIPT}` ? K6_MAIN_SCRIPT : a));
      const env = Object.fromEntries((container?.env ?? []).map((e) => [e.name, e.value ?? '']));
      return new Promise<{ code: number | null; output: string }>((resolve) => {
        const child = spawn(findTool('k6') as string, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
        let output = '';
        child.stdout.on('data', (c: Buffer) => (output += c.toString()));
        child.stderr.on('data', (c: Buffer) => (output += c.toString()));
        child.once('close', (code) => resolve({ code, output }));
      });
    });
    const results = await Promise.all(runs);
    for (const r of results) assert.equal(r.code, 0, r.output);
    const report = reportOf(parseDigests(results.map((r) => r.output).join('\n')));
    assert.equal(report.instances, 2);
    assert.equal(report.verdict, 'passed');
    const vusMax = await stack.prometheus.query(
      `max by (${K6_INSTANCE_LABEL}) (last_over_time(${K6_METRICS.vusMax}{${K6_TEST_ID_LABEL}="${testIdSplit}"}[10m]))`,
    );
    assert.deepEqual(vusMax.map((v) => v.metric[K6_INSTANCE_LABEL]).sort(), ['0', '1'], 'one series per instance');
    assert.equal(vusMax.reduce((total, v) => total + v.value, 0), Math.max(...PROFILES.smoke.levels), 'the segments share out the VUs exactly');
  });
});

describe('make load-local: against a service that fails every request', { timeout: 180_000 }, () => {
  test('k6 exits 99 (thresholds crossed) and the runner reports the failed thresholds', async (t) => {
    const tools = requireTools(t, ['k6']);
    if (!tools) return;
    const service = await spawnService({ env: { FAULT_INJECTION: 'true', FAULT_ERROR_RATE: '1' } });
    try {
      const noPrometheus = `http://127.0.0.1:${await freePort()}`;
      const { out, text } = capture();
      const run = await runLocal(
        { profile: 'smoke', baseUrl: service.apiUrl, prometheusUrl: noPrometheus, testId: 'smoke-test-fail', resultsRoot, durations: { HOLD: '3s' }, k6Path: tools.k6 as string },
        { out },
      );
      assert.equal(run.k6ExitCode, 99, text());
      assert.equal(run.exitCode, 99);
      assert.equal(run.report?.verdict, 'failed');
      assert.equal(run.report?.failedRate, 1);
      assert.ok(run.report?.failedThresholds.some((th) => th.metric === 'http_req_failed'));
      assert.match(text(), /THRESHOLDS FAILED \(failed\): .*http_req_failed rate<0\.01/);
      assert.match(text(), /remote write: skipped, no Prometheus ready at/);
      assert.ok(existsSync(path.join(run.resultsDir, 'summary.json')), 'the summary is written when thresholds fail too');
    } finally {
      await service.stop();
    }
  });
});

describe('make load-local: no service', () => {
  test('refuses to start k6 and says how to start items-api', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    await assert.rejects(
      runLocal({ profile: 'smoke', baseUrl: url, prometheusUrl: null, testId: 'smoke-none', resultsRoot }, { out: new PassThrough() }),
      /items-api does not answer at .*\/readyz .*npm start.*make local-up/,
    );
  });
});
