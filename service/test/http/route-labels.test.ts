/**
 * Route labels of `http_requests_total` (http/http-metrics.ts): the router template, never the raw
 * path, so no request can add a series; read from a real prom-client Registry of the test's own.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { METRICS, UNMATCHED_ROUTE } from '../../src/metrics/catalog.js';
import { BODY_LIMIT_BYTES, inProcessApp, JSON_HEADERS, type InProcessApp } from './in-process-app.js';

interface Sample {
  readonly method: string;
  readonly route: string;
  readonly status_code: string;
  readonly value: number;
}

/** The `http_requests_total` series as the registry holds them. */
async function requestsTotal(app: InProcessApp): Promise<Sample[]> {
  const counter = app.registry.getSingleMetric(METRICS.httpRequestsTotal.name);
  assert.ok(counter, `${METRICS.httpRequestsTotal.name} is registered`);
  const { values } = await counter.get();
  return values.map(({ labels, value }) => ({ method: String(labels.method), route: String(labels.route), status_code: String(labels.status_code), value }));
}

interface LabelCase {
  readonly name: string;
  readonly method: string;
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly labels: Omit<Sample, 'value'>;
}

const CASES: readonly LabelCase[] = [
  { name: 'a list', method: 'GET', url: '/items?limit=5', labels: { method: 'GET', route: '/items', status_code: '200' } },
  { name: 'an id in the path', method: 'GET', url: '/items/12345', labels: { method: 'GET', route: '/items/:id', status_code: '404' } },
  { name: 'a refused id', method: 'DELETE', url: '/items/abc', labels: { method: 'DELETE', route: '/items/:id', status_code: '400' } },
  { name: 'a create', method: 'POST', url: '/items', headers: JSON_HEADERS, body: '{"name":"Widget","price":9.99}', labels: { method: 'POST', route: '/items', status_code: '201' } },
  {
    name: 'a body refused for its size keeps its route',
    method: 'POST',
    url: '/items',
    headers: JSON_HEADERS,
    body: `"${'x'.repeat(BODY_LIMIT_BYTES)}"`,
    labels: { method: 'POST', route: '/items', status_code: '413' },
  },
  { name: 'a body refused for its media type keeps its route', method: 'PATCH', url: '/items/1', headers: { 'content-type': 'text/plain' }, body: 'x', labels: { method: 'PATCH', route: '/items/:id', status_code: '415' } },
  { name: 'an unknown path', method: 'GET', url: '/wp-admin/setup.php?step=1', labels: { method: 'GET', route: UNMATCHED_ROUTE, status_code: '404' } },
  { name: 'a method the path lacks', method: 'DELETE', url: '/items', labels: { method: 'DELETE', route: UNMATCHED_ROUTE, status_code: '405' } },
  { name: 'a method outside the known set', method: 'PROPFIND', url: '/items', labels: { method: 'OTHER', route: UNMATCHED_ROUTE, status_code: '405' } },
  { name: 'a probe', method: 'GET', url: '/readyz', labels: { method: 'GET', route: '/readyz', status_code: '200' } },
  { name: 'a docs asset', method: 'GET', url: '/docs/swagger-ui.css', labels: { method: 'GET', route: '/docs/:asset', status_code: '200' } },
];

describe('http_requests_total labels', () => {
  for (const c of CASES) {
    test(`${c.name}: ${c.method} ${c.url} counts as route="${c.labels.route}"`, async () => {
      const app = inProcessApp();
      await app.request(c.method, c.url, { ...(c.headers ? { headers: c.headers } : {}), ...(c.body === undefined ? {} : { body: c.body }) });
      assert.deepEqual(await requestsTotal(app), [{ ...c.labels, value: 1 }]);
    });
  }

  test('hundreds of distinct ids and unknown paths add no series beyond their templates', async () => {
    const app = inProcessApp();
    for (let i = 1; i <= 200; i++) {
      await app.request('GET', `/items/${i}`);
      await app.request('GET', `/scan/${i}/${'x'.repeat(i % 7)}`);
    }
    assert.deepEqual(await requestsTotal(app), [
      { method: 'GET', route: '/items/:id', status_code: '404', value: 200 },
      { method: 'GET', route: UNMATCHED_ROUTE, status_code: '404', value: 200 },
    ]);
  });

  test('the status label is the one the client got, for a 5xx from the error handler too', async () => {
    const app = inProcessApp();
    app.repository.failWith(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    const res = await app.request('GET', '/items');
    assert.deepEqual(await requestsTotal(app), [{ method: 'GET', route: '/items', status_code: String(res.statusCode), value: 1 }]);
    assert.equal(res.statusCode, 503);
  });

  test('each app counts on its own registry: two apps never share a series', async () => {
    const [a, b] = [inProcessApp(), inProcessApp()];
    await a.request('GET', '/livez');
    assert.deepEqual(await requestsTotal(b), []);
    assert.equal((await requestsTotal(a))[0]?.value, 1);
  });
});
