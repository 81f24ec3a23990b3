/**
 * The figures a load test is judged by, taken from k6's end-of-test summary: requests, req/s,
 * p95, failure rate, overall and per VU level, threshold results, and where the service saturated.
 *
 * k6 computes one digest per instance (handleSummary) and prints it on one marked stdout line;
 * the local runner and the cluster launcher parse those lines, combine the instances of a split
 * test and print the same report. Runtime code here imports nothing, so Node imports it as well.
 */
import type { Profile, ProfileName, ProfileThresholds, Stage } from './profiles.ts';

/** Prefix of the stdout line carrying an instance's digest as JSON. */
export const DIGEST_MARKER = 'K6_RUN_DIGEST ';
/** Tag carrying the VU level a request ran at (see profiles.ts). */
export const LEVEL_TAG = 'level';

/** The part of k6's handleSummary data this file reads. */
export interface K6SummaryData {
  readonly metrics: Readonly<Record<string, K6SummaryMetric | undefined>>;
  readonly state: { readonly testRunDurationMs: number };
}
export interface K6SummaryMetric {
  readonly type: string;
  readonly values: Readonly<Record<string, number | undefined>>;
  readonly thresholds?: Readonly<Record<string, { readonly ok: boolean }>>;
}

export interface LevelDigest {
  readonly vus: number;
  /** Planned time at this level (ramp to it plus hold), seconds. */
  readonly seconds: number;
  readonly requests: number;
  readonly failedRequests: number;
  /** p95 of this level, ms; null with no request. Across instances: the largest. */
  readonly p95Ms: number | null;
  /** False when a threshold of this level failed. */
  readonly thresholdsOk: boolean;
}

export interface ThresholdResult {
  readonly metric: string;
  readonly expression: string;
  readonly ok: boolean;
}

export interface RunDigest {
  readonly testId: string;
  readonly profile: ProfileName;
  readonly baseUrl: string;
  /** Execution segment of this instance, e.g. `0:1` or `1/3:2/3`. */
  readonly segment: string;
  readonly durationSeconds: number;
  readonly requests: number;
  readonly failedRequests: number;
  readonly iterations: number;
  readonly checksPassed: number;
  readonly checksFailed: number;
  readonly avgMs: number | null;
  readonly p95Ms: number | null;
  readonly p99Ms: number | null;
  readonly maxMs: number | null;
  readonly limits: ProfileThresholds;
  readonly onThresholdFailure: Profile['onThresholdFailure'];
  readonly thresholds: readonly ThresholdResult[];
  readonly levels: readonly LevelDigest[];
}

const levelMetric = (metric: string, vus: number) => `${metric}{${LEVEL_TAG}:${vus}}`;

/** k6 thresholds of a profile: overall, and per level so the summary carries per-level figures. */
export function thresholdsOf(profile: Profile): Record<string, string[]> {
  const { failedRate, p95Ms, checksRate } = profile.thresholds;
  const thresholds: Record<string, string[]> = {
    http_req_failed: [`rate<${failedRate}`],
    http_req_duration: [`p(95)<${p95Ms}`],
    checks: [`rate>${checksRate}`],
  };
  for (const vus of profile.levels) {
    thresholds[levelMetric('http_req_failed', vus)] = [`rate<${failedRate}`];
    thresholds[levelMetric('http_req_duration', vus)] = [`p(95)<${p95Ms}`];
    // Always true: it only makes k6 keep the per-level request count for the summary.
    thresholds[levelMetric('http_reqs', vus)] = ['count>=0'];
  }
  return thresholds;
}

export interface DigestContext {
  readonly testId: string;
  readonly profileName: ProfileName;
  readonly profile: Profile;
  readonly stages: readonly Stage[];
  readonly baseUrl: string;
  readonly segment: string;
}

const orNull = (value: number | undefined): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

export function digestOf(data: K6SummaryData, ctx: DigestContext): RunDigest {
  const m = (name: string) => data.metrics[name];
  const value = (name: string, key: string) => m(name)?.values[key];
  const thresholds: ThresholdResult[] = [];
  for (const [metric, entry] of Object.entries(data.metrics)) {
    for (const [expression, result] of Object.entries(entry?.thresholds ?? {})) thresholds.push({ metric, expression, ok: result.ok });
  }
  thresholds.sort((a, b) => a.metric.localeCompare(b.metric));
  const levelOk = (vus: number) => thresholds.filter((t) => t.metric.endsWith(`{${LEVEL_TAG}:${vus}}`)).every((t) => t.ok);
  const levels = ctx.profile.levels.map((vus) => ({
    vus,
    seconds: ctx.stages.filter((s) => s.level === vus).reduce((total, s) => total + s.durationSeconds, 0),
    requests: value(levelMetric('http_reqs', vus), 'count') ?? 0,
    // k6's Rate counts `true` samples as passes: for http_req_failed those are the failed requests.
    failedRequests: value(levelMetric('http_req_failed', vus), 'passes') ?? 0,
    p95Ms: orNull(value(levelMetric('http_req_duration', vus), 'p(95)')),
    thresholdsOk: levelOk(vus),
  }));
  return {
    testId: ctx.testId,
    profile: ctx.profileName,
    baseUrl: ctx.baseUrl,
    segment: ctx.segment,
    durationSeconds: data.state.testRunDurationMs / 1000,
    requests: value('http_reqs', 'count') ?? 0,
    failedRequests: value('http_req_failed', 'passes') ?? 0,
    iterations: value('iterations', 'count') ?? 0,
    checksPassed: value('checks', 'passes') ?? 0,
    checksFailed: value('checks', 'fails') ?? 0,
    avgMs: orNull(value('http_req_duration', 'avg')),
    p95Ms: orNull(value('http_req_duration', 'p(95)')),
    p99Ms: orNull(value('http_req_duration', 'p(99)')),
    maxMs: orNull(value('http_req_duration', 'max')),
    limits: ctx.profile.thresholds,
    onThresholdFailure: ctx.profile.onThresholdFailure,
    thresholds,
    levels,
  };
}

/** The digest lines in a k6 output (one per instance; several when pods' logs are concatenated). */
export function parseDigests(output: string): RunDigest[] {
  return output
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith(DIGEST_MARKER))
    .map((line) => JSON.parse(line.slice(DIGEST_MARKER.length)) as RunDigest);
}

export interface LevelReport {
  readonly vus: number;
  readonly requests: number;
  readonly reqPerSecond: number;
  readonly failedRate: number;
  readonly p95Ms: number | null;
  readonly thresholdsOk: boolean;
}

export interface RunReport {
  readonly testId: string;
  readonly profile: ProfileName;
  readonly baseUrl: string;
  readonly instances: number;
  readonly durationSeconds: number;
  readonly requests: number;
  readonly reqPerSecond: number;
  readonly failedRate: number;
  readonly checksRate: number;
  /** Largest over instances: percentiles do not add up, so a split test reports its worst instance. */
  readonly p95Ms: number | null;
  readonly p99Ms: number | null;
  readonly limits: ProfileThresholds;
  readonly failedThresholds: readonly ThresholdResult[];
  readonly levels: readonly LevelReport[];
  /** The first level whose thresholds failed: where the service saturated. Null when none did. */
  readonly saturatedAtVus: number | null;
  /** The level with the highest throughput. */
  readonly peak: LevelReport | null;
  readonly verdict: 'passed' | 'failed' | 'saturated';
}

const sum = (values: readonly number[]) => values.reduce((total, v) => total + v, 0);
const maxOf = (values: ReadonlyArray<number | null>): number | null => {
  const present = values.filter((v): v is number => v !== null);
  return present.length > 0 ? Math.max(...present) : null;
};

/** One report from the digests of every instance of one test. */
export function reportOf(digests: readonly RunDigest[]): RunReport {
  const first = digests[0];
  if (!first) throw new Error('no k6 run digest found in the output: did k6 reach the end of the test? (look for errors above)');
  const requests = sum(digests.map((d) => d.requests));
  const durationSeconds = Math.max(...digests.map((d) => d.durationSeconds));
  const checks = sum(digests.map((d) => d.checksPassed + d.checksFailed));
  const levels = first.levels.map((level, i): LevelReport => {
    const same = digests.map((d) => d.levels[i]).filter((l): l is LevelDigest => l !== undefined);
    const levelRequests = sum(same.map((l) => l.requests));
    return {
      vus: level.vus,
      requests: levelRequests,
      reqPerSecond: level.seconds > 0 ? levelRequests / level.seconds : 0,
      failedRate: levelRequests > 0 ? sum(same.map((l) => l.failedRequests)) / levelRequests : 0,
      p95Ms: maxOf(same.map((l) => l.p95Ms)),
      thresholdsOk: same.every((l) => l.thresholdsOk),
    };
  });
  const failedThresholds = digests.flatMap((d) => d.thresholds.filter((t) => !t.ok));
  const saturated = levels.find((l) => !l.thresholdsOk);
  const peak = levels.reduce<LevelReport | null>((best, l) => (best === null || l.reqPerSecond > best.reqPerSecond ? l : best), null);
  return {
    testId: first.testId,
    profile: first.profile,
    baseUrl: first.baseUrl,
    instances: digests.length,
    durationSeconds,
    requests,
    reqPerSecond: durationSeconds > 0 ? requests / durationSeconds : 0,
    failedRate: requests > 0 ? sum(digests.map((d) => d.failedRequests)) / requests : 0,
    checksRate: checks > 0 ? sum(digests.map((d) => d.checksPassed)) / checks : 0,
    p95Ms: maxOf(digests.map((d) => d.p95Ms)),
    p99Ms: maxOf(digests.map((d) => d.p99Ms)),
    limits: first.limits,
    failedThresholds,
    levels,
    saturatedAtVus: saturated?.vus ?? null,
    peak,
    verdict: failedThresholds.length === 0 ? 'passed' : first.onThresholdFailure === 'saturated' ? 'saturated' : 'failed',
  };
}

const ms = (v: number | null) => (v === null ? '-' : `${v.toFixed(1)} ms`);
const pct = (v: number) => `${(v * 100).toFixed(2)} %`;
const pad = (text: string | number, width: number) => String(text).padStart(width);

const VERDICT_TEXT: Readonly<Record<RunReport['verdict'], string>> = {
  passed: 'PASSED: every threshold held',
  failed: 'FAILED: thresholds crossed under a load the service must carry',
  saturated: 'SATURATED: the profile found the limit (thresholds crossed; this profile is meant to find it)',
};

/** The human report, ending with the row for the results table of docs/LOAD_TESTING.md. */
export function formatReport(r: RunReport): string {
  const lines = [
    `k6 load test  profile=${r.profile}  testid=${r.testId}  target=${r.baseUrl}  instances=${r.instances}`,
    `duration ${r.durationSeconds.toFixed(0)} s | requests ${r.requests} | ${r.reqPerSecond.toFixed(1)} req/s | failed ${pct(r.failedRate)} | p95 ${ms(r.p95Ms)} | p99 ${ms(r.p99Ms)} | checks ${pct(r.checksRate)}`,
    `thresholds: failed < ${pct(r.limits.failedRate)}, p95 < ${r.limits.p95Ms} ms, checks > ${pct(r.limits.checksRate)}`,
    '',
    `${pad('VUs', 6)} ${pad('requests', 9)} ${pad('req/s', 8)} ${pad('p95', 11)} ${pad('failed', 9)}  thresholds`,
    ...r.levels.map(
      (l) => `${pad(l.vus, 6)} ${pad(l.requests, 9)} ${pad(l.reqPerSecond.toFixed(1), 8)} ${pad(ms(l.p95Ms), 11)} ${pad(pct(l.failedRate), 9)}  ${l.thresholdsOk ? 'ok' : 'CROSSED'}`,
    ),
    '',
    ...r.failedThresholds.map((t) => `crossed: ${t.metric} ${t.expression}`),
    `verdict: ${VERDICT_TEXT[r.verdict]}`,
    `thresholds first crossed (saturation point) at: ${r.saturatedAtVus === null ? 'not reached' : `${r.saturatedAtVus} VUs`}; peak throughput ${r.peak ? `${r.peak.reqPerSecond.toFixed(1)} req/s at ${r.peak.vus} VUs` : '-'}`,
    '',
    'results row (docs/LOAD_TESTING.md):',
    resultsRow(r),
  ];
  return lines.join('\n');
}

/** `| profile | peak VUs | req/s | p95 | p99 | failed | saturated at | verdict | test id |` */
export function resultsRow(r: RunReport): string {
  const peakVus = r.levels.length > 0 ? Math.max(...r.levels.map((l) => l.vus)) : 0;
  const saturated = r.saturatedAtVus === null ? 'not reached' : `${r.saturatedAtVus} VUs`;
  return `| ${r.profile} | ${peakVus} | ${r.reqPerSecond.toFixed(1)} | ${ms(r.p95Ms)} | ${ms(r.p99Ms)} | ${pct(r.failedRate)} | ${saturated} | ${r.verdict} | ${r.testId} |`;
}
