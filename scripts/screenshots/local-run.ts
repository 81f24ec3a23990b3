/**
 * The run the local screenshots are taken of: the local stack with the generated rule file as the
 * cluster loads it (no `for:` shortened: the alerts page shows the real rule and file) and fault
 * injection on, steady CRUD traffic, and the k6 smoke profile remote-writing into its Prometheus.
 */
import { createWriteStream, existsSync } from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { newTestId } from '../../loadtest/test-id.js';
import { runLocal, type LocalRunResult } from '../../loadtest/local/runner.js';
import { durationMs } from '../../localstack/durations.js';
import type { Sample } from '../../toolkit/prometheus-api/types.js';
import { DEFAULT_RULE_FILE, startLocalStack, TEST_TIMINGS, type LocalStack } from '../../localstack/local-stack.js';
import { startTraffic, type RunningTraffic, type TrafficOptions } from '../../localstack/traffic.js';
import { METRICS } from '../../service/src/metrics/catalog.js';

export interface LocalRunSettings {
  readonly traffic: Omit<TrafficOptions, 'baseUrl'>;
  /** Seconds of traffic history before k6 starts (the graph's level before the k6 bump). */
  readonly baselineSeconds: number;
  /** Seconds of history after k6 ends (the graph's way back down). */
  readonly tailSeconds: number;
}

export const SCRAPE_INTERVAL = TEST_TIMINGS.scrapeInterval;

/** The committed rule file (repository-relative), which the cluster's PrometheusRule holds too. */
export const RULE_FILE = DEFAULT_RULE_FILE;

/** Named explicitly: a missing rule file fails the run instead of starting without rules. */
export const startStack = (): Promise<LocalStack> => startLocalStack({ ...TEST_TIMINGS, ruleFiles: [RULE_FILE], faultInjection: true });

export const startStackTraffic = (stack: LocalStack, settings: LocalRunSettings): RunningTraffic => startTraffic({ baseUrl: stack.apiUrl, ...settings.traffic });

/**
 * Waits until Prometheus holds `seconds` more scrapes of items_created_total than it does now:
 * history for the graph, measured in Prometheus' own samples rather than slept.
 */
export async function waitForMoreHistory(stack: LocalStack, seconds: number): Promise<void> {
  const expr = `count_over_time(${METRICS.itemsCreated.name}[1h])`;
  const count = (samples: readonly Sample[]) => samples[0]?.value ?? 0;
  const wanted = count(await stack.prometheus.query(expr)) + Math.round(seconds / (durationMs(SCRAPE_INTERVAL) / 1000));
  await stack.prometheus.waitFor(expr, (samples) => count(samples) >= wanted, {
    timeoutMs: seconds * 1000 + 60_000,
    intervalMs: 1_000,
    description: `${wanted} samples of ${METRICS.itemsCreated.name} (${seconds} s more history)`,
  });
}

export interface SmokeRun {
  readonly result: LocalRunResult;
  readonly reportFile: string;
  readonly logFile: string;
}

/** k6's smoke profile against the stack, remote-writing into its Prometheus; its output goes to a log file. */
export async function runSmoke(stack: LocalStack, resultsRoot: string, signal: AbortSignal): Promise<SmokeRun> {
  const logFile = path.join(resultsRoot, 'k6.log');
  const out = createWriteStream(logFile);
  let result: LocalRunResult;
  try {
    result = await runLocal(
      { profile: 'smoke', baseUrl: stack.apiUrl, prometheusUrl: stack.prometheusUrl, testId: newTestId('smoke'), resultsRoot },
      { out, signal },
    );
  } finally {
    out.end();
    await once(out, 'close');
  }
  const reportFile = path.join(result.resultsDir, 'report.html');
  if (!existsSync(reportFile)) throw new Error(`k6 wrote no HTML report (${reportFile}); its output: ${logFile}`);
  const remoteWrite = result.remoteWrite;
  if (!remoteWrite?.ok) throw new Error(`k6 could not remote-write into the stack's Prometheus: ${remoteWrite ? remoteWrite.reason : 'not tried'}`);
  return { result, reportFile, logFile };
}
