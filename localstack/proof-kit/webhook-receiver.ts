/**
 * An HTTP server that records Alertmanager webhook notifications, for tests proving an alert
 * travels Prometheus -> Alertmanager -> receiver. Listens on 127.0.0.1, on a free port by default.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { poll, waitTimedOut, type WaitOptions } from '../../toolkit/poll.js';
import type { Labels } from '../../toolkit/prometheus-api/types.js';

/** Alertmanager's webhook payload (version 4). */
export interface WebhookNotification {
  readonly version: string;
  readonly status: 'firing' | 'resolved';
  readonly receiver: string;
  readonly groupLabels: Labels;
  readonly commonLabels: Labels;
  readonly commonAnnotations: Labels;
  readonly externalURL: string;
  readonly alerts: ReadonlyArray<{
    readonly status: 'firing' | 'resolved';
    readonly labels: Labels;
    readonly annotations: Labels;
    readonly startsAt: string;
    readonly endsAt: string;
    readonly generatorURL: string;
    readonly fingerprint: string;
  }>;
}

export interface WebhookReceiver {
  /** Give this to `startLocalStack({ alertmanagerWebhookUrl })`. */
  readonly url: string;
  /** Every notification received so far, oldest first. */
  notifications(): readonly WebhookNotification[];
  /** Waits for a notification about `alertname` with `status` (default firing); resolves it. */
  waitForAlert(alertname: string, opts?: WaitOptions & { status?: WebhookNotification['status'] }): Promise<WebhookNotification>;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;

export async function startWebhookReceiver(port = 0): Promise<WebhookReceiver> {
  const received: WebhookNotification[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > MAX_BODY_BYTES) req.destroy();
    });
    req.on('end', () => {
      try {
        received.push(JSON.parse(body) as WebhookNotification);
        res.writeHead(200).end();
      } catch {
        res.writeHead(400).end('not JSON');
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const { port: bound } = server.address() as AddressInfo;

  const matching = (alertname: string, status: WebhookNotification['status']) =>
    received.find((n) => n.status === status && n.alerts.some((a) => a.labels.alertname === alertname && a.status === status));

  return {
    url: `http://127.0.0.1:${bound}/alerts`,
    notifications: () => [...received],
    async waitForAlert(alertname, opts = {}) {
      const status = opts.status ?? 'firing';
      const found = await poll(opts, async () => matching(alertname, status));
      if (found) return found;
      const seen = received.flatMap((n) => n.alerts.map((a) => `${a.labels.alertname ?? '?'} (${a.status})`)).join(', ') || 'none';
      throw waitTimedOut(opts, `a ${status} notification of ${alertname}; received: ${seen}`);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
