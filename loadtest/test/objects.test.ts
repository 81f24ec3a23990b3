import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { APP_NAMESPACE, IMAGES, K6_VERSION } from '../../project/constants.js';
import { requireTools } from '../../testing/tools.js';
import { K6_INSTANCE_LABEL, K6_TEST_ID_LABEL, K6_TREND_STATS } from '../k6-metrics.js';
import {
  DEFAULT_REMOTE_WRITE_URL,
  DEFAULT_TARGET_URL,
  K6_ENTRY_SCRIPT,
  K6_POD_LABELS,
  K6_SCRIPTS_CONFIGMAP,
  K6_TEST_ID_POD_LABEL,
  executionSegments,
  k6Jobs,
  k6ScriptConfigMap,
} from '../cluster/objects.js';
import { readK6Scripts } from '../cluster/scripts.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** `1/3` -> 1/3 as a fraction [numerator, denominator]. */
const fraction = (text: string): [number, number] => {
  const [n, d = '1'] = text.split('/');
  return [Number(n), Number(d)];
};
const equal = (a: [number, number], b: [number, number]) => a[0] * b[1] === b[0] * a[1];

const argAfter = (args: readonly string[], flag: string): string[] => args.flatMap((a, i) => (a === flag ? [args[i + 1] ?? ''] : []));

describe('k6ScriptConfigMap(opts)', () => {
  test('holds every k6 script file under its own key, in the app namespace, and validates', () => {
    const scripts = readK6Scripts();
    const cm = k6ScriptConfigMap({ scripts });
    cm.validate();
    assert.equal(cm.metadata?.name, K6_SCRIPTS_CONFIGMAP);
    assert.equal(cm.metadata?.namespace, APP_NAMESPACE);
    assert.deepEqual(Object.keys(cm.data ?? {}), ['crud.ts', 'digest.ts', 'main.ts', 'mix.ts', 'profiles.ts']);
    assert.equal(cm.data?.['main.ts'], readFileSync(path.join(ROOT, 'loadtest/k6/main.ts'), 'utf8'));
  });

  test('every relative import of a script names another file of the ConfigMap (the mount is flat)', () => {
    const scripts = readK6Scripts();
    for (const [name, source] of Object.entries(scripts)) {
      for (const [, target] of source.matchAll(/from '\.\/([^']+)'/g)) {
        assert.ok(target && target in scripts, `${name} imports ./${target}, which is not in the ConfigMap`);
      }
    }
  });

  test('rejects a script set without main.ts, and nested names', () => {
    assert.throws(() => k6ScriptConfigMap({ scripts: { 'crud.ts': '' } }), /must include main\.ts/);
    assert.throws(() => k6ScriptConfigMap({ scripts: { 'main.ts': '', 'lib/x.ts': '' } }), /flat file names.*lib\/x\.ts/);
  });
});

describe('k6Jobs(opts)', () => {
  const base = { profile: 'light', testId: 'light-20250102-130405' } as const;

  test('parallelism 1: one Job running the whole test, valid against the Kubernetes schema', () => {
    const jobs = k6Jobs(base);
    assert.equal(jobs.length, 1);
    const job = jobs[0];
    assert.ok(job);
    job.validate();
    assert.equal(job.metadata?.name, 'k6-light-20250102-130405-0');
    assert.equal(job.metadata?.namespace, APP_NAMESPACE);
    assert.equal(job.spec?.backoffLimit, 0, 'a load test is never retried');
    const pod = job.spec?.template.spec;
    assert.equal(pod?.restartPolicy, 'Never');
    assert.deepEqual(job.spec?.template.metadata?.labels, { ...K6_POD_LABELS, [K6_TEST_ID_POD_LABEL]: base.testId });
    const container = pod?.containers[0];
    assert.equal(container?.image, IMAGES.k6);
    assert.equal(container?.imagePullPolicy, 'IfNotPresent');
    const args = container?.args ?? [];
    assert.deepEqual(argAfter(args, '--out'), ['experimental-prometheus-rw']);
    assert.deepEqual(argAfter(args, '--tag'), [`${K6_TEST_ID_LABEL}=${base.testId}`, `${K6_INSTANCE_LABEL}=0`]);
    assert.deepEqual(argAfter(args, '--execution-segment'), ['0:1']);
    assert.deepEqual(argAfter(args, '--execution-segment-sequence'), ['0,1']);
    assert.equal(args.at(-1), `/scripts/${K6_ENTRY_SCRIPT}`);
    const env = Object.fromEntries((container?.env ?? []).map((e) => [e.name, e.value]));
    assert.equal(env.PROFILE, 'light');
    assert.equal(env.BASE_URL, DEFAULT_TARGET_URL);
    assert.equal(env.BASE_URL, 'http://items-api.items.svc:3030');
    assert.equal(env.K6_PROMETHEUS_RW_SERVER_URL, DEFAULT_REMOTE_WRITE_URL);
    assert.equal(env.K6_PROMETHEUS_RW_SERVER_URL, 'http://kube-prometheus-stack-prometheus.monitoring.svc:9090/api/v1/write');
    assert.equal(env.K6_PROMETHEUS_RW_TREND_STATS, K6_TREND_STATS.join(','));
    assert.equal(pod?.volumes?.find((v) => v.name === 'scripts')?.configMap?.name, K6_SCRIPTS_CONFIGMAP);
    assert.equal(pod?.securityContext?.runAsNonRoot, true);
    assert.equal(container?.securityContext?.readOnlyRootFilesystem, true);
  });

  test('in another namespace the Job targets items-api in that namespace, not the default one', () => {
    const [job] = k6Jobs({ ...base, namespace: 'staging' });
    const env = Object.fromEntries((job?.spec?.template.spec?.containers[0]?.env ?? []).map((e) => [e.name, e.value]));
    assert.equal(job?.metadata?.namespace, 'staging');
    assert.equal(env.BASE_URL, 'http://items-api.staging.svc:3030');
  });

  test('parallelism 3: three Jobs whose execution segments cover 0..1 exactly once, in order', () => {
    const jobs = k6Jobs({ ...base, parallelism: 3 });
    assert.equal(jobs.length, 3);
    for (const job of jobs) job.validate();
    const argsOf = (i: number) => jobs[i]?.spec?.template.spec?.containers[0]?.args ?? [];
    const sequences = jobs.map((_, i) => argAfter(argsOf(i), '--execution-segment-sequence')[0]);
    assert.deepEqual(new Set(sequences), new Set(['0,1/3,2/3,1']), 'every instance knows the same sequence');
    const segments = jobs.map((_, i) => (argAfter(argsOf(i), '--execution-segment')[0] ?? '').split(':').map(fraction));
    let covered: [number, number] = [0, 1];
    for (const [from, to] of segments) {
      assert.ok(from && to && equal(from, covered), `segment starts where the previous ended: ${JSON.stringify(segments)}`);
      covered = to;
    }
    assert.ok(equal(covered, [1, 1]), 'the last segment ends at 1');
    assert.deepEqual(
      jobs.map((j) => j.metadata?.name),
      ['k6-light-20250102-130405-0', 'k6-light-20250102-130405-1', 'k6-light-20250102-130405-2'],
    );
    assert.deepEqual(
      jobs.map((_, i) => argAfter(argsOf(i), '--tag')[1]),
      [0, 1, 2].map((i) => `${K6_INSTANCE_LABEL}=${i}`),
      'instances write distinct series',
    );
  });

  test('executionSegments(n) covers 0..1 for every n from 1 to 10', () => {
    for (let n = 1; n <= 10; n++) {
      const { sequence, segments } = executionSegments(n);
      const bounds = sequence.split(',').map(fraction);
      assert.equal(bounds.length, n + 1);
      assert.ok(equal(bounds[0] ?? [1, 1], [0, 1]) && equal(bounds[n] ?? [0, 1], [1, 1]));
      assert.deepEqual(segments, bounds.slice(0, -1).map((_, i) => `${sequence.split(',')[i]}:${sequence.split(',')[i + 1]}`));
    }
  });

  test('duration overrides reach the script as env and stretch the Job deadline', () => {
    const short = k6Jobs(base)[0];
    const long = k6Jobs({ ...base, durations: { HOLD: '10m' } })[0];
    const env = Object.fromEntries((long?.spec?.template.spec?.containers[0]?.env ?? []).map((e) => [e.name, e.value]));
    assert.equal(env.HOLD, '10m');
    assert.equal((long?.spec?.activeDeadlineSeconds ?? 0) - (short?.spec?.activeDeadlineSeconds ?? 0), 600 - 120);
  });

  test('rejects test ids that cannot name a Job, and parallelism outside 1..100', () => {
    assert.throws(() => k6Jobs({ ...base, testId: 'Light_Run' }), /test id "Light_Run" must be/);
    assert.throws(() => k6Jobs({ ...base, testId: 'x'.repeat(41) }), /at most|1-40/);
    assert.throws(() => k6Jobs({ ...base, parallelism: 0 }), /parallelism must be an integer from 1 to 100/);
  });
});

describe('k6 version pin', () => {
  test('mk/tools.mk, project/constants.ts and the in-cluster image name one k6 version', () => {
    const pinned = /^K6_VERSION\s*:=\s*v(\S+)/m.exec(readFileSync(path.join(ROOT, 'mk/tools.mk'), 'utf8'))?.[1];
    assert.equal(pinned, K6_VERSION);
    assert.equal(IMAGES.k6, `grafana/k6:${K6_VERSION}`);
  });

  test('the local k6 binary is that version', (t) => {
    const tools = requireTools(t, ['k6']);
    if (!tools) return;
    assert.match(execFileSync(tools.k6 as string, ['version'], { encoding: 'utf8' }), new RegExp(`k6 v${K6_VERSION.replace(/\./g, '\\.')}\\b`));
  });
});
