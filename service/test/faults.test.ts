import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { scrape, sumOf } from '../../toolkit/prom-text.js';
import { METRICS } from '../src/metrics/catalog.js';
import { startHarness, type Harness } from './support/harness.js';

let h: Harness;
let faultsUrl: string;
before(async () => {
  h = await startHarness({ FAULT_INJECTION: 'true' });
  faultsUrl = h.metricsUrl.replace(/\/metrics$/, '/faults');
});
after(() => h.close());

const putFaults = (body: unknown) => fetch(faultsUrl, { method: 'PUT', body: JSON.stringify(body) });

test('enabled fault injection starts with no faults', async () => {
  assert.deepEqual(await (await fetch(faultsUrl)).json(), { errorRate: 0, latencyMs: 0, dbDelayMs: 0 });
  assert.equal((await fetch(`${h.api}/items`)).status, 200);
});

test('errorRate 1 answers every API request with a 500 problem, counted as 5xx, while probes stay 200', async () => {
  assert.equal((await putFaults({ errorRate: 1 })).status, 200);
  const before = await scrape(h.metricsUrl);
  for (let i = 0; i < 5; i++) {
    const res = await fetch(`${h.api}/items`);
    assert.equal(res.status, 500);
    assert.equal(((await res.json()) as { title: string }).title, 'Injected fault');
  }
  for (const probe of ['/livez', '/readyz', '/health']) assert.equal((await fetch(`${h.api}${probe}`)).status, 200);
  const after = await scrape(h.metricsUrl);
  const errors = (s: typeof after) => sumOf(s, METRICS.httpRequestsTotal.name, { route: '/items', status_code: '500' });
  assert.equal(errors(after) - errors(before), 5);
  assert.equal((await putFaults({ errorRate: 0 })).status, 200);
  assert.equal((await fetch(`${h.api}/items`)).status, 200);
});

test('latencyMs delays API requests and shows in the duration histogram', async () => {
  await putFaults({ latencyMs: 300 });
  const started = Date.now();
  assert.equal((await fetch(`${h.api}/items`)).status, 200);
  assert.ok(Date.now() - started >= 300);
  const started2 = Date.now();
  await fetch(`${h.api}/livez`);
  assert.ok(Date.now() - started2 < 300, 'probes are not delayed');
  await putFaults({ latencyMs: 0 });
});

test('invalid fault settings are refused and change nothing', async () => {
  await putFaults({ errorRate: 0.1 });
  for (const body of [{ errorRate: 2 }, { latencyMs: -1 }, { unknown: 1 }, 'nonsense']) {
    assert.equal((await putFaults(body)).status, 400, JSON.stringify(body));
  }
  assert.deepEqual(await (await fetch(faultsUrl)).json(), { errorRate: 0.1, latencyMs: 0, dbDelayMs: 0 });
  await putFaults({ errorRate: 0 });
});
