/**
 * Traffic that makes every series of the service carry data, for the tests that check dashboard
 * queries and documentation examples against a live Prometheus: the CRUD mix with client errors
 * and unknown paths throughout, a stretch of injected 500s (5xx series, error ratios), and a
 * stretch with the table renamed away (failed database queries). Normal traffic comes last, so
 * every short-window rate has samples after the faults.
 */
import { hideTable } from './outages.js';
import type { LocalStack } from '../local-stack.js';
import { startTraffic, type TrafficResult } from '../traffic.js';

export interface SignalTrafficOptions {
  /** Each of the four stretches (normal, 500s, failing queries, normal). @default 3_000 */
  readonly stretchMs?: number;
  /** @default 4 */
  readonly concurrency?: number;
  /** @default 50 */
  readonly ratePerSecond?: number;
  /** Share of API requests answered 500 in the second stretch. @default 0.3 */
  readonly errorRate?: number;
}

/** Drives the stretches in order and resolves the traffic totals; faults are always undone. */
export async function driveSignalTraffic(stack: Pick<LocalStack, 'apiUrl' | 'databaseUrl' | 'setFaults'>, opts: SignalTrafficOptions = {}): Promise<TrafficResult> {
  const stretchMs = opts.stretchMs ?? 3_000;
  const traffic = startTraffic({
    baseUrl: stack.apiUrl,
    concurrency: opts.concurrency ?? 4,
    ratePerSecond: opts.ratePerSecond ?? 50,
    durationMs: 4 * stretchMs,
    requestTimeoutMs: 5_000,
  });
  const pause = () => new Promise((resolve) => setTimeout(resolve, stretchMs));
  try {
    await pause();
    await stack.setFaults({ errorRate: opts.errorRate ?? 0.3 });
    try {
      await pause();
    } finally {
      await stack.setFaults({ errorRate: 0 });
    }
    const hidden = await hideTable(stack.databaseUrl);
    try {
      await pause();
    } finally {
      await hidden.end();
    }
    return await traffic.done;
  } finally {
    await traffic.stop();
  }
}
