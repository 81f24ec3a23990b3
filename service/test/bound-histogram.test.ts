import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { Histogram, Registry } from 'prom-client';
import { BoundHistogram } from '../src/metrics/bound-histogram.js';
import { DB_DURATION_BUCKETS, HTTP_DURATION_BUCKETS } from '../src/metrics/catalog.js';

const LABEL_NAMES = ['method', 'route', 'status_code'] as const;
type Labels = Record<(typeof LABEL_NAMES)[number], string>;

/** The same histogram twice: prom-client's own (the reference) and the bound one, each in its registry. */
function pair(labelNames: readonly string[], buckets: readonly number[]) {
  const reference = new Registry();
  const bound = new Registry();
  const def = { name: 'test_duration_seconds', help: 'Durations.' };
  return {
    reference: new Histogram({ ...def, labelNames: [...labelNames], buckets: [...buckets], registers: [reference] }),
    bound: new BoundHistogram({ ...def, labelNames, buckets, registry: bound }),
    texts: async () => [await reference.metrics(), await bound.metrics()] as const,
  };
}

// Bucket bounds themselves, values between and beyond them, zero and negatives: every branch of the bucket search.
const observation = (buckets: readonly number[]) =>
  fc.oneof(fc.constantFrom(...buckets, 0, -0.001), fc.double({ min: -1, max: 20, noNaN: true }));

describe('BoundHistogram renders exactly what prom-client\'s Histogram renders', () => {
  test('for any sequence of labelled observations (HTTP buckets)', async () => {
    const labels = fc.record<Labels>({
      method: fc.constantFrom('GET', 'POST', 'OTHER'),
      route: fc.constantFrom('/items/:id', '/items', 'unmatched'),
      status_code: fc.constantFrom('200', '404', '503'),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(labels, observation(HTTP_DURATION_BUCKETS)), { maxLength: 200 }), async (observations) => {
        const h = pair(LABEL_NAMES, HTTP_DURATION_BUCKETS);
        const children = new Map<string, { observe(v: number): void }>();
        for (const [l, value] of observations) {
          h.reference.labels(l).observe(value);
          // Bound once per label set and reused, as the service does.
          const key = JSON.stringify(l);
          const child = children.get(key) ?? h.bound.labels(l);
          children.set(key, child);
          child.observe(value);
        }
        const [reference, bound] = await h.texts();
        assert.equal(bound, reference);
      }),
      { numRuns: 200 },
    );
  });

  test('without labels: the zero series before any observation, then the same after each (DB buckets)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(observation(DB_DURATION_BUCKETS), { maxLength: 100 }), async (values) => {
        const h = pair([], DB_DURATION_BUCKETS);
        let [reference, bound] = await h.texts();
        assert.equal(bound, reference);
        for (const value of values) {
          h.reference.observe(value);
          h.bound.observe(value);
        }
        [reference, bound] = await h.texts();
        assert.equal(bound, reference);
      }),
      { numRuns: 100 },
    );
  });

  test('a child bound but not yet observed adds no series', async () => {
    const h = pair(LABEL_NAMES, HTTP_DURATION_BUCKETS);
    const labels = { method: 'GET', route: '/items', status_code: '500' };
    h.reference.labels(labels);
    h.bound.labels(labels);
    const [reference, bound] = await h.texts();
    assert.equal(bound, reference);
    assert.doesNotMatch(bound, /status_code="500"/);
  });

  test('reset hides every label set, and a child bound before it counts again from zero', async () => {
    for (const labelNames of [LABEL_NAMES, []] as const) {
      const h = pair(labelNames, HTTP_DURATION_BUCKETS);
      const labels: Record<string, string> = labelNames.length > 0 ? { method: 'GET', route: '/items', status_code: '200' } : {};
      const children = [h.reference.labels(labels), h.bound.labels(labels)];
      for (const child of children) child.observe(0.1);
      h.reference.reset();
      h.bound.reset();
      let [reference, bound] = await h.texts();
      assert.equal(bound, reference, `after reset (${labelNames.length} labels)`);
      for (const child of children) child.observe(0.3);
      [reference, bound] = await h.texts();
      assert.equal(bound, reference, `a held child after reset (${labelNames.length} labels)`);
    }
  });
});

describe('BoundHistogram refuses what prom-client refuses', () => {
  const histogram = () => new BoundHistogram({ name: 'h_seconds', help: 'h', labelNames: ['route'], buckets: [0.1, 1], registry: new Registry() });

  test('a label set with a missing or an unknown label name, naming the histogram and its labels', () => {
    assert.throws(() => histogram().labels({}), /histogram h_seconds: labels \{\} do not match its label names \(route\)/);
    assert.throws(() => histogram().labels({ route: '/x', extra: 'y' }), /do not match its label names \(route\)/);
  });

  test('an observation that is not a finite number', () => {
    const child = histogram().labels({ route: '/x' });
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) assert.throws(() => child.observe(bad), /must be a finite number/);
  });

  test('the same name twice in one registry', () => {
    const registry = new Registry();
    const def = { name: 'h_seconds', help: 'h', labelNames: [], buckets: [1], registry };
    new BoundHistogram(def);
    assert.throws(() => new BoundHistogram(def), /already been registered/);
  });
});
