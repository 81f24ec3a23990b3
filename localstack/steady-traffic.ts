/**
 * Steady API traffic for `make local-up TRAFFIC=1`: the SLO and cause alerts are computed from
 * request rates, so a fault fires nothing until requests arrive. The traffic driver (traffic.ts)
 * runs the CRUD mix at a capped rate for a bounded time, against the stack's own API on 127.0.0.1,
 * and a log line with the counts by status is written every `reportEveryMs`.
 */
import { appendFileSync } from 'node:fs';
import { durationMs } from './durations.js';
import { formatTraffic, startTraffic, type TrafficResult } from './traffic.js';

/** What `TRAFFIC=1` sends unless told otherwise, and the bounds a setting must stay within. */
export const STEADY_TRAFFIC = {
  defaultRatePerSecond: 5,
  defaultDuration: '30m',
  maxRatePerSecond: 100,
  maxDuration: '24h',
} as const;

export interface SteadyTrafficOptions {
  readonly ratePerSecond: number;
  readonly durationMs: number;
}

export interface SteadyTraffic {
  readonly ratePerSecond: number;
  readonly durationMs: number;
  readonly until: Date;
  readonly logFile: string;
  /** Resolves the totals when the duration is over (or after `stop`). */
  readonly done: Promise<TrafficResult>;
  stop(): Promise<TrafficResult>;
}

/** A rate in (0, max]; throws one line naming the setting and the bound. */
export function trafficRate(value: number | string): number {
  const rate = Number(value);
  if (!(Number.isFinite(rate) && rate > 0 && rate <= STEADY_TRAFFIC.maxRatePerSecond)) {
    throw new Error(`traffic rate must be a number of requests per second above 0 and at most ${STEADY_TRAFFIC.maxRatePerSecond} (got ${JSON.stringify(String(value))})`);
  }
  return rate;
}

/** A Prometheus duration up to the maximum, in milliseconds; throws one line otherwise. */
export function trafficDurationMs(text: string): number {
  const ms = durationMs(text, 'traffic duration');
  if (ms > durationMs(STEADY_TRAFFIC.maxDuration)) throw new Error(`traffic duration must be at most ${STEADY_TRAFFIC.maxDuration} (got ${JSON.stringify(text)})`);
  return ms;
}

/**
 * Enough workers that a request taking up to a second (an injected latency) keeps the rate: the
 * SLO ratios divide by the request rate, and a fault that also halved it would blur the proof.
 */
const workersFor = (ratePerSecond: number) => Math.min(32, Math.max(2, Math.ceil(ratePerSecond)));

/** Starts the traffic; `apiUrl` must be the stack's own (loopback) API. */
export function startSteadyTraffic(apiUrl: string, opts: SteadyTrafficOptions, logFile: string, reportEveryMs = 30_000): SteadyTraffic {
  const { hostname } = new URL(apiUrl);
  if (hostname !== '127.0.0.1') throw new Error(`steady traffic goes to the local stack only (127.0.0.1), not ${apiUrl}`);
  const ratePerSecond = trafficRate(opts.ratePerSecond);
  const started = new Date();
  const until = new Date(started.getTime() + opts.durationMs);
  const log = (line: string) => appendFileSync(logFile, `${new Date().toISOString()} ${line}\n`);
  const traffic = startTraffic({ baseUrl: apiUrl, concurrency: workersFor(ratePerSecond), ratePerSecond, durationMs: opts.durationMs, requestTimeoutMs: 5_000 });
  log(`traffic: ${ratePerSecond} requests/s to ${apiUrl} until ${until.toISOString()}`);
  const report = setInterval(() => log(`so far: ${formatTraffic(traffic.snapshot())}`), reportEveryMs);
  report.unref();
  const done = traffic.done.then((result) => {
    clearInterval(report);
    log(`finished: ${formatTraffic(result)}`);
    return result;
  });
  return { ratePerSecond, durationMs: opts.durationMs, until, logFile, done, stop: () => traffic.stop().then(() => done) };
}
