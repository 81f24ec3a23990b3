/**
 * What the alert-proof tests share: a local stack loading the generated rules with `for:`
 * shortened (through `ruleGroups({ forOverride })`, nothing else changed), Alertmanager sending
 * to a recording webhook, steady background traffic, and a timing table of every alert proven.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, type TestContext } from 'node:test';
import { ALERTS, ruleGroups, toRuleFileYaml } from '../../monitoring/index.js';
import { requireTools } from '../../testing/tools.js';
import { proofOf } from './alert-proof-plan.js';
import { localStackToolNames } from '../binaries.js';
import { seconds, timeAlertFiring, timeAlertResolved, type AlertTiming } from './alert-timing.js';
import { startLocalStack, TEST_TIMINGS, type LocalStack } from '../local-stack.js';
import { formatTable } from '../../toolkit/text-table.js';
import { formatTraffic, startTraffic, type RunningTraffic, type TrafficOptions } from '../traffic.js';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js';

export interface AlertProofOptions {
  /** Every alert's `for:` (e.g. `2s`). */
  readonly forOverride: string;
  /** Extra service environment (pool size, database check interval). */
  readonly serviceEnv?: Readonly<Record<string, string>>;
  /** Background traffic, started once the stack is up. */
  readonly traffic: Omit<TrafficOptions, 'baseUrl'>;
  /** Limit of each wait for an alert. @default 90_000 */
  readonly waitMs?: number;
}

export interface AlertProofRun {
  readonly stack: LocalStack;
  readonly webhook: WebhookReceiver;
  readonly traffic: RunningTraffic;
  /**
   * Applies `fault`, then waits until every alert in `alerts` fires in Prometheus and reaches the
   * webhook; records each in the table (fault text from the proof plan). `fault` resolves the
   * moment the fault took effect (Date.now()), or undefined for "now".
   */
  proveFiring(alerts: readonly string[], fault: () => Promise<number | void>): Promise<AlertTiming[]>;
  /** Like `proveFiring`, for the way back: `repair` undoes the fault, the alerts resolve. */
  proveResolved(alerts: readonly string[], repair: () => Promise<number | void>, what: string): Promise<AlertTiming[]>;
  /** `alertname (state)` of those of `names` that are pending or firing now. */
  active(names: readonly string[]): Promise<string[]>;
  /** The timing table so far. */
  table(): string[];
  /** Stops traffic, stack and webhook; resolves the traffic totals. Idempotent. */
  stop(): Promise<string>;
}

const HEADERS = ['alert', 'event', 'fault', 'history s', 'to Prometheus s', 'to webhook s'];

/** The notification carries the catalogue's severity and runbook and rendered texts. */
export function assertNotificationMatchesCatalogue(alert: string, timing: AlertTiming): void {
  const entry = ALERTS.find((a) => a.name === alert);
  const sent = timing.notification.alerts.find((a) => a.labels.alertname === alert);
  assert.ok(entry, `${alert}: not in the alert catalogue`);
  assert.ok(sent, `${alert}: not in the notification`);
  assert.equal(sent.labels.severity, entry.severity, `${alert}: severity label in the notification`);
  assert.equal(sent.annotations.runbook_url, entry.runbookUrl, `${alert}: runbook_url in the notification`);
  for (const key of ['summary', 'description'] as const) {
    const text = sent.annotations[key] ?? '';
    assert.ok(text.length > 0, `${alert}: ${key} is empty`);
    assert.doesNotMatch(text, /\{\{|<no value>/, `${alert}: ${key} has an unrendered template: ${text}`);
  }
}

export async function startAlertProof(opts: AlertProofOptions): Promise<AlertProofRun> {
  const waitMs = opts.waitMs ?? 90_000;
  const workDir = await mkdtemp(path.join(tmpdir(), 'alert-proof-'));
  const rules = path.join(workDir, 'items-api.rules.yaml');
  await writeFile(rules, toRuleFileYaml(ruleGroups({ forOverride: opts.forOverride })));
  const webhook = await startWebhookReceiver();
  let stack: LocalStack;
  try {
    stack = await startLocalStack({ ...TEST_TIMINGS, ruleFiles: [rules], alertmanagerWebhookUrl: webhook.url, faultInjection: true, serviceEnv: opts.serviceEnv });
  } catch (error) {
    await webhook.close();
    await rm(workDir, { recursive: true, force: true });
    throw error;
  }
  const traffic = startTraffic({ baseUrl: stack.apiUrl, ...opts.traffic });
  const trafficStartedAt = Date.now();
  const rows: string[][] = [];

  const prove = async (alerts: readonly string[], act: () => Promise<number | void>, event: 'firing' | 'resolved', what: (alert: string) => string) => {
    const before = webhook.notifications().length;
    const since = (await act()) || Date.now();
    const time = event === 'firing' ? timeAlertFiring : timeAlertResolved;
    const timings = await Promise.all(
      alerts.map((alertname) => time({ prometheus: stack.prometheus, webhook, alertname, since, notificationsBefore: before, timeoutMs: waitMs })),
    );
    timings.forEach((timing, i) => {
      const alert = alerts[i] as string;
      rows.push([alert, event, what(alert), seconds(since - trafficStartedAt), seconds(timing.prometheusMs), seconds(timing.webhookMs)]);
      if (event === 'firing') assertNotificationMatchesCatalogue(alert, timing);
    });
    return timings;
  };

  let stopping: Promise<string> | undefined;
  return {
    stack,
    webhook,
    traffic,
    proveFiring: (alerts, fault) => prove(alerts, fault, 'firing', (alert) => proofOf(alert).fault),
    proveResolved: (alerts, repair, what) => prove(alerts, repair, 'resolved', () => what),
    active: async (names) =>
      (await stack.prometheus.query(`ALERTS{alertname=~"${names.join('|')}"}`)).map((s) => `${s.metric.alertname ?? '?'} (${s.metric.alertstate ?? '?'})`),
    table: () => formatTable(HEADERS, rows),
    stop: () =>
      (stopping ??= (async () => {
        const totals = formatTraffic(await traffic.stop());
        try {
          await stack.stop();
        } finally {
          await webhook.close();
          await rm(workDir, { recursive: true, force: true });
        }
        return totals;
      })()),
  };
}

/**
 * One alert-proof stack per test file: started by the first test that asks (undefined when the
 * tools are missing, so that test skips), its timing table printed and everything stopped after
 * the file's tests.
 */
export function alertProofPerFile(title: string, opts: AlertProofOptions): (t: TestContext) => Promise<AlertProofRun | undefined> {
  let started: Promise<AlertProofRun> | undefined;
  after(async () => {
    const run = await started?.catch(() => undefined);
    if (!run) return;
    console.log(['', `${title}; history = seconds of traffic before the fault:`, ...run.table(), ''].join('\n'));
    console.log(`traffic: ${await run.stop()}`);
  });
  return async (t) => {
    if (!requireTools(t, localStackToolNames())) return undefined;
    started ??= startAlertProof(opts);
    return started;
  };
}
