/** Digests as k6's handleSummary prints them, for tests that need k6 output without running k6. */
import { type RunDigest, DIGEST_MARKER } from '../k6/digest.js';
import { PROFILES } from '../k6/profiles.js';

export const digest = (over: Partial<RunDigest> = {}): RunDigest => ({
  testId: 'heavy-x',
  profile: 'heavy',
  baseUrl: 'http://items-api.items.svc:3030',
  segment: '0:1',
  durationSeconds: 100,
  requests: 1000,
  failedRequests: 10,
  iterations: 1000,
  checksPassed: 990,
  checksFailed: 10,
  avgMs: 20,
  p95Ms: 100,
  p99Ms: 300,
  maxMs: 900,
  limits: PROFILES.heavy.thresholds,
  onThresholdFailure: 'saturated',
  thresholds: [{ metric: 'http_req_failed', expression: 'rate<0.05', ok: true }],
  levels: [
    { vus: 100, seconds: 10, requests: 400, failedRequests: 0, p95Ms: 50, thresholdsOk: true },
    { vus: 200, seconds: 10, requests: 600, failedRequests: 10, p95Ms: 100, thresholdsOk: true },
  ],
  ...over,
});

/** A k6 log as a pod prints it: banner, progress, the report, the digest line. */
export const k6Log = (d: RunDigest): string =>
  ['', '         /\\      Grafana   /‾‾/', 'running (01.0s), 5/5 VUs, 12 complete and 0 interrupted iterations', `k6 load test  profile=${d.profile}  testid=${d.testId}`, `${DIGEST_MARKER}${JSON.stringify(d)}`, ''].join('\n');
