/**
 * Times an alert's way through the local stack after a fault: when Prometheus shows it firing
 * (or gone again), and when the webhook behind Alertmanager received the notification. Both are
 * polled side by side, so neither measurement waits for the other.
 */
import { poll } from '../../toolkit/poll.js';
import type { PrometheusClient } from '../../toolkit/prometheus-api/client.js';
import type { WebhookNotification, WebhookReceiver } from './webhook-receiver.js';

export interface AlertTiming {
  /** ms from `since` until Prometheus showed the alert firing (resolved: no longer pending or firing). */
  readonly prometheusMs: number;
  /** ms from `since` until the webhook held a notification of it with that status. */
  readonly webhookMs: number;
  readonly notification: WebhookNotification;
}

export interface TimeAlertOptions {
  readonly prometheus: PrometheusClient;
  readonly webhook: WebhookReceiver;
  readonly alertname: string;
  /** `Date.now()` when the fault was injected (or removed). */
  readonly since: number;
  /**
   * How many notifications the webhook held when the fault was injected: only later ones count
   * (an earlier firing one proves nothing new). @default the count when the wait starts
   */
  readonly notificationsBefore?: number;
  /** For each of the two waits. @default 90_000 */
  readonly timeoutMs?: number;
}

const PROMETHEUS_POLL_MS = 200;
const WEBHOOK_POLL_MS = 100;

const notificationOf = (webhook: WebhookReceiver, alertname: string, status: WebhookNotification['status'], after: number): WebhookNotification | undefined =>
  webhook
    .notifications()
    .slice(after)
    .find((n) => n.alerts.some((a) => a.labels.alertname === alertname && a.status === status));

async function timeBoth(opts: TimeAlertOptions, status: WebhookNotification['status']): Promise<AlertTiming> {
  const timeoutMs = opts.timeoutMs ?? 90_000;
  const seenBefore = opts.notificationsBefore ?? opts.webhook.notifications().length;
  let lastAlerts = '(no answer yet)';
  // When one wait fails, the other stops at its next poll instead of running to its own timeout.
  let failed = false;
  const inPrometheus = async (): Promise<number> => {
    const found = await poll({ timeoutMs, intervalMs: PROMETHEUS_POLL_MS }, async () => {
      if (failed) return -1;
      const alerts = await opts.prometheus.alerts().catch(() => undefined);
      if (!alerts) return undefined;
      lastAlerts = alerts.map((a) => `${a.labels.alertname ?? '?'} (${a.state})`).join(', ') || 'none';
      const mine = alerts.filter((a) => a.labels.alertname === opts.alertname);
      const done = status === 'firing' ? mine.some((a) => a.state === 'firing') : mine.length === 0;
      return done ? Date.now() - opts.since : undefined;
    });
    if (found === undefined) {
      throw new Error(`${opts.alertname} was not ${status === 'firing' ? 'firing' : 'resolved'} in Prometheus within ${timeoutMs} ms; active alerts: ${lastAlerts}`);
    }
    return found;
  };
  let notification: WebhookNotification | undefined;
  const atWebhook = async (): Promise<number> => {
    const found = await poll({ timeoutMs, intervalMs: WEBHOOK_POLL_MS }, async () => {
      if (failed) return -1;
      notification = notificationOf(opts.webhook, opts.alertname, status, seenBefore);
      return notification && Date.now() - opts.since;
    });
    if (found === undefined) {
      const received = opts.webhook
        .notifications()
        .slice(seenBefore)
        .flatMap((n) => n.alerts.map((a) => `${a.labels.alertname ?? '?'} (${a.status})`));
      throw new Error(`no ${status} notification of ${opts.alertname} reached the webhook within ${timeoutMs} ms; received meanwhile: ${received.join(', ') || 'nothing'}`);
    }
    return found;
  };
  const fail = (error: unknown): never => {
    failed = true;
    throw error;
  };
  const [prometheusMs, webhookMs] = await Promise.all([inPrometheus().catch(fail), atWebhook().catch(fail)]);
  if (!notification) throw new Error(`internal: the webhook wait ended without a notification of ${opts.alertname}`);
  return { prometheusMs, webhookMs, notification };
}

/** Waits until `alertname` fires in Prometheus and its firing notification reaches the webhook. */
export const timeAlertFiring = (opts: TimeAlertOptions): Promise<AlertTiming> => timeBoth(opts, 'firing');

/** Waits until `alertname` is neither pending nor firing and its resolved notification reaches the webhook. */
export const timeAlertResolved = (opts: TimeAlertOptions): Promise<AlertTiming> => timeBoth(opts, 'resolved');

/** `12.3` for 12 345 ms. */
export const seconds = (ms: number): string => (ms / 1000).toFixed(1);
