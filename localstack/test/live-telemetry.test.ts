/**
 * Live telemetry: the local stack loading the rules generated from monitoring/ (scrape and
 * evaluation every second), traffic that exercises every series (CRUD, client errors, unknown
 * paths, injected 500s, failing queries), then through Prometheus' HTTP API:
 * - the items-api target is up;
 * - every recording rule has at least one sample, and no rule fails to evaluate;
 * - every dashboard query that needs only the service returns series, with the variables as a
 *   user sets them (namespace, this instance) and as a dashboard opens ("All");
 * - every query that needs a cluster (kube-state-metrics, cAdvisor) or a k6 run is accepted by
 *   Prometheus and returns nothing here, which is what its `needs` says; they are listed with why.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test, type TestContext } from 'node:test';
import { dashboardQueries, substituteVariables, type DashboardQuery } from '../../k8s-dashboards/queries.js';
import { VARIABLES } from '../../k8s-dashboards/variables.js';
import { recordingRuleNames, ruleGroups, toRuleFileYaml } from '../../monitoring/index.js';
import { eq, selector } from '../../monitoring/promql.js';
import { isAlertingRule, type RecordingRule } from '../../monitoring/types.js';
import { APP_NAMESPACE, SCRAPE } from '../../project/constants.js';
import { requireTools } from '../../testing/tools.js';
import { localStackToolNames } from '../binaries.js';
import { SERVICE_MONITOR_TARGET_LABELS } from '../prometheus-config.js';
import { driveSignalTraffic } from '../proof-kit/signal-traffic.js';
import { startLocalStack, TEST_TIMINGS, type LocalStack } from '../local-stack.js';
import { formatTable } from '../../toolkit/text-table.js';
import { formatTraffic, REQUEST_KINDS, startTraffic, type RequestKind, type TrafficResult } from '../traffic.js';

interface Live {
  readonly stack: LocalStack;
  readonly traffic: TrafficResult;
  /** `instance` label of the service's target. */
  readonly instance: string;
}

const SIGNAL_TRAFFIC = { stretchMs: 3_000, concurrency: 4, ratePerSecond: 50 } as const;

let workDir: string | undefined;
let started: Promise<Live> | undefined;

/** The file's stack with traffic already driven; undefined when the tools are missing (skipped). */
async function liveFor(t: TestContext): Promise<Live | undefined> {
  if (!requireTools(t, localStackToolNames())) return undefined;
  started ??= (async () => {
    workDir = await mkdtemp(path.join(tmpdir(), 'live-telemetry-'));
    const rules = path.join(workDir, 'items-api.rules.yaml');
    await writeFile(rules, toRuleFileYaml(ruleGroups()));
    const stack = await startLocalStack({ ...TEST_TIMINGS, ruleFiles: [rules], faultInjection: true });
    try {
      const traffic = await driveSignalTraffic(stack, SIGNAL_TRAFFIC);
      console.log(`live telemetry traffic: ${formatTraffic(traffic)}`);
      const [target] = await stack.prometheus.waitForTargetsUp(SCRAPE.job);
      const instance = target?.labels.instance;
      assert.ok(instance, 'the items-api target has no instance label');
      return { stack, traffic, instance };
    } catch (error) {
      await stack.stop();
      throw error;
    }
  })();
  return started;
}

after(async () => {
  const live = await started?.catch(() => undefined);
  await live?.stack.stop();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

/** A variable value as Grafana inserts it into a regex matcher of a multi-value variable. */
const regexEscaped = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\\\$&');

const recordingRules = (): RecordingRule[] => ruleGroups().flatMap((g) => g.rules.filter((r): r is RecordingRule => !isAlertingRule(r)));

/** `name{label="value", …}` selecting exactly what one recording rule writes. */
const recordedSelector = (rule: RecordingRule) => selector(rule.record, Object.entries(rule.labels ?? {}).map(([k, v]) => eq(k, v)));

test('the traffic driver refuses unbounded or malformed runs', () => {
  const base = { baseUrl: 'http://127.0.0.1:9' };
  assert.throws(() => startTraffic({ ...base, concurrency: 2 }), /give durationMs or maxRequests/);
  assert.throws(() => startTraffic({ ...base, concurrency: 0, durationMs: 1 }), /concurrency must be an integer/);
  assert.throws(() => startTraffic({ ...base, concurrency: 1, durationMs: 1, mix: { lsit: 1 } as Partial<Record<RequestKind, number>> }), /unknown request kind "lsit"/);
  assert.throws(() => startTraffic({ ...base, concurrency: 1, durationMs: 1, ratePerSecond: 0 }), /ratePerSecond must be > 0/);
});

test('the traffic sent every kind of request at the capped rate, and got the answers each kind expects', async (t) => {
  const live = await liveFor(t);
  if (!live) return;
  const { traffic } = live;
  const unsent = (Object.keys(REQUEST_KINDS) as RequestKind[]).filter((kind) => traffic.byKind[kind] === 0);
  assert.deepEqual(unsent, [], `request kinds never sent: ${formatTraffic(traffic)}`);
  // 201 create, 200 read/update, 204 delete, 400 invalid, 404 missing/unknown, 500 injected.
  for (const status of ['200', '201', '204', '400', '404', '500']) {
    assert.ok((traffic.byStatus[status] ?? 0) > 0, `no ${status} answer: ${formatTraffic(traffic)}`);
  }
  assert.equal(traffic.byClass.failed, 0, `requests that got no answer: ${formatTraffic(traffic)}`);
  const rate = traffic.requests / (traffic.elapsedMs / 1000);
  assert.ok(rate <= SIGNAL_TRAFFIC.ratePerSecond * 1.1, `rate cap exceeded: ${rate.toFixed(1)}/s > ${SIGNAL_TRAFFIC.ratePerSecond}/s`);
  assert.ok(rate >= SIGNAL_TRAFFIC.ratePerSecond * 0.5, `far below the rate cap (machine overloaded?): ${rate.toFixed(1)}/s`);
});

test('the items-api target is up, with the labels of a ServiceMonitor target', async (t) => {
  const live = await liveFor(t);
  if (!live) return;
  const up = await live.stack.prometheus.query(`up{job="${SCRAPE.job}", namespace="${APP_NAMESPACE}"}`);
  assert.equal(up.length, 1, `one items-api target expected, got:\n${up.map((s) => JSON.stringify(s.metric)).join('\n')}`);
  assert.equal(up[0]?.value, 1, 'the items-api target is up');
  for (const [label, value] of Object.entries(SERVICE_MONITOR_TARGET_LABELS)) {
    assert.equal(up[0]?.metric[label], value, `target label ${label}`);
  }
});

test('every recording rule has at least one sample, and no rule fails to evaluate', async (t) => {
  const live = await liveFor(t);
  if (!live) return;
  const rules = recordingRules();
  const empty: string[] = [];
  for (const rule of rules) {
    const selector = recordedSelector(rule);
    if ((await live.stack.prometheus.query(selector)).length === 0) empty.push(selector);
  }
  const failing = (await live.stack.prometheus.rules()).flatMap((g) => g.rules).filter((r) => r.health === 'err');
  const names = recordingRuleNames();
  console.log(`recording rules: ${rules.length - empty.length} of ${rules.length} rules (${names.length} distinct names) have samples`);
  assert.deepEqual(empty, [], 'recording rules without a sample');
  assert.deepEqual(failing.map((r) => `${r.name}: ${r.lastError}`), [], 'rules that failed to evaluate');
});

test('every dashboard query returns data, or is accepted and listed when it needs a cluster or k6', async (t) => {
  const live = await liveFor(t);
  if (!live) return;
  const queries = dashboardQueries();
  const chosen = { [VARIABLES.namespace]: APP_NAMESPACE, [VARIABLES.instance]: regexEscaped(live.instance) };
  const rows: string[][] = [];
  const problems: string[] = [];
  const notLocal: DashboardQuery[] = [];
  let withData = 0;
  for (const q of queries) {
    const where = `${q.dashboardUid} / ${q.panelTitle} / ${q.refId}`;
    /** Series with a number (a NaN-only result, e.g. a quantile of nothing, draws no line). */
    const run = async (values: Record<string, string>) => {
      const expr = substituteVariables(q.expr, values);
      try {
        return (await live.stack.prometheus.query(expr)).filter((s) => !Number.isNaN(s.value)).length;
      } catch (error) {
        problems.push(`${where}: rejected: ${(error as Error).message}`);
        return Number.NaN;
      }
    };
    const [mine, all] = [await run(chosen), await run({})];
    if (q.needs === 'service') {
      if (mine > 0 && all > 0) withData++;
      if (mine === 0) problems.push(`${where}: no data with namespace=${APP_NAMESPACE}, instance=${live.instance}\n  ${substituteVariables(q.expr, chosen)}`);
      if (all === 0) problems.push(`${where}: no data with every variable on "All"\n  ${substituteVariables(q.expr)}`);
    } else {
      notLocal.push(q);
      if (mine > 0 || all > 0) problems.push(`${where}: needs ${q.needs} but returned data on the local stack: its needs are wrong`);
      if (!q.reason) problems.push(`${where}: needs ${q.needs} without a reason`);
    }
    const count = (n: number) => (Number.isNaN(n) ? 'ERROR' : String(n));
    rows.push([q.dashboardUid, q.panelTitle, q.refId, q.needs, count(mine), count(all)]);
  }
  const service = queries.filter((q) => q.needs === 'service');
  console.log(['', 'dashboard queries (series with a number, for this namespace and instance / with "All"):', ...formatTable(['dashboard', 'panel', 'ref', 'needs', 'series', 'series All'], rows)].join('\n'));
  console.log(['', `accepted by Prometheus, no data on a local stack (${notLocal.length}):`, ...notLocal.map((q) => `  ${q.dashboardUid} / ${q.panelTitle} / ${q.refId} [${q.needs}]: ${q.reason ?? '(no reason given)'}`), ''].join('\n'));
  console.log(`service queries with data (both variable settings): ${withData} of ${service.length}`);
  assert.ok(service.length > 0, 'no service query found: dashboardQueries() is empty?');
  assert.deepEqual(problems, [], 'dashboard queries that failed');
});

test('the error panels show the injected faults (not only zeros)', async (t) => {
  const live = await liveFor(t);
  if (!live) return;
  // The traffic answered some API requests with 500 and failed some queries: the panels that
  // exist to show that must see it, with a window that covers the faults.
  const withFaults = dashboardQueries().filter((q) => q.needs === 'service' && /status_code=~"5\.\."|outcome="error"/.test(q.expr));
  assert.ok(withFaults.length >= 2, `expected the 5xx and failed-query panels, found: ${withFaults.map((q) => q.panelTitle).join(', ')}`);
  for (const q of withFaults) {
    const samples = await live.stack.prometheus.query(substituteVariables(q.expr, { [VARIABLES.namespace]: APP_NAMESPACE }));
    assert.ok(
      samples.some((s) => s.value > 0),
      `${q.dashboardUid} / ${q.panelTitle} / ${q.refId} shows no failure although the traffic had some:\n${samples.map((s) => `${JSON.stringify(s.metric)} ${s.value}`).join('\n')}`,
    );
  }
});
