/**
 * The items-api load test. The same file runs locally (`make load-local`) and in the cluster
 * (`make load`, from the k6-scripts ConfigMap).
 *
 * Environment:
 *   PROFILE      smoke | light | medium | heavy (default smoke)
 *   BASE_URL     items-api base URL (default http://127.0.0.1:3030)
 *   TEST_ID      test id shown in the report (the `testid` metric tag is set with --tag)
 *   HOLD         how long each VU level is held (seconds or 30s, 2m), overrides the profile
 *   RAMP_DOWN    ramp-down duration, overrides the profile
 *   RESULTS_DIR  when set, handleSummary writes summary.json and digest.json there
 */
import { sleep } from 'k6';
import exec from 'k6/execution';
import type { Options } from 'k6/options';
import { runOperation } from './crud.ts';
import { type K6SummaryData, DIGEST_MARKER, LEVEL_TAG, digestOf, formatReport, reportOf, thresholdsOf } from './digest.ts';
import { type Operation, ItemPool, pickOperation } from './mix.ts';
import { type ProfileName, levelAt, profileOf, stagesOf } from './profiles.ts';

const profileName = (__ENV.PROFILE || 'smoke') as ProfileName;
const profile = profileOf(profileName);
const stages = stagesOf(profile, { HOLD: __ENV.HOLD, RAMP_DOWN: __ENV.RAMP_DOWN });
const baseUrl = (__ENV.BASE_URL || 'http://127.0.0.1:3030').replace(/\/+$/, '');

export const options: Options = {
  scenarios: {
    crud: {
      executor: 'ramping-vus',
      startVUs: 0,
      stages: stages.map((s) => ({ duration: `${s.durationSeconds}s`, target: s.target })),
      gracefulRampDown: '5s',
      gracefulStop: '10s',
    },
  },
  thresholds: thresholdsOf(profile),
  // Leaves out `url` (it holds item ids: unbounded label values in Prometheus), `error` (free
  // text) and the TLS/protocol tags this plain-HTTP test never varies.
  systemTags: ['status', 'method', 'name', 'group', 'check', 'error_code', 'scenario', 'expected_response'],
  summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'count'],
};

/** Per-VU state: each VU has its own JavaScript runtime, so this pool is this VU's alone. */
const pool = new ItemPool();

export default function crudIteration(): void {
  const elapsedSeconds = exec.instance.currentTestRunDuration / 1000;
  // A VU-wide tag: every request, check and iteration metric of this iteration carries the level.
  exec.vu.metrics.tags[LEVEL_TAG] = String(levelAt(stages, elapsedSeconds));
  const op: Operation = pickOperation(Math.random());
  runOperation(op, { baseUrl, pool, random: Math.random });
  // Think time of the old Locust users: 0.1 to 0.5 s.
  sleep(0.1 + Math.random() * 0.4);
}

export function handleSummary(data: K6SummaryData): Record<string, string> {
  const digest = digestOf(data, {
    testId: __ENV.TEST_ID || 'local',
    profileName,
    profile,
    stages,
    baseUrl,
    segment: exec.test.options.executionSegment ?? '0:1',
  });
  const out: Record<string, string> = {
    stdout: `\n${formatReport(reportOf([digest]))}\n\n${DIGEST_MARKER}${JSON.stringify(digest)}\n`,
  };
  const dir = __ENV.RESULTS_DIR;
  if (dir) {
    out[`${dir}/summary.json`] = JSON.stringify(data, null, 2);
    out[`${dir}/digest.json`] = JSON.stringify(digest, null, 2);
  }
  return out;
}
