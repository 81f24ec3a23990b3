import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DIGEST_MARKER, formatReport, parseDigests, reportOf, thresholdsOf } from '../k6/digest.js';
import { ItemPool, MIX, OPERATIONS, pickOperation } from '../k6/mix.js';
import { PROFILES, levelAt, parseDurationSeconds, plannedSeconds, profileOf, stagesOf } from '../k6/profiles.js';
import { digest } from './fixtures.js';

describe('profiles', () => {
  test('light, medium and heavy are the old project\'s 50 users 10/s, 100 users 10/s, 1000 users 20/s', () => {
    const peak = (name: keyof typeof PROFILES) => Math.max(...PROFILES[name].levels);
    assert.deepEqual([peak('light'), PROFILES.light.rampPerSecond], [50, 10]);
    assert.deepEqual([peak('medium'), PROFILES.medium.rampPerSecond], [100, 10]);
    assert.deepEqual([peak('heavy'), PROFILES.heavy.rampPerSecond], [1000, 20]);
    assert.ok(plannedSeconds(PROFILES.smoke) <= 20, 'smoke stays short');
  });

  test('heavy describes saturation; the others must meet their thresholds', () => {
    assert.equal(PROFILES.heavy.onThresholdFailure, 'saturated');
    for (const name of ['smoke', 'light', 'medium'] as const) assert.equal(PROFILES[name].onThresholdFailure, 'fail');
  });

  test('stages climb to each level at the ramp rate, hold it, then ramp down (tagged level 0)', () => {
    assert.deepEqual(stagesOf(PROFILES.light), [
      { durationSeconds: 5, target: 50, level: 50 },
      { durationSeconds: 120, target: 50, level: 50 },
      { durationSeconds: 10, target: 0, level: 0 },
    ]);
    const heavy = stagesOf(PROFILES.heavy, { HOLD: '30s' });
    assert.equal(heavy.length, 21);
    assert.deepEqual(heavy.slice(0, 4), [
      { durationSeconds: 5, target: 100, level: 100 },
      { durationSeconds: 30, target: 100, level: 100 },
      { durationSeconds: 5, target: 200, level: 200 },
      { durationSeconds: 30, target: 200, level: 200 },
    ]);
  });

  test('levelAt maps elapsed time to the level being climbed to or held', () => {
    const stages = stagesOf(PROFILES.heavy, { HOLD: '10s', RAMP_DOWN: '5s' });
    assert.equal(levelAt(stages, 0), 100);
    assert.equal(levelAt(stages, 14.9), 100);
    assert.equal(levelAt(stages, 15), 200);
    assert.equal(levelAt(stages, 149), 1000);
    assert.equal(levelAt(stages, 151), 0);
    assert.equal(levelAt(stages, 10_000), 0);
  });

  test('durations parse as k6 writes them, and bad ones are named', () => {
    assert.equal(parseDurationSeconds('45', 'HOLD'), 45);
    assert.equal(parseDurationSeconds('2m', 'HOLD'), 120);
    assert.equal(parseDurationSeconds('1m30s', 'HOLD'), 90);
    assert.equal(parseDurationSeconds('1h', 'HOLD'), 3600);
    assert.throws(() => parseDurationSeconds('2 minutes', 'HOLD'), /HOLD: "2 minutes" is not a duration/);
    assert.throws(() => profileOf('huge'), /unknown load profile "huge": use one of smoke, light, medium, heavy/);
  });

  test('thresholds: failure rate and p95 overall and per level, plus checks', () => {
    const t = thresholdsOf(PROFILES.light);
    assert.deepEqual(t.http_req_failed, ['rate<0.005']);
    assert.deepEqual(t.http_req_duration, ['p(95)<250']);
    assert.deepEqual(t['http_req_duration{level:50}'], ['p(95)<250']);
    assert.deepEqual(t['http_reqs{level:50}'], ['count>=0']);
    assert.equal(Object.keys(thresholdsOf(PROFILES.heavy)).filter((k) => k.startsWith('http_req_duration{')).length, 10);
  });
});

describe('the CRUD mix', () => {
  test('picks list 5 : get 3 : create 2 : update 1 : delete 1 over the unit interval', () => {
    const counts = Object.fromEntries(OPERATIONS.map((op) => [op, 0])) as Record<string, number>;
    const steps = 12_000;
    for (let i = 0; i < steps; i++) counts[pickOperation(i / steps)] = (counts[pickOperation(i / steps)] ?? 0) + 1;
    for (const op of OPERATIONS) assert.equal(counts[op], (MIX[op] / 12) * steps, op);
  });

  test('the id pool forgets deleted ids and the oldest beyond its capacity', () => {
    const pool = new ItemPool(3);
    for (const id of [1, 2, 3, 4]) pool.add(id);
    assert.equal(pool.size, 3);
    assert.equal(pool.pick(0), 2);
    pool.remove(3);
    assert.deepEqual([pool.pick(0), pool.pick(0.99)], [2, 4]);
    assert.equal(new ItemPool().pick(0.5), undefined);
  });
});

describe('reports', () => {
  test('combine the instances of a split test: counts add, percentiles take the worst instance', () => {
    const a = digest();
    const b = digest({ segment: '1/2:1', p95Ms: 140, levels: [a.levels[0]!, { ...a.levels[1]!, p95Ms: 180 }] });
    const r = reportOf([a, b]);
    assert.equal(r.instances, 2);
    assert.equal(r.requests, 2000);
    assert.equal(r.reqPerSecond, 20);
    assert.equal(r.failedRate, 0.01);
    assert.equal(r.p95Ms, 140);
    assert.deepEqual(r.levels.map((l) => [l.vus, l.reqPerSecond, l.p95Ms]), [[100, 80, 50], [200, 120, 180]]);
    assert.equal(r.verdict, 'passed');
    assert.equal(r.saturatedAtVus, null);
    assert.equal(r.peak?.vus, 200);
  });

  test('the first level whose thresholds failed is the saturation point; heavy calls it saturated', () => {
    const d = digest({
      thresholds: [{ metric: 'http_req_duration{level:200}', expression: 'p(95)<1000', ok: false }],
      levels: [digest().levels[0]!, { ...digest().levels[1]!, p95Ms: 1500, thresholdsOk: false }],
    });
    const r = reportOf([d]);
    assert.equal(r.verdict, 'saturated');
    assert.equal(r.saturatedAtVus, 200);
    const text = formatReport(r);
    assert.match(text, /SATURATED/);
    assert.match(text, /saturation point\) at: 200 VUs/);
    assert.match(text, /\| heavy \| 200 \| 10\.0 \| 100\.0 ms \| 300\.0 ms \| 1\.00 % \| 200 VUs \| saturated \| heavy-x \|/);
    assert.equal(reportOf([{ ...d, onThresholdFailure: 'fail' }]).verdict, 'failed');
  });

  test('digests are found on their marked lines among other output, and their absence is explained', () => {
    const out = `noise\n[k6-a-0] ${DIGEST_MARKER}${JSON.stringify(digest())}\nmore\n${DIGEST_MARKER}${JSON.stringify(digest())}\n`;
    assert.equal(parseDigests(out.replace('[k6-a-0] ', '')).length, 2);
    assert.throws(() => reportOf(parseDigests('no summary')), /no k6 run digest found/);
  });
});
