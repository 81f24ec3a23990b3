/** The part of Alertmanager's API v2 the local stack and its tests read: readiness and alerts. */
import { poll, waitTimedOut, type WaitOptions } from '../toolkit/poll.js';
import type { Labels } from '../toolkit/prometheus-api/types.js';

export interface AlertmanagerAlert {
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly fingerprint: string;
  readonly status: { readonly state: 'active' | 'suppressed' | 'unprocessed' };
  readonly receivers: ReadonlyArray<{ readonly name: string }>;
}

export class AlertmanagerClient {
  constructor(
    /** e.g. `http://127.0.0.1:9093`, no trailing slash. */
    readonly baseUrl: string,
    private readonly requestTimeoutMs = 10_000,
  ) {}

  async ready(): Promise<boolean> {
    return fetch(`${this.baseUrl}/-/ready`, { signal: AbortSignal.timeout(this.requestTimeoutMs) }).then(
      (res) => res.ok,
      () => false,
    );
  }

  /** Alerts Alertmanager holds now (as Prometheus sent them). */
  async alerts(): Promise<AlertmanagerAlert[]> {
    const url = `${this.baseUrl}/api/v2/alerts`;
    const res = await fetch(url, { signal: AbortSignal.timeout(this.requestTimeoutMs) });
    if (!res.ok) throw new Error(`${url}: HTTP ${res.status}: ${(await res.text()).slice(0, 200)}`);
    return (await res.json()) as AlertmanagerAlert[];
  }

  /** Waits until Alertmanager holds an active alert named `alertname`; resolves it. */
  async waitForAlert(alertname: string, opts: WaitOptions = {}): Promise<AlertmanagerAlert> {
    let last: AlertmanagerAlert[] = [];
    const found = await poll(opts, async () => {
      last = await this.alerts().catch(() => last);
      return last.find((a) => a.labels.alertname === alertname && a.status.state === 'active');
    });
    if (found) return found;
    const seen = last.map((a) => `${a.labels.alertname ?? '?'} (${a.status.state})`).join(', ') || 'none';
    throw waitTimedOut(opts, `Alertmanager to hold alert ${alertname}; it holds: ${seen}`);
  }
}
