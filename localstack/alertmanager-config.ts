/**
 * alertmanager.yml for the local stack: every alert to one webhook when a URL is given (the alert
 * tests run an HTTP server that records notifications), otherwise to a receiver with no
 * integrations, as kube-prometheus-stack's default `null` receiver.
 */
import { stringify } from 'yaml';
import { durationMs } from './durations.js';

export const WEBHOOK_RECEIVER = 'webhook';
export const NULL_RECEIVER = 'null';

export interface AlertmanagerConfigOptions {
  /** Where notifications go; absent: nowhere. */
  readonly webhookUrl?: string;
  /** @default '30s' (Alertmanager's and kube-prometheus-stack's); tests use `1s`. */
  readonly groupWait?: string;
  /** @default '5m' */
  readonly groupInterval?: string;
  /** @default '12h' (kube-prometheus-stack's) */
  readonly repeatInterval?: string;
}

export function buildAlertmanagerConfig(opts: AlertmanagerConfigOptions = {}) {
  const timing = {
    group_wait: opts.groupWait ?? '30s',
    group_interval: opts.groupInterval ?? '5m',
    repeat_interval: opts.repeatInterval ?? '12h',
  };
  for (const [key, value] of Object.entries(timing)) durationMs(value, key);
  if (opts.webhookUrl !== undefined && !/^https?:\/\//.test(opts.webhookUrl)) {
    throw new Error(`webhook URL must be http(s):// (got ${JSON.stringify(opts.webhookUrl)})`);
  }
  const receiver = opts.webhookUrl
    ? { name: WEBHOOK_RECEIVER, webhook_configs: [{ url: opts.webhookUrl, send_resolved: true }] }
    : { name: NULL_RECEIVER };
  return {
    // One notification per alert name and namespace, so each alert proof sees its own.
    route: { receiver: receiver.name, group_by: ['alertname', 'namespace'], ...timing },
    receivers: [receiver],
  };
}

export function renderAlertmanagerConfig(opts: AlertmanagerConfigOptions = {}): string {
  return `# Written by localstack/alertmanager-config.ts for the local stack; rewritten on every start.\n${stringify(buildAlertmanagerConfig(opts))}`;
}
