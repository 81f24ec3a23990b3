/**
 * The local stack with real binaries: one stack for the file (scrape and evaluation every second),
 * started by the first test that needs it. Proves the ServiceMonitor-equivalent target labels,
 * rules and the Prometheus -> Alertmanager -> webhook path, remote write, the database switch and
 * fault injection, and that a failed start shows the failing component's log and leaves nothing.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test, type TestContext } from 'node:test';
import { stringify } from 'yaml';
import { APP_NAMESPACE, SCRAPE } from '../../project/constants.js';
import { METRICS } from '../../service/src/metrics/catalog.js';
import { requireTools } from '../../testing/tools.js';
import { WEBHOOK_RECEIVER } from '../alertmanager-config.js';
import { localStackToolNames } from '../binaries.js';
import { SERVICE_MONITOR_TARGET_LABELS } from '../prometheus-config.js';
import { PrometheusApiError } from '../../toolkit/prometheus-api/answer.js';
import { startLocalStack, TEST_TIMINGS, type LocalStack } from '../local-stack.js';
import { startWebhookReceiver, type WebhookReceiver } from '../proof-kit/webhook-receiver.js';
import { remoteWriteSample } from './support/remote-write.js';
import { processesMentioning, waitForExit } from './support/processes.js';

const TOOLS = localStackToolNames();
const SELECTOR = `job="${SCRAPE.job}", namespace="${APP_NAMESPACE}"`;
const RECORDED = 'localstack_test:http_requests:sum';
const ALERT = 'LocalStackTestAlert';

/** A small rule file in the shape of the generated one: one recording rule, one alert on it. */
const TEST_RULES = stringify({
  groups: [
    {
      name: 'localstack-test',
      rules: [
        { record: RECORDED, expr: `sum by (job, namespace) (${METRICS.httpRequestsTotal.name}{${SELECTOR}})` },
        {
          alert: ALERT,
          expr: `${RECORDED} > 0`,
          labels: { severity: 'info' },
          annotations: { summary: 'items-api served requests', description: 'Fires as soon as any request is counted.', runbook_url: 'https://example.invalid/runbook' },
        },
      ],
    },
  ],
});

let workDir: string | undefined;
let webhook: WebhookReceiver | undefined;
let started: Promise<LocalStack> | undefined;

/** The file's stack, started once; undefined when the tools are missing (the test is then skipped). */
async function stackFor(t: TestContext): Promise<LocalStack | undefined> {
  if (!requireTools(t, TOOLS)) return undefined;
  started ??= (async () => {
    workDir = await mkdtemp(path.join(tmpdir(), 'localstack-test-'));
    const rules = path.join(workDir, 'test.rules.yaml');
    await writeFile(rules, TEST_RULES);
    webhook = await startWebhookReceiver();
    return startLocalStack({
      ...TEST_TIMINGS,
      ruleFiles: [rules],
      alertmanagerWebhookUrl: webhook.url,
      faultInjection: true,
      serviceEnv: { DB_CHECK_INTERVAL_MS: '500', DB_CONNECT_TIMEOUT_MS: '500' },
    });
  })();
  return started;
}

after(async () => {
  const stack = await started?.catch(() => undefined);
  await stack?.stop();
  await webhook?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

const json = (body: unknown, method = 'POST'): RequestInit => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

test('Prometheus scrapes items-api with the labels a ServiceMonitor target gets, and sees its traffic', async (t) => {
  const stack = await stackFor(t);
  if (!stack) return;
  const targets = (await stack.prometheus.targets()).filter((target) => target.labels.job === SCRAPE.job);
  assert.equal(targets.length, 1);
  const [target] = targets;
  assert.equal(target?.health, 'up');
  assert.deepEqual(target?.labels, {
    ...SERVICE_MONITOR_TARGET_LABELS,
    job: SCRAPE.job,
    instance: `127.0.0.1:${stack.ports.metrics}`,
  });
  assert.equal(target?.scrapeUrl, `${stack.metricsUrl}${SCRAPE.path}`);

  assert.equal((await fetch(`${stack.apiUrl}/items`, json({ name: 'scraped', price: 1 }))).status, 201);
  assert.equal((await fetch(`${stack.apiUrl}/items?limit=5`)).status, 200);
  const samples = await stack.prometheus.waitFor(
    `${METRICS.httpRequestsTotal.name}{${SELECTOR}, route="/items", method="POST", status_code="201"}`,
    (s) => s.length === 1 && s[0]!.value >= 1,
    { timeoutMs: 15_000 },
  );
  const { __name__, method, route, status_code, ...targetLabels } = samples[0]!.metric;
  assert.deepEqual({ __name__, method, route, status_code }, { __name__: METRICS.httpRequestsTotal.name, method: 'POST', route: '/items', status_code: '201' });
  assert.deepEqual(targetLabels, { ...SERVICE_MONITOR_TARGET_LABELS, job: SCRAPE.job, instance: `127.0.0.1:${stack.ports.metrics}` });
});

test('the Prometheus client names the expression Prometheus rejected; waitFor and holdsFor fail showing the last result', async (t) => {
  const stack = await stackFor(t);
  if (!stack) return;
  await assert.rejects(stack.prometheus.query('sum(rate(http_requests_total[5m])'), (error: unknown) => {
    assert.ok(error instanceof PrometheusApiError);
    assert.equal(error.errorType, 'bad_data');
    assert.match(error.message, /sum\(rate\(http_requests_total\[5m\]\)/);
    return true;
  });
  await assert.rejects(stack.prometheus.waitFor(`${METRICS.dbUp.name}{${SELECTOR}}`, () => false, { timeoutMs: 1_500, description: 'the impossible' }), (error: Error) => {
    assert.match(error.message, /timed out after 1500 ms waiting for the impossible/);
    assert.match(error.message, /last result:\ndb_up\{.*namespace="items".*\} 1/);
    return true;
  });
  const held = await stack.prometheus.holdsFor(`${METRICS.dbUp.name}{${SELECTOR}}`, (s) => s[0]?.value === 1, { durationMs: 1_500, intervalMs: 500 });
  assert.equal(held[0]?.value, 1);
  await assert.rejects(stack.prometheus.holdsFor(`${METRICS.dbUp.name}{${SELECTOR}}`, (s) => s.length === 0, { durationMs: 5_000, description: 'no db_up series' }), (error: Error) => {
    assert.match(error.message, /no db_up series did not hold \(after \d+ ms of 5000\)/);
    assert.match(error.message, /result:\ndb_up\{/);
    return true;
  });
});

test('a recording rule and an alert from a rule file evaluate; the alert reaches Alertmanager and the webhook', async (t) => {
  const stack = await stackFor(t);
  if (!stack) return;
  await fetch(`${stack.apiUrl}/items?limit=1`);
  const recorded = await stack.prometheus.waitFor(RECORDED, (s) => s.length === 1 && s[0]!.value > 0, { timeoutMs: 15_000 });
  assert.deepEqual(recorded[0]?.metric, { __name__: RECORDED, job: SCRAPE.job, namespace: APP_NAMESPACE });

  const groups = await stack.prometheus.rules();
  const rules = groups.flatMap((g) => g.rules);
  assert.deepEqual(rules.map((r) => [r.type, r.name, r.health]), [
    ['recording', RECORDED, 'ok'],
    ['alerting', ALERT, 'ok'],
  ]);

  const firing = await stack.prometheus.waitForAlert(ALERT, { timeoutMs: 15_000 });
  assert.equal(firing.labels.namespace, APP_NAMESPACE);
  const held = await stack.alertmanager.waitForAlert(ALERT, { timeoutMs: 15_000 });
  assert.equal(held.labels.severity, 'info');
  const notification = await webhook!.waitForAlert(ALERT, { timeoutMs: 20_000 });
  assert.equal(notification.receiver, WEBHOOK_RECEIVER);
  assert.equal(notification.status, 'firing');
  assert.deepEqual(notification.groupLabels, { alertname: ALERT, namespace: APP_NAMESPACE });
  const alert = notification.alerts.find((a) => a.labels.alertname === ALERT);
  assert.equal(alert?.annotations.summary, 'items-api served requests');
  assert.equal(alert?.labels.job, SCRAPE.job);
  assert.ok(alert?.generatorURL.startsWith(stack.prometheusUrl), `generatorURL ${alert?.generatorURL} links to this Prometheus`);
});

test('Prometheus accepts remote write (the path k6 uses)', async (t) => {
  const stack = await stackFor(t);
  if (!stack) return;
  const testid = randomUUID();
  const res = await remoteWriteSample(stack.prometheusUrl, { __name__: 'localstack_remote_write_test', testid }, 42);
  assert.equal(res.status, 204, await res.text());
  const samples = await stack.prometheus.waitFor(`localstack_remote_write_test{testid="${testid}"}`, (s) => s.length === 1, { timeoutMs: 10_000 });
  assert.equal(samples[0]?.value, 42);
});

test('stopDatabase/startDatabase: db_up goes to 0 under the running service, then back to 1', async (t) => {
  const stack = await stackFor(t);
  if (!stack) return;
  const dbUp = `${METRICS.dbUp.name}{${SELECTOR}}`;
  await stack.prometheus.waitFor(dbUp, (s) => s[0]?.value === 1, { timeoutMs: 10_000 });
  const postgresPid = stack.pids().postgres;
  assert.ok(postgresPid);
  await stack.stopDatabase();
  assert.equal(stack.pids().postgres, undefined);
  assert.deepEqual(await waitForExit([postgresPid], 5_000), [], 'the postmaster exited');
  await stack.prometheus.waitFor(dbUp, (s) => s[0]?.value === 0, { timeoutMs: 15_000, description: 'db_up 0 while the database is stopped' });
  assert.equal((await fetch(`${stack.apiUrl}/items`)).status, 503);

  await stack.startDatabase();
  assert.ok(stack.pids().postgres);
  await stack.prometheus.waitFor(dbUp, (s) => s[0]?.value === 1, { timeoutMs: 15_000, description: 'db_up 1 once the database is back' });
  assert.equal((await fetch(`${stack.apiUrl}/items`)).status, 200);
});

test('setFaults changes the running service: injected errors show up in Prometheus', async (t) => {
  const stack = await stackFor(t);
  if (!stack) return;
  assert.deepEqual(await stack.setFaults({ errorRate: 1 }), { errorRate: 1, latencyMs: 0, dbDelayMs: 0 });
  try {
    assert.equal((await fetch(`${stack.apiUrl}/items`)).status, 500);
  } finally {
    await stack.setFaults({ errorRate: 0 });
  }
  assert.equal((await fetch(`${stack.apiUrl}/items`)).status, 200);
  await stack.prometheus.waitFor(`${METRICS.httpRequestsTotal.name}{${SELECTOR}, route="/items", status_code="500"}`, (s) => s.length === 1, { timeoutMs: 15_000 });
  await assert.rejects(stack.setFaults({ errorRate: 2 }), /HTTP 400/);
});

test('a component that fails to start: the error carries its log, and nothing started is left running', async (t) => {
  if (!requireTools(t, TOOLS)) return;
  const dataDir = await mkdtemp(path.join(tmpdir(), 'localstack-fail-'));
  try {
    await assert.rejects(
      startLocalStack({ ...TEST_TIMINGS, ruleFiles: [], dataDir, serviceEnv: { DB_POOL_MAX: 'many' }, warn: () => undefined }),
      (error: Error) => {
        assert.match(error.message, /items-api exited \(code 1\) before items-api \/readyz/);
        assert.match(error.message, /DB_POOL_MAX must be a number/, 'the service log is in the message');
        return true;
      },
    );
    assert.deepEqual(processesMentioning(dataDir), [], 'PostgreSQL and Alertmanager were stopped');
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
