import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { anyOf, cleanNumber, durationSeconds, leMatcher, quote, selector, eq, notMatches } from './promql.js';
import { metricNamesIn } from './promql-names.js';

describe('anyOf(values)', () => {
  const cases: Array<[string, string[], string]> = [
    ['escapes the dot of a file name so it matches only a dot', ['/openapi.json'], '/openapi\\.json'],
    ['keeps colons and slashes of router templates as they are', ['/docs/:asset'], '/docs/:asset'],
    ['joins several values with |', ['/livez', '/readyz'], '/livez|/readyz'],
    ['escapes every RE2 metacharacter', ['a+b*c?(d)[e]{f}^$|\\'], 'a\\+b\\*c\\?\\(d\\)\\[e\\]\\{f\\}\\^\\$\\|\\\\'],
  ];
  for (const [name, values, expected] of cases) test(name, () => assert.equal(anyOf(values), expected));
  test('refuses an empty list, whose regex would match the empty label', () => assert.throws(() => anyOf([]), /at least one value/));
});

describe('quote(value) and selectors', () => {
  test('escapes backslashes and quotes inside a PromQL string', () => assert.equal(quote('a\\.b"c'), '"a\\\\.b\\"c"'));
  test('a selector lists its matchers after the metric name', () =>
    assert.equal(selector('up', [eq('job', 'items-api'), notMatches('route', 'x|y')]), 'up{job="items-api", route!~"x|y"}'));
  test('a selector without matchers is the bare metric name', () => assert.equal(selector('up', []), 'up'));
});

describe('leMatcher(bound)', () => {
  test('a fractional bound is matched exactly (Prometheus 2 and 3 write 0.25 alike)', () => assert.equal(leMatcher(0.25), 'le="0.25"'));
  test('an integral bound also matches Prometheus 3\'s "1.0"', () => assert.equal(leMatcher(1), 'le=~"1(\\\\.0)?"'));
  test('a non-positive bound is refused', () => assert.throws(() => leMatcher(0), /positive/));
});

describe('durationSeconds(duration)', () => {
  const cases: Array<[string, number]> = [['5m', 300], ['1h', 3600], ['30d', 2_592_000], ['1h30m', 5400], ['30s', 30], ['1w', 604_800], ['1m30s500ms', 90.5]];
  for (const [duration, seconds] of cases) test(`${duration} is ${seconds} seconds`, () => assert.equal(durationSeconds(duration), seconds));
  for (const bad of ['', '5', 'm5', '5 m', '1.5h', '5m1h']) test(`${JSON.stringify(bad)} is refused`, () => assert.throws(() => durationSeconds(bad), /not a Prometheus duration/));
});

test('cleanNumber drops binary noise: 1 - 0.995 is 0.005', () => assert.equal(cleanNumber(1 - 0.995), 0.005));

describe('metricNamesIn(expr)', () => {
  const cases: Array<[string, string, string[]]> = [
    ['finds a bare selector', 'up{job="items-api"} == 0', ['up']],
    ['skips functions, aggregations and their label lists', 'sum by (namespace, job) (rate(http_requests_total{route!~"/a|/b"}[5m]))', ['http_requests_total']],
    ['skips numbers in scientific notation and keywords', 'a / 1e-06 > bool 2 and on (pod) b or c unless d offset 5m', ['a', 'b', 'c', 'd']],
    ['skips label names and values inside matchers', 'x{le="0.25", slo="availability"}', ['x']],
    ['finds recorded names with colons', 'slo:sli_error:ratio_rate5m{slo="latency"} / 0.01', ['slo:sli_error:ratio_rate5m']],
    ['skips group_left label lists', 'a * on (pod) group_left (node) b', ['a', 'b']],
    ['skips aggregation clauses written after the argument', 'sum(rate(x[5m])) by (le)', ['x']],
  ];
  for (const [name, expr, expected] of cases) test(name, () => assert.deepEqual(metricNamesIn(expr), expected));
});
