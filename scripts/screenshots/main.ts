/**
 * `make screenshots`: regenerates screenshots/ from a real run.
 *
 *   1. local stack (the committed rule file, unchanged; fault injection on) + steady CRUD traffic;
 *   2. history for the graph, the k6 smoke profile (HTML report, remote write), more history;
 *   3. Chromium captures: targets, /metrics, graph, /docs, k6 report;
 *   4. injected HTTP 500s until the availability fast-burn alert fires: Prometheus alerts page,
 *      the alert in Alertmanager;
 *   5. when the kind cluster answers: Grafana dashboards (otherwise it says they were skipped);
 *   6. everything stopped, then the checked PNGs and the README replace screenshots/.
 *
 * Exit code 0 when every local shot was taken, 1 otherwise (screenshots/ then stays as it was),
 * 130 on Ctrl-C. Every wait is bounded; everything started is stopped, also on failure.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveBinary } from '../../localstack/binaries.js';
import type { LocalStack } from '../../localstack/local-stack.js';
import { startTraffic, formatTraffic } from '../../localstack/traffic.js';
import { findTool } from '../../toolkit/find-tool.js';
import { chromiumPath, openBrowser, VIEWPORT, type ScreenshotBrowser } from './browser.js';
import { capture } from './capture.js';
import { ALERTS } from '../../monitoring/index.js';
import { CLUSTER_SHOTS, ERROR_RATE, FIRING_ALERT, LOCAL_SHOTS, README_FILE, SCREENSHOTS_DIR, type LocalShotId } from './catalog.js';
import { Cleanup } from './cleanup.js';
import { probeCluster, type ClusterAccess } from './cluster-access.js';
import { loginToGrafana, openDashboard } from './grafana-pages.js';
import { checkClassicUi, GRAPH_RANGE_SECONDS, GRAPH_RATE_WINDOW_SECONDS, LOCAL_PAGES, type LocalPageContext } from './local-pages.js';
import { RULE_FILE, runSmoke, SCRAPE_INTERVAL, startStack, startStackTraffic, waitForMoreHistory } from './local-run.js';
import { publish } from './publish.js';
import type { RunFacts, RunSettings } from './readme.js';
import { ALERT_TIMEOUT_MS, CLUSTER_TRAFFIC, GRAFANA_FROM, RUN, STEP_TIMEOUT_MS } from './settings.js';
import { collectVersions } from './versions.js';

const started = Date.now();
const log = (line: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}`);

const PRE_FAULT_SHOTS: readonly LocalShotId[] = ['targets', 'metrics', 'graph', 'apiDocs', 'k6Report'];
const ALERT_SHOTS: readonly LocalShotId[] = ['alerts', 'alertmanager'];

/** Every tool the run needs, checked before anything starts. */
function preflight(): void {
  const problems: string[] = [];
  const check = (what: () => unknown) => {
    try {
      what();
    } catch (error) {
      problems.push((error as Error).message);
    }
  };
  check(() => chromiumPath());
  check(() => resolveBinary('prometheus'));
  check(() => resolveBinary('alertmanager'));
  // findTool looks where the runner's DEFAULT_K6 does: ./bin first, then PATH.
  if (!findTool('k6')) problems.push('k6 not found: run `make tools`');
  if (problems.length > 0) throw new Error(`cannot take screenshots:\n  - ${problems.join('\n  - ')}`);
}

async function shoot(browser: ScreenshotBrowser, ids: readonly LocalShotId[], ctx: LocalPageContext, stagingDir: string): Promise<void> {
  for (const id of ids) {
    const shot = LOCAL_SHOTS[id];
    const page = await browser.newPage();
    try {
      const options = await LOCAL_PAGES[id](page, ctx);
      const info = await capture(page, path.join(stagingDir, shot.file), options ?? {});
      log(`captured ${shot.file} (${info.width}x${info.height}, ${Math.round(info.bytes / 1024)} KiB)`);
    } catch (error) {
      throw new Error(`${shot.file}: ${(error as Error).message}`);
    } finally {
      await page.close();
    }
  }
}

/** One shot per project dashboard. A failing dashboard fails the run: the cluster was up, so it should work. */
async function shootGrafana(browser: ScreenshotBrowser, access: ClusterAccess, stagingDir: string): Promise<void> {
  await loginToGrafana(browser.context, access.grafanaUrl, access.credentials);
  for (const shot of CLUSTER_SHOTS) {
    const page = await browser.newPage();
    try {
      const empty = await openDashboard(page, access.grafanaUrl, { uid: shot.uid, from: GRAFANA_FROM, timeoutMs: STEP_TIMEOUT_MS });
      const info = await capture(page, path.join(stagingDir, shot.file), { fitContent: false });
      log(`captured ${shot.file} (${info.width}x${info.height})${empty.length > 0 ? `; panels with "No data": ${empty.join(', ')}` : ''}`);
    } catch (error) {
      throw new Error(`${shot.file}: ${(error as Error).message}`);
    } finally {
      await page.close();
    }
  }
}

/** The run; `workDir` holds the rule file, k6's results and the staged PNGs (removed by the caller). */
async function main(cleanup: Cleanup, abort: AbortSignal, workDir: string): Promise<void> {
  preflight();
  const stagingDir = path.join(workDir, 'png');
  const k6Dir = path.join(workDir, 'k6');
  await Promise.all([mkdir(stagingDir), mkdir(k6Dir)]);

  const cluster = await probeCluster(log);
  let grafana: RunFacts['grafana'];
  if ('access' in cluster) {
    const { access } = cluster;
    cleanup.push('port-forwards', () => access.stop());
    const clusterTraffic = startTraffic({ baseUrl: access.apiUrl, ...CLUSTER_TRAFFIC });
    cleanup.push('cluster traffic', () => clusterTraffic.stop());
    grafana = 'taken';
  } else {
    grafana = { skipped: cluster.skipped };
    log(`NOTE: Grafana screenshots will be SKIPPED: no cluster is up (${cluster.skipped})`);
  }

  const alertFor = ALERTS.find((alert) => alert.name === FIRING_ALERT)?.for;
  if (!alertFor) throw new Error(`no alert ${FIRING_ALERT} in monitoring's catalogue: update scripts/screenshots/catalog.ts`);
  log(`starting the local stack (rules ${RULE_FILE}: ${FIRING_ALERT} for: ${alertFor}; scrape/evaluate every ${SCRAPE_INTERVAL}, fault injection on)`);
  const stack: LocalStack = await startStack();
  cleanup.push('local stack', () => stack.stop());
  await checkClassicUi(stack.prometheusUrl);
  const traffic = startStackTraffic(stack, RUN);
  const trafficStarted = Date.now();
  cleanup.push('traffic', async () => log(`traffic: ${formatTraffic(await traffic.stop())}`));
  log(`stack up: API ${stack.apiUrl}, Prometheus ${stack.prometheusUrl}, Alertmanager ${stack.alertmanagerUrl}; traffic started`);

  await waitForMoreHistory(stack, RUN.baselineSeconds);
  log(`${RUN.baselineSeconds} s of history; running the k6 smoke profile`);
  const smoke = await runSmoke(stack, k6Dir, abort);
  const r = smoke.result.report;
  log(`k6 exit ${smoke.result.k6ExitCode}: ${r ? `${r.verdict}, ${r.requests} requests, p95 ${r.p95Ms?.toFixed(1) ?? '?'} ms, failed ${(r.failedRate * 100).toFixed(2)} %` : 'no summary'}`);
  if (smoke.result.exitCode !== 0) log(`WARNING: the k6 run did not pass (see ${smoke.logFile}); its report is captured as it is`);
  // The graph needs one rate window plus its range of traffic; a slow k6 start must not cut it short.
  const missing = GRAPH_RATE_WINDOW_SECONDS + GRAPH_RANGE_SECONDS - (Date.now() - trafficStarted) / 1000;
  await waitForMoreHistory(stack, Math.ceil(Math.max(RUN.tailSeconds, missing)));

  const browser = await openBrowser({ viewport: VIEWPORT });
  cleanup.push('Chromium', () => browser.close());
  const ctx: LocalPageContext = {
    apiUrl: stack.apiUrl,
    metricsUrl: stack.metricsUrl,
    prometheusUrl: stack.prometheusUrl,
    alertmanagerUrl: stack.alertmanagerUrl,
    k6ReportFile: smoke.reportFile,
    timeoutMs: STEP_TIMEOUT_MS,
  };
  await shoot(browser, PRE_FAULT_SHOTS, ctx, stagingDir);

  log(`injecting faults: errorRate ${ERROR_RATE}; waiting for ${FIRING_ALERT} to fire`);
  await stack.setFaults({ errorRate: ERROR_RATE });
  const faultAt = Date.now();
  await stack.prometheus.waitForAlert(FIRING_ALERT, { timeoutMs: ALERT_TIMEOUT_MS, intervalMs: 1_000 });
  log(`${FIRING_ALERT} firing in Prometheus after ${((Date.now() - faultAt) / 1000).toFixed(1)} s`);
  await stack.alertmanager.waitForAlert(FIRING_ALERT, { timeoutMs: 60_000, intervalMs: 1_000 });
  log(`${FIRING_ALERT} active in Alertmanager after ${((Date.now() - faultAt) / 1000).toFixed(1)} s`);
  await shoot(browser, ALERT_SHOTS, ctx, stagingDir);

  if ('access' in cluster) await shootGrafana(browser, cluster.access, stagingDir);

  const versionPage = await browser.newPage();
  const versions = await collectVersions({ prometheusUrl: stack.prometheusUrl, alertmanagerUrl: stack.alertmanagerUrl, page: versionPage });
  await versionPage.close();

  // Everything stopped before screenshots/ changes; the staged PNGs stay in the work dir.
  const failures = await cleanup.run();
  if (failures.length > 0) log(`WARNING: stopping had problems:\n  ${failures.join('\n  ')}`);
  const settings: RunSettings = { ruleFile: RULE_FILE, alertFor, scrapeInterval: SCRAPE_INTERVAL, viewport: VIEWPORT };
  const facts: RunFacts = { date: new Date().toISOString().slice(0, 10), seconds: (Date.now() - started) / 1000, versions, grafana };
  const published = await publish(stagingDir, SCREENSHOTS_DIR, README_FILE, settings, facts);
  const where = path.relative(process.cwd(), SCREENSHOTS_DIR) || '.';
  log(`wrote ${published.copied.length} PNGs and README.md to ${where}/${published.removed.length > 0 ? `; removed ${published.removed.join(', ')}` : ''}`);
  if (grafana !== 'taken') log(`Grafana screenshots were SKIPPED because no cluster is up: ${grafana.skipped}`);
}

const cleanup = new Cleanup();
const abort = new AbortController();
const workDir = await mkdtemp(path.join(tmpdir(), 'items-screenshots-'));
const finish = async (): Promise<void> => {
  const failures = await cleanup.run();
  if (failures.length > 0) console.error(`stopping had problems:\n  ${failures.join('\n  ')}`);
  await rm(workDir, { recursive: true, force: true });
};
let interrupted = false;
const onSignal = (signal: NodeJS.Signals) => {
  if (interrupted) return;
  interrupted = true;
  console.error(`\n${signal}: stopping everything this run started; screenshots/ stays as it was`);
  abort.abort();
  void finish().finally(() => process.exit(130));
};
process.once('SIGINT', onSignal);
process.once('SIGTERM', onSignal);

try {
  await main(cleanup, abort.signal, workDir);
  log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
} catch (error) {
  if (!interrupted) {
    console.error(`\nmake screenshots FAILED: ${(error as Error).message}\nscreenshots/ was left as it was.`);
    process.exitCode = 1;
  }
} finally {
  if (!interrupted) await finish();
}
