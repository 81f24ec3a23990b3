/**
 * Alert proof, part 1 (SLO alerts and the database), on one local stack with the generated rules
 * (`for:` shortened, nothing else changed) and Alertmanager sending to a webhook this test
 * records. Sequential phases under steady traffic (40 requests/s, CRUD with client errors):
 *   (a) normal traffic: no service-side alert is even pending;
 *   (c) injected 500s: the availability page and ticket fire, the latency ones do not;
 *   (d) injected latency above the SLO threshold: the latency page and ticket fire;
 *   (b) PostgreSQL stopped: the database alert fires; started again: it resolves.
 * Each alert is timed from the fault to Prometheus (firing) and to the webhook.
 *
 * Burn-rate timings depend on the history: on a young Prometheus the 1h/6h/1d/3d windows hold
 * only the seconds since start, so the table prints the traffic history each fault met.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ALERTS } from '../../monitoring/index.js';
import { LATENCY_SLO_THRESHOLD_SECONDS } from '../../service/src/metrics/catalog.js';
import { alertProofPerFile } from '../proof-kit/alert-proof-kit.js';
import { ALERT_PROOFS, FAULT_SIZES, alertName, unprovenServiceAlerts } from '../proof-kit/alert-proof-plan.js';
import { durationMs } from '../durations.js';
import { formatTraffic } from '../traffic.js';

const FOR_OVERRIDE = '2s';
const SILENCE_MS = 20_000;
/** Steady traffic: the rate stays put when latency is injected (16 workers / 0.3 s > 40/s). */
const TRAFFIC = { concurrency: 16, ratePerSecond: 40, durationMs: 240_000, requestTimeoutMs: 5_000 } as const;

const SERVICE_ALERTS = ALERTS.filter((a) => !a.clusterOnly).map((a) => a.name);
const AVAILABILITY = [alertName('AvailabilityFastBurn'), alertName('AvailabilitySlowBurn')];
const LATENCY = [alertName('LatencyFastBurn'), alertName('LatencySlowBurn')];
const DATABASE_DOWN = alertName('DatabaseDown');
const TARGET_ABSENT = alertName('TargetAbsent');

/** The file's stack, started by the first test that needs it; undefined when tools are missing (skipped). */
const runFor = alertProofPerFile('alert proof, part 1 (SLO alerts, database)', {
  forOverride: FOR_OVERRIDE,
  // A database outage is noticed within a second, and requests fail fast meanwhile.
  serviceEnv: { DB_CHECK_INTERVAL_MS: '500', DB_CONNECT_TIMEOUT_MS: '500' },
  traffic: TRAFFIC,
});

test('every service-side alert has a planned live proof', () => {
  assert.deepEqual(unprovenServiceAlerts(), [], 'add it to localstack/alert-proof-plan.ts and to a phase of an alert-proof test');
  for (const proof of ALERT_PROOFS) {
    assert.equal(ALERTS.find((a) => a.name === proof.alert)?.clusterOnly, false, `${proof.alert} is cluster-only: a local stack cannot prove it`);
  }
  assert.ok(FAULT_SIZES.latencyMs / 1000 > LATENCY_SLO_THRESHOLD_SECONDS, 'the injected latency must exceed the latency SLO threshold');
});

test('(a) under normal traffic no service-side alert is pending or firing', async (t) => {
  const run = await runFor(t);
  if (!run) return;
  const { prometheus } = run.stack;
  // Silence proves nothing unless every alert is loaded (with the shortened for:).
  const loaded = (await prometheus.rules()).flatMap((g) => g.rules).filter((r) => r.type === 'alerting');
  for (const name of SERVICE_ALERTS) {
    const rule = loaded.find((r) => r.name === name);
    assert.ok(rule, `alert ${name} is not loaded in Prometheus`);
    assert.equal(rule.duration, durationMs(FOR_OVERRIDE) / 1000, `${name}: for: is the override ${FOR_OVERRIDE}`);
  }
  // Rules may be evaluated before the first scrape's samples are there: `absent(up == 1)` is then
  // true, and with a 2 s `for:` (5m in production) the absent alert can fire for a moment. That
  // one transient may be present at the start and must clear by itself; nothing else may.
  const selector = `ALERTS{alertname=~"${SERVICE_ALERTS.join('|')}"}`;
  const atStart = (await prometheus.query(selector)).map((s) => s.metric.alertname ?? '?');
  assert.deepEqual(atStart.filter((name) => name !== TARGET_ABSENT), [], 'alerts active as the traffic starts (only the startup transient of the absent alert is allowed)');
  if (atStart.length > 0) {
    t.diagnostic(`startup transient: ${atStart.join(', ')} (evaluated before the first scrape) cleared, then silence was checked`);
    await prometheus.waitFor(selector, (samples) => samples.length === 0, { timeoutMs: 15_000, description: `${TARGET_ABSENT} to clear once the target's first samples are in` });
  }
  await prometheus.holdsFor(selector, (samples) => samples.length === 0, {
    durationMs: SILENCE_MS,
    intervalMs: 1_000,
    description: `no service-side alert pending or firing during ${SILENCE_MS / 1000} s of normal traffic`,
  });
  // ... and unless they evaluate without error.
  const failing = (await prometheus.rules()).flatMap((g) => g.rules).filter((r) => r.health === 'err');
  assert.deepEqual(failing.map((r) => `${r.name}: ${r.lastError}`), [], 'rules that failed to evaluate');
  const traffic = run.traffic.snapshot();
  t.diagnostic(`normal traffic: ${formatTraffic(traffic)}`);
  assert.ok(traffic.requests >= (TRAFFIC.ratePerSecond * SILENCE_MS) / 1000 / 2, `too little traffic to prove silence: ${formatTraffic(traffic)}`);
  assert.equal(traffic.byClass['5xx'] + traffic.byClass.failed, 0, `normal traffic must not fail: ${formatTraffic(traffic)}`);
  assert.ok(traffic.byClass['4xx'] > 0, 'normal traffic includes client errors, which must not count against the SLO');
});

test('(c) injected 500s fire the availability page and ticket, and no latency alert', async (t) => {
  const run = await runFor(t);
  if (!run) return;
  try {
    await run.proveFiring(AVAILABILITY, () => run.stack.setFaults({ errorRate: FAULT_SIZES.errorRate }).then(() => undefined));
    // Fast failures are not slow requests: each SLO answers one question.
    assert.deepEqual(await run.active(LATENCY), [], 'latency alerts must stay silent while only errors are injected');
  } finally {
    await run.stack.setFaults({ errorRate: 0 });
  }
});

test('(d) latency above the SLO threshold fires the latency page and ticket', async (t) => {
  const run = await runFor(t);
  if (!run) return;
  try {
    await run.proveFiring(LATENCY, () => run.stack.setFaults({ latencyMs: FAULT_SIZES.latencyMs }).then(() => undefined));
  } finally {
    await run.stack.setFaults({ latencyMs: 0 });
  }
});

test('(b) PostgreSQL stopped fires the database alert; started again, it resolves', async (t) => {
  const run = await runFor(t);
  if (!run) return;
  assert.deepEqual(await run.active([DATABASE_DOWN]), [], `${DATABASE_DOWN} before the outage`);
  let down = false;
  try {
    await run.proveFiring([DATABASE_DOWN], async () => {
      await run.stack.stopDatabase();
      down = true;
    });
    await run.proveResolved(
      [DATABASE_DOWN],
      async () => {
        await run.stack.startDatabase();
        down = false;
      },
      'PostgreSQL started again',
    );
  } finally {
    if (down) await run.stack.startDatabase();
  }
});
