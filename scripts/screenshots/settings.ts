/**
 * The timings of a `make screenshots` run, in one place. The local run's history is sized for
 * the graph: one rate window to fill, then GRAPH_RANGE of level, k6 bump, and level again.
 */
import type { LocalRunSettings } from './local-run.js';

export const RUN: LocalRunSettings = {
  // 5 requests/s of the default CRUD mix create ~0.75 items/s; k6's smoke run adds ~2.5/s for ~13 s.
  traffic: { concurrency: 4, ratePerSecond: 5, durationMs: 15 * 60_000, maxRequests: 6_000, requestTimeoutMs: 5_000 },
  // The rate window (60 s) plus 30 s of steady level visible at the graph's left edge.
  baselineSeconds: 90,
  // Long enough for the k6 run to leave the rate window again (the test checks the sizes against the graph).
  tailSeconds: 80,
};

/** Limit of each wait for page content. */
export const STEP_TIMEOUT_MS = 60_000;
/**
 * From the fault until the alert fires in Prometheus: its real `for: 2m`, after the 5m and 1h error
 * ratios pass 14.4× the budget (the windows hold a few minutes of clean history here).
 */
export const ALERT_TIMEOUT_MS = 300_000;
/** Traffic to the cluster's items-api while the local run goes on, so the dashboards have data. */
export const CLUSTER_TRAFFIC = { concurrency: 4, ratePerSecond: 10, durationMs: 15 * 60_000, maxRequests: 12_000, requestTimeoutMs: 5_000 } as const;
/** Grafana's time range for the dashboards. */
export const GRAFANA_FROM = 'now-15m';
