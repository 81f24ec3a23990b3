import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawnService } from '../../testing/service.js';

test('SIGTERM while requests are in flight: readiness off, every accepted request completes, exit 0 in the grace period', async () => {
  // Injected latency keeps requests in flight long enough to send the signal among them.
  const svc = await spawnService({
    env: { FAULT_INJECTION: 'true', FAULT_LATENCY_MS: '1500', SHUTDOWN_DELAY_MS: '500', SHUTDOWN_TIMEOUT_MS: '8000' },
  });
  const inflight = Array.from({ length: 25 }, (_, i) =>
    fetch(`${svc.apiUrl}/items?limit=${(i % 5) + 1}`).then(async (r) => ({ status: r.status, body: (await r.json()) as { items?: unknown[] } })),
  );
  await sleep(300);
  const signalledAt = Date.now();
  const exit = svc.stop('SIGTERM');
  await sleep(150);
  const readiness = await fetch(`${svc.apiUrl}/readyz`);
  assert.equal(readiness.status, 503, 'readiness turns false first so the endpoint is removed');
  assert.equal(readiness.headers.get('connection'), 'close');

  const results = await Promise.all(inflight);
  assert.deepEqual(results.map((r) => r.status), Array(25).fill(200), 'no accepted request lost');
  assert.ok(results.every((r) => Array.isArray(r.body.items)));
  assert.equal(await exit, 0);
  const took = Date.now() - signalledAt;
  assert.ok(took < 8_000, `exited ${took} ms after SIGTERM, inside the grace period`);
  await assert.rejects(fetch(`${svc.apiUrl}/livez`), 'no longer listening');
});
