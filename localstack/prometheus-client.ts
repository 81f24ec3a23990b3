/**
 * A small typed client of Prometheus' HTTP API (v1), for the local-stack tests and the CLI: instant
 * and range queries, targets, rules, alerts, and `waitFor`, a bounded poll that fails with the last
 * result. Errors Prometheus reports (bad_data, execution, timeout) name the expression.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export type Labels = Readonly<Record<string, string>>;

/** One sample of an instant query; a scalar result becomes one sample with no labels. */
export interface Sample {
  readonly metric: Labels;
  readonly value: number;
  /** Unix seconds. */
  readonly timestamp: number;
}

export interface RangeSeries {
  readonly metric: Labels;
  readonly values: ReadonlyArray<{ readonly timestamp: number; readonly value: number }>;
}

export interface Target {
  readonly labels: Labels;
  readonly discoveredLabels: Labels;
  readonly scrapePool: string;
  readonly scrapeUrl: string;
  readonly health: 'up' | 'down' | 'unknown';
  readonly lastError: string;
  readonly lastScrape: string;
}

export interface ActiveAlert {
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly state: 'pending' | 'firing';
  readonly activeAt: string;
  readonly value: string;
}

interface RuleBase {
  readonly name: string;
  readonly query: string;
  readonly labels?: Labels;
  readonly health: 'ok' | 'err' | 'unknown';
  readonly lastError?: string;
  readonly lastEvaluation: string;
}
export interface RecordingRuleStatus extends RuleBase {
  readonly type: 'recording';
}
export interface AlertingRuleStatus extends RuleBase {
  readonly type: 'alerting';
  readonly state: 'inactive' | 'pending' | 'firing';
  /** The rule's `for`, in seconds. */
  readonly duration: number;
  readonly annotations: Labels;
  readonly alerts: readonly ActiveAlert[];
}
export type RuleStatus = RecordingRuleStatus | AlertingRuleStatus;

export interface RuleGroupStatus {
  readonly name: string;
  readonly file: string;
  /** Seconds. */
  readonly interval: number;
  readonly rules: readonly RuleStatus[];
}

/** Prometheus answered with `status: "error"`, or not with its API at all. */
export class PrometheusApiError extends Error {
  override name = 'PrometheusApiError';
  constructor(
    message: string,
    /** `bad_data`, `execution`, `timeout`, … or `http` when the answer was not the API's JSON. */
    readonly errorType: string,
    readonly expr?: string,
  ) {
    super(message);
  }
}

export interface WaitOptions {
  /** @default 30_000 */
  readonly timeoutMs?: number;
  /** @default 500 */
  readonly intervalMs?: number;
  /** What is awaited, for the timeout message; default: the expression. */
  readonly description?: string;
}

export interface PrometheusClientOptions {
  /** Per-request limit. @default 10_000 */
  readonly requestTimeoutMs?: number;
  /** Injected for tests of the client itself. @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

type RawValue = [number, string];
interface ApiResponse<T> {
  status: 'success' | 'error';
  data: T;
  errorType?: string;
  error?: string;
}
type QueryData =
  | { resultType: 'vector'; result: Array<{ metric: Labels; value: RawValue }> }
  | { resultType: 'matrix'; result: Array<{ metric: Labels; values: RawValue[] }> }
  | { resultType: 'scalar' | 'string'; result: RawValue };

const toSample = (metric: Labels, [timestamp, value]: RawValue): Sample => ({ metric, timestamp, value: Number(value) });

/** `name{a="1", b="2"} 3` lines, for messages. */
export function formatSamples(samples: readonly Sample[]): string {
  if (samples.length === 0) return '(empty result)';
  return samples
    .map(({ metric, value }) => {
      const { __name__: name = '', ...rest } = metric;
      const labels = Object.entries(rest).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
      return `${name}{${labels.join(', ')}} ${value}`;
    })
    .join('\n');
}

export class PrometheusClient {
  readonly #fetch: typeof fetch;
  readonly #requestTimeoutMs: number;

  constructor(
    /** e.g. `http://127.0.0.1:9090`, no trailing slash. */
    readonly baseUrl: string,
    opts: PrometheusClientOptions = {},
  ) {
    this.#fetch = opts.fetch ?? globalThis.fetch;
    this.#requestTimeoutMs = opts.requestTimeoutMs ?? 10_000;
  }

  /** Instant query. A range-vector or string result is an error: use `queryRange` for series over time. */
  async query(expr: string, opts: { time?: Date } = {}): Promise<Sample[]> {
    const params = new URLSearchParams({ query: expr });
    if (opts.time) params.set('time', String(opts.time.getTime() / 1000));
    const data = await this.#api<QueryData>('/api/v1/query', params, expr);
    if (data.resultType === 'vector') return data.result.map((r) => toSample(r.metric, r.value));
    if (data.resultType === 'scalar') return [toSample({}, data.result)];
    throw new PrometheusApiError(`query ${JSON.stringify(expr)} returned a ${data.resultType}, not an instant vector`, 'bad_data', expr);
  }

  /** Range query over [start, end] every `step` seconds. */
  async queryRange(expr: string, opts: { start: Date; end: Date; stepSeconds: number }): Promise<RangeSeries[]> {
    const params = new URLSearchParams({
      query: expr,
      start: String(opts.start.getTime() / 1000),
      end: String(opts.end.getTime() / 1000),
      step: String(opts.stepSeconds),
    });
    const data = await this.#api<QueryData>('/api/v1/query_range', params, expr);
    if (data.resultType !== 'matrix') {
      throw new PrometheusApiError(`range query ${JSON.stringify(expr)} returned a ${data.resultType}`, 'bad_data', expr);
    }
    return data.result.map((r) => ({ metric: r.metric, values: r.values.map(([timestamp, v]) => ({ timestamp, value: Number(v) })) }));
  }

  async targets(): Promise<Target[]> {
    const data = await this.#api<{ activeTargets: Target[] }>('/api/v1/targets', new URLSearchParams({ state: 'active' }));
    return data.activeTargets;
  }

  async rules(): Promise<RuleGroupStatus[]> {
    return (await this.#api<{ groups: RuleGroupStatus[] }>('/api/v1/rules', new URLSearchParams())).groups;
  }

  /** Pending and firing alerts. */
  async alerts(): Promise<ActiveAlert[]> {
    return (await this.#api<{ alerts: ActiveAlert[] }>('/api/v1/alerts', new URLSearchParams())).alerts;
  }

  /** True once Prometheus answers `/-/ready` with 200 (TSDB open, config loaded). */
  async ready(): Promise<boolean> {
    return this.#fetch(`${this.baseUrl}/-/ready`, { signal: AbortSignal.timeout(this.#requestTimeoutMs) }).then(
      (res) => res.ok,
      () => false,
    );
  }

  /** Re-reads prometheus.yml and the rule files (needs `--web.enable-lifecycle`, which the stack sets). */
  async reload(): Promise<void> {
    const res = await this.#fetch(`${this.baseUrl}/-/reload`, { method: 'POST', signal: AbortSignal.timeout(this.#requestTimeoutMs) });
    if (!res.ok) throw new PrometheusApiError(`reload failed: HTTP ${res.status}: ${(await res.text()).trim()}`, 'http');
  }

  /**
   * Polls `expr` until `predicate` accepts the result and resolves that result. Fails after
   * `timeoutMs` with the last result (or the last error) in the message. Query errors other than
   * Prometheus being briefly unreachable fail at once: a bad expression never becomes good.
   */
  async waitFor(expr: string, predicate: (samples: Sample[]) => boolean, opts: WaitOptions = {}): Promise<Sample[]> {
    let last = '(no answer yet)';
    const found = await poll(opts, async () => {
      try {
        const samples = await this.query(expr);
        last = formatSamples(samples);
        return predicate(samples) ? samples : undefined;
      } catch (error) {
        if (error instanceof PrometheusApiError && error.errorType !== 'http') throw error;
        last = `error: ${(error as Error).message}`;
        return undefined;
      }
    });
    if (found) return found;
    throw new Error(`timed out after ${opts.timeoutMs ?? 30_000} ms waiting for ${opts.description ?? expr}\nquery: ${expr}\nlast result:\n${last}`);
  }

  /**
   * The opposite of `waitFor`, for "stays silent" proofs: checks `expr` every `intervalMs` for
   * `durationMs` and fails at the first result `predicate` rejects, showing it. Resolves the last result.
   */
  async holdsFor(expr: string, predicate: (samples: Sample[]) => boolean, opts: { durationMs: number; intervalMs?: number; description?: string }): Promise<Sample[]> {
    const intervalMs = opts.intervalMs ?? 1_000;
    const end = Date.now() + opts.durationMs;
    let samples: Sample[] = [];
    for (let i = 0; i <= Math.ceil(opts.durationMs / intervalMs); i++) {
      samples = await this.query(expr);
      if (!predicate(samples)) {
        throw new Error(`${opts.description ?? expr} did not hold (after ${opts.durationMs - Math.max(0, end - Date.now())} ms of ${opts.durationMs})\nquery: ${expr}\nresult:\n${formatSamples(samples)}`);
      }
      if (Date.now() >= end) break;
      await sleep(Math.min(intervalMs, Math.max(0, end - Date.now())));
    }
    return samples;
  }

  /** Waits until the alert named `alertname` is in `state` (default firing); resolves its first instance. */
  async waitForAlert(alertname: string, opts: WaitOptions & { state?: ActiveAlert['state'] } = {}): Promise<ActiveAlert> {
    const state = opts.state ?? 'firing';
    let last: ActiveAlert[] = [];
    const found = await poll(opts, async () => {
      last = await this.alerts().catch(() => last);
      return last.find((a) => a.labels.alertname === alertname && a.state === state);
    });
    if (found) return found;
    const seen = last.map((a) => `${a.labels.alertname ?? '?'} (${a.state})`).join(', ') || 'none';
    throw new Error(`timed out after ${opts.timeoutMs ?? 30_000} ms waiting for alert ${alertname} to be ${state}; active alerts: ${seen}`);
  }

  /** Waits until every active target of scrape job `job` is up; resolves them. */
  async waitForTargetsUp(job: string, opts: WaitOptions = {}): Promise<Target[]> {
    let last: Target[] = [];
    const found = await poll(opts, async () => {
      last = (await this.targets().catch(() => last)).filter((t) => t.labels.job === job);
      return last.length > 0 && last.every((t) => t.health === 'up') ? last : undefined;
    });
    if (found) return found;
    const seen = last.map((t) => `${t.scrapeUrl} ${t.health}${t.lastError ? ` (${t.lastError})` : ''}`).join('; ') || 'no target with that job';
    throw new Error(`timed out after ${opts.timeoutMs ?? 30_000} ms waiting for job ${JSON.stringify(job)} to be up: ${seen}`);
  }

  async #api<T>(path: string, params: URLSearchParams, expr?: string): Promise<T> {
    // Queries go as a form POST (dashboard expressions can be long); the listing endpoints are GET-only.
    const isQuery = expr !== undefined;
    const url = `${this.baseUrl}${path}`;
    const init: RequestInit = isQuery
      ? { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: params }
      : { method: 'GET' };
    let res: Response;
    try {
      res = await this.#fetch(isQuery || params.size === 0 ? url : `${url}?${params}`, { ...init, signal: AbortSignal.timeout(this.#requestTimeoutMs) });
    } catch (error) {
      throw new PrometheusApiError(`cannot reach Prometheus at ${url}: ${(error as Error).message}`, 'http', expr);
    }
    const text = await res.text();
    let body: ApiResponse<T>;
    try {
      body = JSON.parse(text) as ApiResponse<T>;
    } catch {
      throw new PrometheusApiError(`${url} answered HTTP ${res.status} with non-JSON: ${text.slice(0, 200)}`, 'http', expr);
    }
    if (body.status !== 'success') {
      const subject = expr === undefined ? path : `query ${JSON.stringify(expr)}`;
      throw new PrometheusApiError(`Prometheus rejected ${subject}: ${body.errorType ?? 'error'}: ${body.error ?? text}`, body.errorType ?? 'error', expr);
    }
    return body.data;
  }
}

/**
 * Calls `attempt` every `intervalMs` until it yields a value or `timeoutMs` passes; bounded in time
 * and in count. Errors thrown by `attempt` end the poll.
 */
export async function poll<T>(opts: Pick<WaitOptions, 'timeoutMs' | 'intervalMs'>, attempt: () => Promise<T | undefined>): Promise<T | undefined> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const intervalMs = opts.intervalMs ?? 500;
  const deadline = Date.now() + timeoutMs;
  const maxAttempts = Math.ceil(timeoutMs / intervalMs) + 1;
  for (let i = 0; i < maxAttempts; i++) {
    const value = await attempt();
    if (value !== undefined) return value;
    if (Date.now() >= deadline) break;
    await sleep(Math.min(intervalMs, Math.max(0, deadline - Date.now())));
  }
  return undefined;
}
