import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { json, startHarness, type Harness } from './support/harness.js';

// A frozen database (SIGSTOP: the host paused, a hung storage layer) accepts TCP connections and
// never answers. Every wait must still end: connect, acquire, and the client-side query backstop.
const STATEMENT_TIMEOUT_MS = 1_000;
const QUERY_BACKSTOP_MS = STATEMENT_TIMEOUT_MS + 1_000;
let h: Harness;
let frozen: number[] = [];
const thaw = () => {
  for (const pid of frozen) process.kill(pid, 'SIGCONT');
  frozen = [];
};
before(async () => {
  h = await startHarness({
    DB_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
    DB_ACQUIRE_TIMEOUT_MS: '1000',
    DB_CONNECT_TIMEOUT_MS: '500',
    DB_CHECK_INTERVAL_MS: '200',
  });
});
after(async () => {
  thaw();
  await h.close();
});

async function timed(path: string, init?: RequestInit): Promise<{ status: number; ms: number; type: string; retryAfter: string | null }> {
  const started = Date.now();
  const res = await fetch(`${h.api}${path}`, init);
  await res.arrayBuffer();
  return { status: res.status, ms: Date.now() - started, type: res.headers.get('content-type') ?? '', retryAfter: res.headers.get('retry-after') };
}

test('frozen database: every request ends in a bounded time with a 503 problem and Retry-After (never a 500); not ready, alive; recovery without restart', async () => {
  const created = (await (await fetch(`${h.api}/items`, json({ name: 'before freeze', price: 1 }))).json()) as { id: number };
  // Several pooled connections exist and are idle when the database freezes.
  await Promise.all(Array.from({ length: 4 }, () => fetch(`${h.api}/items/${created.id}`).then((r) => r.arrayBuffer())));

  frozen = h.pg.pids();
  assert.ok(frozen.length > 1, 'postmaster and backends found');
  for (const pid of frozen) process.kill(pid, 'SIGSTOP');

  const results = await Promise.all([
    timed(`/items/${created.id}`),
    timed('/items?limit=5'),
    timed('/items', json({ name: 'during freeze', price: 1 })),
  ]);
  for (const r of results) {
    console.log(`frozen: ${r.status} in ${r.ms} ms, Retry-After ${r.retryAfter}`);
    // A hung database is "unavailable, retry", not a bug: 500 would send triage the wrong way.
    assert.equal(r.status, 503, `503 while frozen, got ${r.status}`);
    assert.ok(r.retryAfter, 'Retry-After is set');
    assert.match(r.type, /application\/problem\+json/);
    assert.ok(r.ms <= QUERY_BACKSTOP_MS + 1_500, `answered in ${r.ms} ms; the bound is the query backstop`);
  }
  // Connections that timed out are not handed out again: a fresh request is bounded too.
  const again = await timed(`/items/${created.id}`);
  console.log(`frozen, again: ${again.status} in ${again.ms} ms`);
  assert.ok(again.status === 503 && again.ms <= QUERY_BACKSTOP_MS + 1_500);
  assert.equal((await fetch(`${h.api}/readyz`)).status, 503);
  assert.equal((await fetch(`${h.api}/livez`)).status, 200);

  thaw();
  const started = Date.now();
  let ok = false;
  while (!ok && Date.now() - started < 10_000) {
    ok = (await fetch(`${h.api}/items/${created.id}`)).status === 200 && (await fetch(`${h.api}/readyz`)).status === 200;
    if (!ok) await sleep(100);
  }
  console.log(`recovered in ${Date.now() - started} ms`);
  assert.ok(ok, 'serving again within 10 s of the database thawing');
});
