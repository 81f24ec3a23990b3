/**
 * The same-time comparison of `make bench`: every server gets the same fixed request rate at the
 * same time, below saturation, and each one's Node CPU per request is read from /proc per window.
 * A speed change of the machine (this VM's moved ±25 % within a minute) hits every server in
 * the same window, so the per-window ratios hold still where back-to-back req/s do not. It
 * answers "how much more CPU does a request cost", not "how many requests per second".
 */
import autocannon from 'autocannon';
import { processCpuUs } from './proc.js';

export interface SameTimeServer {
  readonly key: string;
  readonly base: string;
  readonly pid: number;
}

export interface SameTimeOptions {
  /** Requests per second sent to each server. */
  readonly rate: number;
  readonly windows: number;
  readonly windowSeconds: number;
  readonly warmupSeconds: number;
  readonly connections: number;
}

export interface SameTimeResult {
  readonly key: string;
  /** Node CPU µs per answered request, one figure per window. */
  readonly cpuUsPerReq: readonly number[];
  /** p99 latency (ms) per window, at the fixed rate. */
  readonly p99Ms: readonly number[];
  readonly errors: number;
}

/** Loads every server with `build(base)` at `opts.rate` at the same time, window after window. */
export async function sameTimeCost(
  servers: readonly SameTimeServer[],
  build: (base: string) => autocannon.Options,
  opts: SameTimeOptions,
): Promise<SameTimeResult[]> {
  const load = (server: SameTimeServer, duration: number) =>
    autocannon({ ...build(server.base), connections: opts.connections, overallRate: opts.rate, duration });
  await Promise.all(servers.map((server) => load(server, opts.warmupSeconds)));
  const results = servers.map((server) => ({ key: server.key, cpuUsPerReq: [] as number[], p99Ms: [] as number[], errors: 0 }));
  for (let window = 0; window < opts.windows; window++) {
    const before = servers.map((server) => processCpuUs(server.pid));
    const answers = await Promise.all(servers.map((server) => load(server, opts.windowSeconds)));
    servers.forEach((server, i) => {
      const answer = answers[i] as autocannon.Result;
      const result = results[i] as (typeof results)[number];
      result.cpuUsPerReq.push((processCpuUs(server.pid) - (before[i] as number)) / Math.max(1, answer.requests.total));
      result.p99Ms.push(answer.latency.p99);
      result.errors += answer.errors + answer.timeouts + answer.non2xx;
    });
  }
  return results;
}

/** Per-window ratios of `variant`'s CPU per request to `baseline`'s (same windows). */
export function perWindowRatios(variant: SameTimeResult, baseline: SameTimeResult): number[] {
  return variant.cpuUsPerReq.map((cost, i) => cost / (baseline.cpuUsPerReq[i] ?? Number.NaN));
}
