/**
 * A small typed client of Prometheus' HTTP API (v1) over a transport (`transport.ts`): instant
 * and range queries, targets, rules, alerts, and `waitFor`, a bounded poll that fails with the last
 * result. Errors Prometheus reports (bad_data, execution, timeout) name the expression.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { poll, waitTimedOut, type WaitOptions } from '../poll.js';
import { apiData, PrometheusApiError } from './answer.js';
import type { HttpTransport, TransportAnswer, TransportRequest } from './transport.js';
import type { ActiveAlert, Labels, RangeSeries, RuleGroupStatus, Sample, Target } from './types.js';

type RawValue = [number, string];
type QueryData =
  | { resultType: 'vector'; result: Array<{ metric: Labels; value: RawValue }> }
  | { resultType: 'matrix'; result: Array<{ metric: Labels; values: RawValue[] }> }
  | { resultType: 'scalar' | 'string'; result: RawValue };

const toSample = (metric: Labels, [timestamp, value]: RawValue): Sample => ({ metric, timestamp, value: Number(value) });

const isOk = (status: number): boolean => status >= 200 && status < 300;

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
  constructor(readonly transport: HttpTransport) {}

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
    return this.transport.send({ method: 'GET', path: '/-/ready' }).then(
      (res) => isOk(res.status),
      () => false,
    );
  }

  /** Re-reads prometheus.yml and the rule files (needs `--web.enable-lifecycle`, which the stack sets). */
  async reload(): Promise<void> {
    const res = await this.#send({ method: 'POST', path: '/-/reload' });
    if (!isOk(res.status)) throw new PrometheusApiError(`reload failed: HTTP ${res.status}: ${res.body.trim()}`, 'http');
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
    throw waitTimedOut(opts, `${opts.description ?? expr}\nquery: ${expr}\nlast result:\n${last}`);
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
    throw waitTimedOut(opts, `alert ${alertname} to be ${state}; active alerts: ${seen}`);
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
    throw waitTimedOut(opts, `job ${JSON.stringify(job)} to be up: ${seen}`);
  }

  async #api<T>(path: string, params: URLSearchParams, expr?: string): Promise<T> {
    // Queries go as a form POST (dashboard expressions can be long); the listing endpoints are GET-only.
    const request: TransportRequest =
      expr !== undefined
        ? { method: 'POST', path, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: params.toString() }
        : { method: 'GET', path: params.size === 0 ? path : `${path}?${params}` };
    const answer = await this.#send(request, expr);
    return apiData<T>(answer, { request, where: this.transport.label, expr });
  }

  /** One request; no answer at all is an `http` error (which `waitFor` rides out). */
  async #send(request: TransportRequest, expr?: string): Promise<TransportAnswer> {
    try {
      return await this.transport.send(request);
    } catch (error) {
      throw new PrometheusApiError(`cannot reach Prometheus (${this.transport.label}): ${(error as Error).message}`, 'http', expr);
    }
  }
}
