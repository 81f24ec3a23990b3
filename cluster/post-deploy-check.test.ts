/**
 * The post-deploy check against a TEST DOUBLE of the Kubernetes API server (no cluster runs
 * here): the real @kubernetes/client-node, a real kubeconfig and real HTTP, with the double
 * serving workloads, the Grafana Secret, and Prometheus/Grafana behind the service proxy.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import { APP_NAMESPACE, KUBE_PROMETHEUS_STACK, SCRAPE } from '../project/constants.js';
import type { Finding } from './checks/findings.js';
import { projectExpectations, type ProjectExpectations } from './expectations.js';
import { projectChecks, runPostDeployCheck } from './post-deploy-check.js';
import { STACK } from '../project/kube-prometheus-stack.js';
import { type FakeApiServer, healthyState, startFakeApiServer } from './test-doubles/api-server.js';

const ROOT = path.resolve(import.meta.dirname, '..');

const EXPECT: ProjectExpectations = {
  alertNames: ['ItemsApiTargetDown', 'ItemsApiErrorBudgetBurn'],
  ruleGroupNames: ['items-api-slo-availability', 'items-api-alerts'],
  dashboards: [
    { uid: 'items-api-overview', title: 'Items API / Overview' },
    { uid: 'items-api-database', title: 'Items API / Database' },
  ],
};

let api: FakeApiServer;
let dir: string;
let kc: KubeConfig;

before(async () => {
  api = await startFakeApiServer();
  dir = await mkdtemp(path.join(tmpdir(), 'post-deploy-check-'));
  kc = new KubeConfig();
  kc.loadFromFile(await api.writeKubeconfig(path.join(dir, 'kubeconfig')));
});
after(async () => {
  await api.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  api.state = healthyState(EXPECT);
  api.requests.length = 0;
  api.proxied.length = 0;
});

/** One attempt, no retry: what the check reports for the double's current state. */
async function checkOnce(expect: ProjectExpectations = EXPECT) {
  const lines: string[] = [];
  const outcome = await runPostDeployCheck({ checks: projectChecks(kc, expect), timeoutMs: 0, intervalMs: 1000, log: (l) => lines.push(l) });
  return { ...outcome, lines, failures: outcome.findings.filter((f) => f.level === 'fail') };
}

const details = (findings: readonly Finding[]): string => findings.map((f) => `${f.check}: ${f.detail}`).join('\n');

describe('post-deploy check (test double API server)', () => {
  test('passes on a healthy cluster and prints a summary table', async () => {
    const { ok, lines, failures, attempts } = await checkOnce();
    assert.equal(ok, true, details(failures));
    assert.equal(attempts, 1);
    const text = lines.join('\n');
    assert.match(text, /post-deploy check passed/);
    assert.match(text, /check\s+result/);
    assert.match(text, new RegExp(`rollout\\s+deployment ${APP_NAMESPACE}/items-api: 2/2 ready`));
    assert.match(text, new RegExp(`prometheus-target\\s+job="${SCRAPE.job}" .*: up`));
    assert.match(text, /prometheus-rules\s+2 groups, .* all 2 alerts present/);
    assert.match(text, /prometheus-alerts\s+no project alert firing/);
    assert.match(text, /grafana-dashboards\s+dashboard items-api-database \("Items API \/ Database"\) in folder "Items API"/);
    // Watchdog and InfoInhibitor fire by design: not even a note.
    assert.doesNotMatch(text, /Watchdog|InfoInhibitor/);
  });

  test('talks to Prometheus and Grafana only through the API server service proxy, logged in by cookie', async () => {
    await checkOnce();
    const proxyPrefix = `/api/v1/namespaces/${STACK.namespace}/services/http:`;
    const proxiedPaths = api.requests.filter((r) => r.path.includes('/proxy/')).map((r) => r.path);
    assert.ok(proxiedPaths.every((p) => p.startsWith(proxyPrefix)), proxiedPaths.join('\n'));
    assert.ok(proxiedPaths.some((p) => p.includes(`${STACK.prometheus.service}:${STACK.prometheus.port}/proxy/api/v1/targets`)));
    const search = api.proxied.find((r) => r.path.startsWith('/api/search'));
    assert.ok(search, 'Grafana search was called');
    assert.match(search.headers.cookie ?? '', /grafana_session=/);
    assert.equal(search.headers.authorization, undefined);
  });

  test('a missing items-api target fails with one line naming the job', async () => {
    api.state.targets = api.state.targets.filter((t) => t.labels.job !== SCRAPE.job);
    const { ok, failures } = await checkOnce();
    assert.equal(ok, false);
    assert.equal(failures.length, 1, details(failures));
    assert.equal(failures[0]?.check, 'prometheus-target');
    assert.match(failures[0]?.detail ?? '', new RegExp(`no target with job="${SCRAPE.job}" in namespace ${APP_NAMESPACE}`));
  });

  test('a target that is down fails with its scrape error', async () => {
    api.state.targets.push({ labels: { job: 'postgres-exporter', namespace: APP_NAMESPACE, pod: 'postgres-0' }, scrapeUrl: 'http://10.244.1.9:9187/metrics', health: 'down', lastError: 'connection refused' });
    const { ok, failures } = await checkOnce();
    assert.equal(ok, false);
    assert.deepEqual(failures.map((f) => f.detail), ['job="postgres-exporter" postgres-0: down (connection refused)']);
  });

  test('missing rules fail: each missing group, and the alerts that are not loaded', async () => {
    api.state.ruleGroups = api.state.ruleGroups.filter((g) => g.name !== 'items-api-alerts');
    const { ok, failures } = await checkOnce();
    assert.equal(ok, false);
    assert.deepEqual(
      failures.map((f) => f.detail),
      ['rule group "items-api-alerts" is not loaded: is the PrometheusRule applied, and selected?', 'alerting rules not loaded: ItemsApiTargetDown, ItemsApiErrorBudgetBurn'],
    );
  });

  test('a rule that fails to evaluate fails with its error', async () => {
    const group = api.state.ruleGroups[0];
    assert.ok(group);
    api.state.ruleGroups[0] = { ...group, rules: [{ name: 'slo:sli_error:ratio_rate5m', type: 'recording', health: 'err', lastError: 'vector contains metrics with the same labelset' }] };
    const { failures } = await checkOnce();
    assert.deepEqual(failures.map((f) => f.detail), [`rule slo:sli_error:ratio_rate5m in group ${group.name} fails to evaluate: vector contains metrics with the same labelset`]);
  });

  test('a missing dashboard and a dashboard in the wrong folder fail, one line each', async () => {
    api.state.dashboards = api.state.dashboards.filter((d) => d.uid !== 'items-api-overview').map((d) => (d.uid === 'items-api-database' ? { ...d, folderTitle: undefined } : d));
    const { ok, failures } = await checkOnce();
    assert.equal(ok, false);
    assert.equal(failures.length, 2, details(failures));
    assert.match(failures[0]?.detail ?? '', /dashboard items-api-overview \("Items API \/ Overview"\) not found in Grafana \(is its ConfigMap labelled grafana_dashboard=1 and annotated grafana_folder\?\)/);
    assert.equal(failures[1]?.detail, `dashboard items-api-database ("Items API / Database") is in folder "General", expected "${KUBE_PROMETHEUS_STACK.dashboardFolder}"`);
  });

  test('a firing project alert fails (its own rules, or any alert about its namespace); a firing cluster alert is only a note', async () => {
    api.state.alerts.push(
      { labels: { alertname: 'ItemsApiErrorBudgetBurn', severity: 'critical' }, annotations: { summary: 'items-api burns its error budget 14x too fast' }, state: 'firing' },
      { labels: { alertname: 'ItemsApiTargetDown', severity: 'critical' }, annotations: {}, state: 'pending' },
      { labels: { alertname: 'KubePodCrashLooping', severity: 'warning', namespace: APP_NAMESPACE }, annotations: { summary: 'Pod is crash looping.' }, state: 'firing' },
      { labels: { alertname: 'KubeCPUOvercommit', severity: 'warning' }, annotations: {}, state: 'firing' },
    );
    const { ok, failures, findings } = await checkOnce();
    assert.equal(ok, false);
    assert.deepEqual(failures.map((f) => f.detail), [
      'alert firing: ItemsApiErrorBudgetBurn (critical): items-api burns its error budget 14x too fast',
      'alert firing: KubePodCrashLooping (warning): Pod is crash looping.',
    ]);
    assert.deepEqual(findings.filter((f) => f.level === 'note').map((f) => f.detail), ['firing outside the project (not failing this check): KubeCPUOvercommit (warning)']);

    api.state.alerts = api.state.alerts.filter((a) => !['ItemsApiErrorBudgetBurn', 'KubePodCrashLooping'].includes(a.labels.alertname ?? ''));
    const again = await checkOnce();
    assert.equal(again.ok, true, details(again.failures));
    assert.match(again.lines.join('\n'), /note \(prometheus-alerts\): firing outside the project \(not failing this check\): KubeCPUOvercommit \(warning\)/);
  });

  test('an incomplete rollout fails naming the workload and its counts', async () => {
    api.state.deployments = [{ name: 'items-api', replicas: 2, ready: 1, updated: 1 }];
    const { ok, failures } = await checkOnce();
    assert.equal(ok, false);
    assert.deepEqual(failures.map((f) => f.detail), [
      `deployment ${APP_NAMESPACE}/items-api: rollout incomplete (1/2 ready, 1/2 updated, 1 old replica(s) still running); see \`kubectl -n ${APP_NAMESPACE} describe deployment items-api\``,
    ]);
  });

  test('no workloads at all fails', async () => {
    api.state.deployments = [];
    api.state.statefulSets = [];
    const { failures } = await checkOnce();
    assert.deepEqual(failures.map((f) => f.detail), [`no Deployments or StatefulSets in namespace ${APP_NAMESPACE}: were the manifests applied?`]);
  });

  test('Prometheus without a ready pod: the API server 503 becomes one line per Prometheus check', async () => {
    api.state.prometheusReady = false;
    const { failures } = await checkOnce();
    assert.deepEqual(failures.map((f) => f.check), ['prometheus-target', 'prometheus-rules', 'prometheus-alerts']);
    assert.match(failures[0]?.detail ?? '', /HTTP 503 .*no endpoints available for service/);
  });

  test('a Grafana password that does not match the Secret fails the dashboards check with the login error', async () => {
    api.state.grafanaLogin = { user: 'admin', password: 'changed-in-the-ui' };
    const { failures } = await checkOnce();
    assert.equal(failures.length, 1, details(failures));
    assert.equal(failures[0]?.check, 'grafana-dashboards');
    assert.match(failures[0]?.detail ?? '', /^Grafana login as admin failed \(HTTP 401 .*\): is the admin Secret the one Grafana was installed with\?$/);
  });

  test('a missing Grafana Service: the API server 404 is named as such, not blamed on the admin Secret', async () => {
    api.state.missingServices = [STACK.grafana.service];
    const { failures } = await checkOnce();
    assert.deepEqual(failures.map((f) => f.detail), [
      `the Grafana Service ${STACK.namespace}/${STACK.grafana.service} is missing: the API server answered HTTP 404 "services "${STACK.grafana.service}" not found"; is kube-prometheus-stack installed and Grafana running? \`kubectl -n ${STACK.namespace} get svc,pods\``,
    ]);
  });

  test('Grafana without a ready pod: the API server 503 says so, not blamed on the admin Secret', async () => {
    api.state.grafanaReady = false;
    const { failures } = await checkOnce();
    assert.equal(failures.length, 1, details(failures));
    assert.match(failures[0]?.detail ?? '', new RegExp(`^the Grafana Service ${STACK.namespace}/${STACK.grafana.service} has no ready pod: the API server answered HTTP 503 "no endpoints available for service "${STACK.grafana.service}""; .*\`kubectl -n ${STACK.namespace} get svc,pods\`$`));
    assert.doesNotMatch(failures[0]?.detail ?? '', /admin Secret/);
  });

  test('a missing Grafana admin Secret is named', async () => {
    delete api.state.grafanaAdmin;
    const { failures } = await checkOnce();
    assert.deepEqual(failures.map((f) => f.detail), ['Secret monitoring/grafana-admin not found: `make kind-up` creates it before installing Grafana']);
  });

  test('retries until the cluster settles, within the deadline', async () => {
    api.state.targets = api.state.targets.map((t) => ({ ...t, health: 'unknown' as const }));
    const lines: string[] = [];
    let clock = 0;
    const outcome = await runPostDeployCheck({
      checks: projectChecks(kc, EXPECT),
      timeoutMs: 60_000,
      intervalMs: 5_000,
      log: (l) => lines.push(l),
      now: () => clock,
      sleep: async (ms) => {
        clock += ms;
        api.state = healthyState(EXPECT); // the first scrape happened
      },
    });
    assert.equal(outcome.ok, true);
    assert.equal(outcome.attempts, 2);
    assert.match(lines[0] ?? '', /post-deploy check: 1 problem\(s\), e\.g\. prometheus-target: .*not scraped yet.*; retrying \(60s left\)/);
  });

  test('gives up at the deadline with one FAIL line per remaining problem', async () => {
    api.state.deployments = [{ name: 'items-api', replicas: 2, ready: 0, updated: 2 }];
    delete api.state.grafanaAdmin;
    const lines: string[] = [];
    let clock = 0;
    let sleeps = 0;
    const outcome = await runPostDeployCheck({
      checks: projectChecks(kc, EXPECT),
      timeoutMs: 20_000,
      intervalMs: 5_000,
      log: (l) => lines.push(l),
      now: () => clock,
      sleep: async (ms) => {
        sleeps++;
        clock += ms;
      },
    });
    assert.equal(outcome.ok, false);
    assert.equal(sleeps, 4);
    assert.equal(outcome.attempts, 5);
    const failLines = lines.filter((l) => l.startsWith('  FAIL '));
    assert.deepEqual(failLines.map((l) => l.split(':')[0]), ['  FAIL rollout', '  FAIL grafana-dashboards']);
    assert.match(lines.join('\n'), /post-deploy check FAILED \(2 problem\(s\) after 5 attempt\(s\)\)/);
  });

  test('attempts are bounded in count too, whatever the clock says', async () => {
    api.state.deployments = [];
    api.state.statefulSets = [];
    const outcome = await runPostDeployCheck({
      checks: projectChecks(kc, EXPECT),
      timeoutMs: 3_600_000,
      intervalMs: 1,
      maxAttempts: 3,
      log: () => {},
      now: () => 0,
      sleep: async () => {},
    });
    assert.deepEqual([outcome.ok, outcome.attempts], [false, 3]);
  });

  test('`cluster/cli.ts check` with the project catalogues: exits 0 when healthy, 1 with the failure lines', async () => {
    // The CLI reads monitoring/index.ts and k8s-dashboards/index.ts itself: shape the double from the same.
    api.state = healthyState(projectExpectations());
    const run = promisify(execFile);
    const env = { ...process.env, KUBECONFIG: path.join(dir, 'kubeconfig') };
    const cli = ['--import', 'tsx', 'cluster/cli.ts', 'check', '--timeout', '0'];
    const healthy = await run(process.execPath, cli, { cwd: ROOT, env });
    assert.match(healthy.stdout, /post-deploy check passed/);

    api.state.targets = [];
    const failed = await run(process.execPath, cli, { cwd: ROOT, env }).then(
      () => assert.fail('check should exit 1'),
      (error: { code: number; stdout: string }) => error,
    );
    assert.equal(failed.code, 1);
    assert.match(failed.stdout, new RegExp(`  FAIL prometheus-target: no target with job="${SCRAPE.job}"`));
  });
});
