import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { countItems, json, startHarness, type Harness } from './support/harness.js';
import type { ProblemBody } from '../src/http/problem.js';

let h: Harness;
before(async () => {
  h = await startHarness({ BODY_LIMIT_BYTES: '2048' });
});
after(() => h.close());

const create = async (body: unknown) => {
  const res = await fetch(`${h.api}/items`, json(body));
  assert.equal(res.status, 201, await res.clone().text());
  return (await res.json()) as { id: number; name: string; price: number; description: string | null; createdAt: string; updatedAt: string };
};

/** The body every refusal carries: the service's own type, so the tests read what it sends. */
type Problem = ProblemBody;

/** Sends a request that must be refused: checks status, problem+json, the named field, and that no row changed. */
async function expectRejected(path: string, init: RequestInit, status: number, field?: string): Promise<Problem> {
  const before = await h.db('items').select('*').orderBy('id');
  const res = await fetch(`${h.api}${path}`, init);
  assert.equal(res.status, status);
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
  const problem = (await res.json()) as Problem;
  assert.equal(problem.status, status);
  assert.ok(problem.title && problem.detail && problem.type);
  if (field) {
    assert.ok(problem.errors?.some((e) => e.field === field), `expected an error naming ${field}, got ${JSON.stringify(problem.errors)}`);
    if (status === 400) assert.match(problem.detail, new RegExp(field.replace('.', '\\.')));
  }
  assert.deepEqual(await h.db('items').select('*').orderBy('id'), before, 'nothing may be written on rejection');
  return problem;
}

describe('items CRUD', () => {
  test('POST creates and GET returns it with Location and timestamps', async () => {
    const res = await fetch(`${h.api}/items`, json({ name: 'Widget', price: 9.99, description: 'blue' }));
    assert.equal(res.status, 201);
    const item = (await res.json()) as { id: number; name: string; price: number; description: string; createdAt: string };
    assert.equal(res.headers.get('location'), `/items/${item.id}`);
    assert.deepEqual({ name: item.name, price: item.price, description: item.description }, { name: 'Widget', price: 9.99, description: 'blue' });
    const got = await (await fetch(`${h.api}/items/${item.id}`)).json();
    assert.deepEqual(got, item);
    const [row] = await h.db('items').where({ id: item.id });
    assert.equal(row.price, '9.99');
  });

  test('GET /items pages in id order with default and explicit limit/offset', async () => {
    for (let i = 0; i < 3; i++) await create({ name: `page-${i}`, price: i });
    const all = (await (await fetch(`${h.api}/items`)).json()) as { items: Array<{ id: number }>; limit: number; offset: number };
    assert.equal(all.limit, 20);
    assert.equal(all.offset, 0);
    const ids = all.items.map((i) => i.id);
    assert.deepEqual(ids, [...ids].sort((a, b) => a - b));
    const page = (await (await fetch(`${h.api}/items?limit=2&offset=1`)).json()) as { items: Array<{ id: number }> };
    assert.deepEqual(page.items.map((i) => i.id), ids.slice(1, 3));
  });

  test('PUT replaces every field; omitted description becomes null', async () => {
    const item = await create({ name: 'old', price: 1, description: 'gone soon' });
    const res = await fetch(`${h.api}/items/${item.id}`, json({ name: 'new', price: 2.5 }, 'PUT'));
    assert.equal(res.status, 200);
    const updated = (await res.json()) as typeof item;
    assert.deepEqual({ name: updated.name, price: updated.price, description: updated.description }, { name: 'new', price: 2.5, description: null });
    assert.ok(updated.updatedAt >= item.updatedAt);
  });

  test('PATCH changes only the given fields', async () => {
    const item = await create({ name: 'keep', price: 3, description: 'd' });
    const res = await fetch(`${h.api}/items/${item.id}`, json({ price: 4.25 }, 'PATCH'));
    assert.equal(res.status, 200);
    const updated = (await res.json()) as typeof item;
    assert.deepEqual({ name: updated.name, price: updated.price, description: updated.description }, { name: 'keep', price: 4.25, description: 'd' });
  });

  test('DELETE removes the item; a second DELETE is 404', async () => {
    const item = await create({ name: 'doomed', price: 0 });
    const res = await fetch(`${h.api}/items/${item.id}`, { method: 'DELETE' });
    assert.equal(res.status, 204);
    assert.equal((await h.db('items').where({ id: item.id })).length, 0);
    await expectRejected(`/items/${item.id}`, { method: 'DELETE' }, 404, 'path.id');
  });
});

describe('rejections: status, problem+json naming the field, nothing written', () => {
  test('malformed JSON is 400', async () => {
    await expectRejected('/items', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name": "x",' }, 400);
  });
  test('a body over the size limit is 413', async () => {
    await expectRejected('/items', json({ name: 'x', price: 1, description: 'a'.repeat(4000) }), 413);
  });
  test('a non-JSON content type is 415', async () => {
    await expectRejected('/items', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'name=x' }, 415);
  });
  const bodies: Array<[string, unknown, string]> = [
    ['unknown field', { name: 'x', price: 1, colour: 'red' }, 'colour'],
    ['missing name', { price: 1 }, 'name'],
    ['missing price', { name: 'x' }, 'price'],
    ['name of the wrong type', { name: 42, price: 1 }, 'name'],
    ['price as a string', { name: 'x', price: '1.00' }, 'price'],
    ['negative price', { name: 'x', price: -0.01 }, 'price'],
    ['price with three decimals', { name: 'x', price: 1.005 }, 'price'],
    ['over-long name', { name: 'n'.repeat(101), price: 1 }, 'name'],
    ['blank name', { name: '   ', price: 1 }, 'name'],
    ['NUL in name', { name: 'a\u0000b', price: 1 }, 'name'],
    ['over-long description', { name: 'x', price: 1, description: 'd'.repeat(1001) }, 'description'],
  ];
  for (const [what, body, field] of bodies) {
    test(`POST with ${what} is 400 naming ${field}`, async () => {
      await expectRejected('/items', json(body), 400, field);
    });
  }
  test('an array body is 400', async () => {
    await expectRejected('/items', json([{ name: 'x', price: 1 }]), 400);
  });
  test('PATCH with an empty object is 400', async () => {
    const item = await create({ name: 'p', price: 1 });
    await expectRejected(`/items/${item.id}`, json({}, 'PATCH'), 400);
  });
  test('PUT with a bad body changes nothing', async () => {
    const item = await create({ name: 'stay', price: 1 });
    await expectRejected(`/items/${item.id}`, json({ name: 'x', price: -5 }, 'PUT'), 400, 'price');
  });
  for (const id of ['abc', '0', '-1', '1.5', '99999999999999999999', '1e3']) {
    test(`id "${id}" is 400 naming path.id`, async () => {
      await expectRejected(`/items/${encodeURIComponent(id)}`, { method: 'GET' }, 400, 'path.id');
    });
  }
  test('a missing item is 404 for GET, PUT, PATCH, DELETE', async () => {
    await expectRejected('/items/987654', { method: 'GET' }, 404, 'path.id');
    await expectRejected('/items/987654', json({ name: 'x', price: 1 }, 'PUT'), 404, 'path.id');
    await expectRejected('/items/987654', json({ price: 1 }, 'PATCH'), 404, 'path.id');
    await expectRejected('/items/987654', { method: 'DELETE' }, 404, 'path.id');
  });
  for (const [query, field] of [['limit=101', 'query.limit'], ['limit=0', 'query.limit'], ['limit=abc', 'query.limit'], ['offset=-1', 'query.offset']]) {
    test(`GET /items?${query} is 400 naming ${field}`, async () => {
      await expectRejected(`/items?${query}`, { method: 'GET' }, 400, field);
    });
  }
  test('an unknown path is 404 problem+json', async () => {
    await expectRejected('/nowhere', { method: 'GET' }, 404);
  });
  test('a known path with the wrong method is 405 with an Allow header (RFC 9110)', async () => {
    await expectRejected('/livez', { method: 'DELETE' }, 405);
    const res = await fetch(`${h.api}/items`, { method: 'DELETE' });
    assert.equal(res.status, 405);
    assert.deepEqual(res.headers.get('allow')?.split(', ').sort(), ['GET', 'HEAD', 'POST']);
  });
  for (const [path, method] of [['/items', 'PATCH'], ['/items', 'PUT'], ['/livez', 'POST'], ['/items/1', 'POST']] as const) {
    test(`${method} ${path} is 405 with Allow whatever its body: the method is refused before the body is read`, async () => {
      for (const [type, body] of [['application/json', '{not json'], ['text/plain', 'x']] as const) {
        const res = await fetch(`${h.api}${path}`, { method, headers: { 'content-type': type }, body });
        assert.equal(res.status, 405, `${type}: ${await res.clone().text()}`);
        assert.ok(res.headers.get('allow'), 'Allow header');
        assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
      }
    });
  }
  /** fetch refuses TRACE, so these go through node:http. */
  const trace = (path: string) =>
    new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
      const req = http.request(`${h.api}${path}`, { method: 'TRACE' }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on('error', reject);
      req.end();
    });
  for (const path of ['/items', '/items/1', '/livez', '/readyz', '/health']) {
    test(`a method no route implements (TRACE ${path}) is 405 problem+json with Allow, never a 5xx`, async () => {
      const res = await trace(path);
      assert.equal(res.status, 405, res.body);
      assert.match(res.headers['content-type'] ?? '', /^application\/problem\+json/);
      assert.ok(String(res.headers.allow).includes('GET'), `Allow: ${res.headers.allow}`);
      assert.match((JSON.parse(res.body) as Problem).detail, /^TRACE is not allowed on /);
    });
  }
  test('TRACE on an unknown path is 404', async () => {
    assert.equal((await trace('/nowhere')).status, 404);
  });
});

describe('request ids, probes, docs', () => {
  test('X-Request-Id is echoed when sane and generated otherwise', async () => {
    const echoed = await fetch(`${h.api}/livez`, { headers: { 'x-request-id': 'abc-123' } });
    assert.equal(echoed.headers.get('x-request-id'), 'abc-123');
    const replaced = await fetch(`${h.api}/livez`, { headers: { 'x-request-id': 'bad id with spaces' } });
    assert.match(replaced.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
    const problem = await fetch(`${h.api}/items/abc`, { headers: { 'x-request-id': 'trace-9' } });
    assert.equal(((await problem.json()) as { requestId: string }).requestId, 'trace-9');
  });
  test('/livez, /readyz and /health are 200 with a healthy database', async () => {
    for (const path of ['/livez', '/readyz', '/health']) assert.equal((await fetch(`${h.api}${path}`)).status, 200, path);
  });
  test('/openapi.json documents every items operation and /docs serves Swagger UI from local assets', async () => {
    const doc = (await (await fetch(`${h.api}/openapi.json`)).json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    assert.equal(doc.openapi, '3.0.3');
    assert.deepEqual(Object.keys(doc.paths['/items'] ?? {}).sort(), ['get', 'post']);
    assert.deepEqual(Object.keys(doc.paths['/items/{id}'] ?? {}).filter((k) => k !== 'parameters').sort(), ['delete', 'get', 'patch', 'put']);
    const page = await fetch(`${h.api}/docs`);
    assert.match(await page.text(), /swagger-ui-bundle\.js/);
    const bundle = await fetch(`${h.api}/docs/swagger-ui-bundle.js`);
    assert.equal(bundle.status, 200);
    assert.ok((await bundle.arrayBuffer()).byteLength > 100_000);
  });
  test('the metrics port has no fault switchboard unless FAULT_INJECTION=true', async () => {
    const res = await fetch(h.metricsUrl.replace('/metrics', '/faults'), { method: 'PUT', body: '{"errorRate":1}' });
    assert.equal(res.status, 404);
    assert.equal((await fetch(`${h.api}/items`)).status, 200);
  });
  test('the API port does not serve /metrics', async () => {
    assert.equal((await fetch(`${h.api}/metrics`)).status, 404);
  });
  test('countItems sees what the API wrote', async () => {
    const before = await countItems(h.db);
    await create({ name: 'counted', price: 1 });
    assert.equal(await countItems(h.db), before + 1);
  });
});
