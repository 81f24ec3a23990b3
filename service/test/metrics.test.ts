import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { APP_VERSION } from '../../project/constants.js';
import { scrape, seriesKeys, sumOf, type Sample } from '../../toolkit/prom-text.js';
import { METRICS, UNMATCHED_ROUTE } from '../src/metrics/catalog.js';
import { json, startHarness, type Harness } from './support/harness.js';

const M = Object.fromEntries(Object.entries(METRICS).map(([k, d]) => [k, d.name])) as { [K in keyof typeof METRICS]: string };

/** Change of a summed series between two scrapes. */
const delta = (before: Sample[], after: Sample[], name: string, labels: Record<string, string> = {}) =>
  sumOf(after, name, labels) - sumOf(before, name, labels);

describe('metrics after a scripted request sequence', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  test('counters, histograms and business counters move by exactly what was done', async () => {
    const seed = (await (await fetch(`${h.api}/items`, json({ name: 'seed', price: 1 }))).json()) as { id: number };
    const s0 = await scrape(h.metricsUrl);

    for (let i = 0; i < 3; i++) assert.equal((await fetch(`${h.api}/items`, json({ name: `n${i}`, price: i }))).status, 201);
    assert.equal((await fetch(`${h.api}/items`, json({ name: 'bad', price: -1 }))).status, 400);
    for (let i = 0; i < 2; i++) assert.equal((await fetch(`${h.api}/items/${seed.id}`)).status, 200);
    assert.equal((await fetch(`${h.api}/items/999999`)).status, 404);
    const page = (await (await fetch(`${h.api}/items?limit=2`)).json()) as { items: unknown[] };
    assert.equal(page.items.length, 2);
    assert.equal((await fetch(`${h.api}/items/${seed.id}`, json({ price: 2 }, 'PATCH'))).status, 200);
    assert.equal((await fetch(`${h.api}/items/${seed.id}`, json({ name: 's', price: 3 }, 'PUT'))).status, 200);
    assert.equal((await fetch(`${h.api}/items/${seed.id}`, { method: 'DELETE' })).status, 204);
    for (let i = 0; i < 5; i++) assert.equal((await fetch(`${h.api}/no/such/${i}`)).status, 404);
    // A refused body on a known route keeps the route's label; `unmatched` is for unknown paths.
    assert.equal((await fetch(`${h.api}/items`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{bad' })).status, 400);
    assert.equal((await fetch(`${h.api}/items`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' })).status, 415);
    assert.equal((await fetch(`${h.api}/items`, json({ name: 'x'.repeat(200_000), price: 1 }))).status, 413);
    assert.equal((await fetch(`${h.api}/items/${seed.id}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '[' })).status, 400);

    const s1 = await scrape(h.metricsUrl);
    const requests: Array<[string, string, string, number]> = [
      ['POST', '/items', '201', 3],
      ['POST', '/items', '400', 2],
      ['POST', '/items', '413', 1],
      ['POST', '/items', '415', 1],
      ['PUT', '/items/:id', '400', 1],
      ['GET', '/items/:id', '200', 2],
      ['GET', '/items/:id', '404', 1],
      ['GET', '/items', '200', 1],
      ['PATCH', '/items/:id', '200', 1],
      ['PUT', '/items/:id', '200', 1],
      ['DELETE', '/items/:id', '204', 1],
      ['GET', UNMATCHED_ROUTE, '404', 5],
      ['POST', UNMATCHED_ROUTE, '400', 0],
    ];
    for (const [method, route, status_code, n] of requests) {
      const labels = { method, route, status_code };
      assert.equal(delta(s0, s1, M.httpRequestsTotal, labels), n, `${M.httpRequestsTotal} ${JSON.stringify(labels)}`);
      assert.equal(delta(s0, s1, `${M.httpRequestDuration}_count`, labels), n, `duration count ${JSON.stringify(labels)}`);
      assert.equal(delta(s0, s1, `${M.httpRequestDuration}_bucket`, { ...labels, le: '+Inf' }), n);
    }
    assert.equal(sumOf(s1, M.httpRequestsInFlight), 0, 'nothing in flight between requests');

    assert.equal(delta(s0, s1, M.itemsCreated), 3, 'the rejected POST is not counted');
    assert.equal(delta(s0, s1, M.itemsRead), 2 + 2, 'two GETs by id plus two items listed');
    assert.equal(delta(s0, s1, M.itemsUpdated), 2);
    assert.equal(delta(s0, s1, M.itemsDeleted), 1);

    const q = `${M.dbQueryDuration}_count`;
    assert.equal(delta(s0, s1, q, { operation: 'insert', outcome: 'success' }), 3);
    assert.equal(delta(s0, s1, q, { operation: 'select', outcome: 'success' }), 4);
    assert.equal(delta(s0, s1, q, { operation: 'update', outcome: 'success' }), 2);
    assert.equal(delta(s0, s1, q, { operation: 'delete', outcome: 'success' }), 1);
    assert.equal(delta(s0, s1, q, { outcome: 'error' }), 0);
  });

  test('a failing query is counted with outcome="error"; the prepared statement works again once the table is back', async () => {
    const seed = (await (await fetch(`${h.api}/items`, json({ name: 'renamed away', price: 1 }))).json()) as { id: number };
    assert.equal((await fetch(`${h.api}/items/${seed.id}`)).status, 200, 'statement prepared on a pooled connection');
    const s0 = await scrape(h.metricsUrl);
    await h.db.raw('alter table items rename to items_away');
    try {
      assert.equal((await fetch(`${h.api}/items/${seed.id}`)).status, 500);
    } finally {
      await h.db.raw('alter table items_away rename to items');
    }
    const s1 = await scrape(h.metricsUrl);
    assert.equal(delta(s0, s1, `${M.dbQueryDuration}_count`, { operation: 'select', outcome: 'error' }), 1);
    assert.equal((await fetch(`${h.api}/items/${seed.id}`)).status, 200, 'PostgreSQL re-plans the cached statement');
  });

  test('db_up is 1, pool max is the configured size, build info carries version and node', async () => {
    const s = await scrape(h.metricsUrl);
    assert.equal(sumOf(s, M.dbUp), 1);
    assert.equal(sumOf(s, M.dbPoolMaxConnections), 10);
    const info = s.filter((x) => x.name === M.buildInfo);
    assert.equal(info.length, 1);
    assert.deepEqual(info[0]?.labels, { version: APP_VERSION, revision: 'unknown', node_version: process.version });
    assert.equal(info[0]?.value, 1);
    assert.ok(s.some((x) => x.name === 'nodejs_eventloop_lag_p99_seconds'), 'default runtime metrics are exposed');
  });

  test('1,000 requests to random unknown paths add no series', async () => {
    await fetch(`${h.api}/warm-up-unmatched`);
    const keys = seriesKeys;
    const before = keys(await scrape(h.metricsUrl));
    for (let batch = 0; batch < 20; batch++) {
      await Promise.all(
        Array.from({ length: 50 }, () => fetch(`${h.api}/${randomBytes(6).toString('hex')}/${randomBytes(4).toString('hex')}?q=${batch}`).then((r) => r.arrayBuffer())),
      );
    }
    const afterKeys = keys(await scrape(h.metricsUrl));
    assert.deepEqual([...afterKeys].filter((k) => !before.has(k)), []);
    assert.equal(afterKeys.size, before.size);
  });
});

describe('pool metrics under concurrent load', () => {
  let h: Harness;
  before(async () => {
    // A slow database (injected) and a small pool make saturation observable and deterministic.
    h = await startHarness({ DB_POOL_MAX: '3', FAULT_INJECTION: 'true', FAULT_DB_DELAY_MS: '300', DB_ACQUIRE_TIMEOUT_MS: '5000' });
  });
  after(() => h.close());

  test('used, idle, pending and acquire wait move while requests queue for connections', async () => {
    const s0 = await scrape(h.metricsUrl);
    const inflight = Array.from({ length: 9 }, () => fetch(`${h.api}/items?limit=1`).then((r) => r.status));
    // Poll rather than sleep a fixed time: on a busy CI machine the requests arrive over a while.
    let during: Sample[] = [];
    for (let i = 0; i < 40; i++) {
      during = await scrape(h.metricsUrl);
      if (sumOf(during, M.dbPoolConnections, { state: 'used' }) === 3 && sumOf(during, M.dbPoolPendingAcquires) >= 3) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(sumOf(during, M.dbPoolConnections, { state: 'used' }), 3, 'pool fully used');
    assert.ok(sumOf(during, M.dbPoolPendingAcquires) >= 3, 'callers waiting for a connection');
    assert.ok(sumOf(during, M.httpRequestsInFlight, { method: 'GET' }) >= 6);
    assert.deepEqual(await Promise.all(inflight), Array(9).fill(200));
    const s1 = await scrape(h.metricsUrl);
    assert.equal(sumOf(s1, M.dbPoolConnections, { state: 'used' }), 0);
    assert.ok(sumOf(s1, M.dbPoolConnections, { state: 'idle' }) >= 1);
    assert.equal(sumOf(s1, M.dbPoolPendingAcquires), 0);
    assert.ok(delta(s0, s1, `${M.dbPoolAcquireDuration}_count`) >= 9);
    assert.ok(delta(s0, s1, `${M.dbPoolAcquireDuration}_sum`) > 0.3, 'queued callers waited for a connection');
    assert.ok(delta(s0, s1, `${M.dbQueryDuration}_sum`, { operation: 'select' }) >= 9 * 0.3, 'injected delay is inside the query time');
  });
});
