import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { scrape, sumOf } from '../../toolkit/prom-text.js';
import { METRICS } from '../src/metrics/catalog.js';
import { json, startHarness, type Harness } from './support/harness.js';

const ACQUIRE_TIMEOUT_MS = 1_000;
let h: Harness;
before(async () => {
  h = await startHarness({ DB_ACQUIRE_TIMEOUT_MS: String(ACQUIRE_TIMEOUT_MS), DB_CONNECT_TIMEOUT_MS: '500', DB_CHECK_INTERVAL_MS: '200' });
});
after(() => h.close());

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await check()) return Date.now() - started;
    await sleep(100);
  }
  throw new Error(`${what} not reached within ${timeoutMs} ms`);
}

test('database outage: fast 503s, not ready, alive, db_up 0; recovery without restart', async () => {
  const created = await fetch(`${h.api}/items`, json({ name: 'before outage', price: 1 }));
  assert.equal(created.status, 201);

  await h.pg.stop();

  for (const path of ['/items', '/items/1']) {
    const started = Date.now();
    const res = await fetch(`${h.api}${path}`);
    const elapsed = Date.now() - started;
    assert.equal(res.status, 503, path);
    assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
    assert.equal(res.headers.get('retry-after'), '1');
    const body = (await res.json()) as { detail: string; status: number };
    assert.equal(body.status, 503);
    assert.doesNotMatch(body.detail, /ECONNREFUSED|127\.0\.0\.1|password/i, '5xx details stay server-side');
    assert.ok(elapsed <= ACQUIRE_TIMEOUT_MS + 1_000, `${path} answered in ${elapsed} ms, bound is the acquire timeout`);
  }
  const postRes = await fetch(`${h.api}/items`, json({ name: 'during outage', price: 1 }));
  assert.equal(postRes.status, 503);

  await waitFor('readyz 503', async () => (await fetch(`${h.api}/readyz`)).status === 503, 3_000);
  assert.equal((await fetch(`${h.api}/livez`)).status, 200);
  assert.equal(sumOf(await scrape(h.metricsUrl), METRICS.dbUp.name), 0);

  await h.pg.start();
  const recoveredIn = await waitFor(
    'API serving 200 again',
    async () => (await fetch(`${h.api}/items`)).status === 200 && (await fetch(`${h.api}/readyz`)).status === 200,
    10_000,
  );
  assert.ok(recoveredIn < 10_000);
  assert.equal(sumOf(await scrape(h.metricsUrl), METRICS.dbUp.name), 1);
  const items = (await (await fetch(`${h.api}/items`)).json()) as { items: Array<{ name: string }> };
  assert.deepEqual(items.items.map((i) => i.name), ['before outage'], 'the write refused during the outage left nothing behind');
  const metrics = await scrape(h.metricsUrl);
  assert.ok(sumOf(metrics, METRICS.httpRequestsTotal.name, { status_code: '503' }) >= 3, '503s are counted for the availability SLI');
});
