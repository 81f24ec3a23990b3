import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { countItems, json, startHarness, type Harness } from './support/harness.js';
import type { ProblemBody } from '../src/http/problem.js';

/** What the API says about requests it refuses: each problem in its own words, naming the field. */

const LIMIT = 2048;
let h: Harness;
before(async () => {
  h = await startHarness({ BODY_LIMIT_BYTES: String(LIMIT) });
});
after(() => h.close());

/** The body every refusal carries: the service's own type, so the tests read what it sends. */
type Problem = ProblemBody;

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * A request exactly as given, through node:http: fetch always adds Content-Length, cannot send
 * invalid UTF-8 as a string, and cannot leave the body out of a POST.
 */
function raw(method: string, path: string, headers: Record<string, string>, body?: Buffer | Buffer[]): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${h.api}${path}`, { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    for (const chunk of body === undefined ? [] : Array.isArray(body) ? body : [body]) req.write(chunk);
    req.end();
  });
}

/** The problem in a refusal, after checking its status and media type and that nothing was stored. */
async function refusal(res: RawResponse | Response, status: number, rowsBefore: number): Promise<Problem> {
  const [code, type, text] = res instanceof Response ? [res.status, res.headers.get('content-type'), await res.text()] : [res.status, res.headers['content-type'], res.body];
  assert.equal(code, status, text);
  assert.match(type ?? '', /^application\/problem\+json/);
  assert.equal(await countItems(h.db), rowsBefore, 'a refused request stores nothing');
  return JSON.parse(text) as Problem;
}

const JSON_TYPE = { 'content-type': 'application/json' };

describe('out-of-range ids: one message whatever the number of digits', () => {
  for (const id of ['9007199254740992', '9223372036854775807', '99999999999999999999', '9'.repeat(400)]) {
    test(`/items/${id.length > 30 ? `<${id.length} nines>` : id} is "path.id must be at most 9007199254740991"`, async () => {
      const problem = await refusal(await fetch(`${h.api}/items/${id}`), 400, await countItems(h.db));
      assert.deepEqual(problem.errors, [{ field: 'path.id', message: 'must be at most 9007199254740991' }]);
    });
  }
  test('the largest exact id is a valid id (404 when no such item)', async () => {
    assert.equal((await fetch(`${h.api}/items/9007199254740991`)).status, 404);
  });
  for (const id of ['0', '-1', '007', '1.5', 'abc']) {
    test(`/items/${id} is "path.id must be a positive integer"`, async () => {
      const problem = await refusal(await fetch(`${h.api}/items/${id}`), 400, await countItems(h.db));
      assert.deepEqual(problem.errors, [{ field: 'path.id', message: 'must be a positive integer' }]);
    });
  }
  test('an offset with more digits than the check used to allow is out of range, not "not an integer"', async () => {
    const problem = await refusal(await fetch(`${h.api}/items?offset=99999999999`), 400, await countItems(h.db));
    assert.deepEqual(problem.errors, [{ field: 'query.offset', message: 'must be <= 1000000000' }]);
  });
  test('a repeated query parameter is named, in the API\'s words', async () => {
    const problem = await refusal(await fetch(`${h.api}/items?limit=1&limit=2`), 400, await countItems(h.db));
    assert.deepEqual(problem.errors, [{ field: 'query.limit', message: 'must be one non-negative integer' }]);
  });
});

describe('bodies that are not an item, in the API\'s own words', () => {
  for (const [what, body] of [['an array', '[{"name":"x","price":1}]'], ['a string', '"item"'], ['null', 'null'], ['a number', '42']] as const) {
    test(`${what} as the body is "body must be a JSON object"`, async () => {
      const problem = await refusal(await fetch(`${h.api}/items`, { method: 'POST', headers: JSON_TYPE, body }), 400, await countItems(h.db));
      assert.equal(problem.title, 'Request validation failed');
      assert.equal(problem.detail, 'Invalid request: body must be a JSON object.');
      assert.deepEqual(problem.errors, [{ field: 'body', message: 'must be a JSON object' }]);
    });
  }
  test('valid JSON with a __proto__ key is a validation problem naming the unknown field, not "malformed JSON"', async () => {
    const body = '{"__proto__":{"admin":true},"name":"p","price":1}';
    const problem = await refusal(await fetch(`${h.api}/items`, { method: 'POST', headers: JSON_TYPE, body }), 400, await countItems(h.db));
    assert.equal(problem.title, 'Request validation failed');
    assert.deepEqual(problem.errors, [{ field: '__proto__', message: 'is not a known field' }]);
    assert.equal(({} as Record<string, unknown>).admin, undefined, 'no prototype was polluted');
  });
  for (const [what, headers] of [
    ['no Content-Length', JSON_TYPE],
    ['Content-Length: 0', { ...JSON_TYPE, 'content-length': '0' }],
    ['chunked with no chunks', { ...JSON_TYPE, 'transfer-encoding': 'chunked' }],
  ] as const) {
    for (const method of ['POST', 'PUT', 'PATCH']) {
      test(`${method} with a JSON content type and no body (${what}) is 400 "body is required", not 415`, async () => {
        const path = method === 'POST' ? '/items' : '/items/1';
        const problem = await refusal(await raw(method, path, headers), 400, await countItems(h.db));
        assert.equal(problem.detail, 'Invalid request: body is required.');
        assert.deepEqual(problem.errors, [{ field: 'body', message: 'is required' }]);
      });
    }
  }
  test('malformed JSON is "Malformed JSON body" and says what the parser found', async () => {
    const problem = await refusal(await fetch(`${h.api}/items`, { method: 'POST', headers: JSON_TYPE, body: '{"name": "x",' }), 400, await countItems(h.db));
    assert.equal(problem.title, 'Malformed JSON body');
    assert.match(problem.detail, /^The body is not valid JSON \(.+\); send a JSON object\.$/);
  });
  test('a non-JSON content type is 415 naming the type received and the one to send', async () => {
    const problem = await refusal(await fetch(`${h.api}/items`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' }), 415, await countItems(h.db));
    assert.equal(problem.detail, 'The body is sent as text/plain; send it as application/json.');
  });
  test('a compressed body is 415 with Accept-Encoding: identity (RFC 9110 section 12.5.3)', async () => {
    const res = await raw('POST', '/items', { ...JSON_TYPE, 'content-encoding': 'gzip' }, Buffer.from('{}'));
    const problem = await refusal(res, 415, await countItems(h.db));
    assert.equal(res.headers['accept-encoding'], 'identity');
    assert.match(problem.detail, /^Content-Encoding gzip is not supported; send the body uncompressed\.$/);
  });
  test('a body over the limit is 413 naming the limit, whether announced by Content-Length or sent chunked', async () => {
    const big = Buffer.from(JSON.stringify({ name: 'x', price: 1, description: 'd'.repeat(LIMIT) }));
    const rows = await countItems(h.db);
    const announced = await refusal(await raw('POST', '/items', { ...JSON_TYPE, 'content-length': String(big.length) }, big), 413, rows);
    const chunked = await refusal(await raw('POST', '/items', { ...JSON_TYPE, 'transfer-encoding': 'chunked' }, [big.subarray(0, 1000), big.subarray(1000)]), 413, rows);
    for (const problem of [announced, chunked]) assert.equal(problem.detail, `The request body is larger than ${LIMIT} bytes; send at most ${LIMIT} bytes.`);
    // The connection survives a refused body: the next request on the server works.
    assert.equal((await fetch(`${h.api}/items`, json({ name: 'after', price: 1 }))).status, 201);
  });
  test('a chunked body within the limit is read whole', async () => {
    const res = await raw('POST', '/items', { ...JSON_TYPE, 'transfer-encoding': 'chunked' }, [Buffer.from('{"name":"chu'), Buffer.from('nked","price":2}')]);
    assert.equal(res.status, 201, res.body);
    assert.equal((JSON.parse(res.body) as { name: string }).name, 'chunked');
  });
});

describe('text that is not valid Unicode is refused the same way as bytes or as escapes', () => {
  const body = (nameBytes: Buffer) => Buffer.concat([Buffer.from('{"name":"'), nameBytes, Buffer.from('","price":1}')]);
  for (const [what, bytes] of [
    ['a stray continuation byte', Buffer.from([0x61, 0x80, 0x62])],
    ['0xFF', Buffer.from([0xff])],
    ['a truncated sequence', Buffer.from([0xe2, 0x82])],
    ['an overlong encoding of "/"', Buffer.from([0xc0, 0xaf])],
    ['an encoded surrogate (CESU-8)', Buffer.from([0xed, 0xa0, 0x80])],
  ] as const) {
    test(`invalid UTF-8 (${what}) is 400 "body must be valid UTF-8", nothing stored`, async () => {
      for (const method of ['POST', 'PUT', 'PATCH']) {
        const problem = await refusal(await raw(method, method === 'POST' ? '/items' : '/items/1', JSON_TYPE, body(bytes)), 400, await countItems(h.db));
        assert.equal(problem.title, 'Request validation failed');
        assert.deepEqual(problem.errors, [{ field: 'body', message: 'must be valid UTF-8' }]);
      }
    });
  }
  test('an escaped lone surrogate is 400 naming the field', async () => {
    const problem = await refusal(await raw('POST', '/items', JSON_TYPE, body(Buffer.from('\\ud800'))), 400, await countItems(h.db));
    assert.equal(problem.title, 'Request validation failed');
    assert.deepEqual(problem.errors, [{ field: 'name', message: 'must be valid Unicode' }]);
  });
  test('a real U+FFFD (valid UTF-8 EF BF BD) and a UTF-8 byte order mark are accepted and stored as sent', async () => {
    const res = await raw('POST', '/items', JSON_TYPE, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body(Buffer.from('a\ufffdb🙂'))]));
    assert.equal(res.status, 201, res.body);
    const { id } = JSON.parse(res.body) as { id: number };
    const [row] = (await h.db('items').where({ id }).select('name')) as Array<{ name: string }>;
    assert.equal(row?.name, 'a\ufffdb🙂');
  });
});

describe('lengths count characters (code points), as JSON Schema and PostgreSQL do', () => {
  test('a name of 100 emoji (200 UTF-16 units) is accepted and stored whole; 101 is refused', async () => {
    const res = await fetch(`${h.api}/items`, json({ name: '🙂'.repeat(100), price: 1 }));
    assert.equal(res.status, 201, await res.clone().text());
    assert.equal(((await res.json()) as { name: string }).name, '🙂'.repeat(100));
    const problem = await refusal(await fetch(`${h.api}/items`, json({ name: '🙂'.repeat(101), price: 1 })), 400, await countItems(h.db));
    assert.deepEqual(problem.errors, [{ field: 'name', message: 'must be at most 100 characters' }]);
  });
});
