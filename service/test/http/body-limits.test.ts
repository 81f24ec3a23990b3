/**
 * Body limits (http/json-body.ts, BODY_LIMIT_BYTES): a body of exactly the limit is read, one
 * byte more is 413, whether the size is announced (Content-Length, refused before a byte is read)
 * or only found while reading (chunked). Nothing over the limit reaches the repository.
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, test } from 'node:test';
import { PROBLEM_TYPES } from '../../src/http/problem.js';
import { inProcessApp, JSON_HEADERS, type ProblemJson } from './in-process-app.js';

const LIMIT = 600;

/** A valid create body of exactly `bytes` bytes (the description pads it). */
function createBody(bytes: number): string {
  const empty = JSON.stringify({ name: 'Widget', price: 1, description: '' });
  const body = JSON.stringify({ name: 'Widget', price: 1, description: 'd'.repeat(bytes - empty.length) });
  assert.equal(Buffer.byteLength(body), bytes);
  return body;
}

interface Sent {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Readable;
}

const withLength = (body: string): Sent => ({ headers: JSON_HEADERS, body });

/**
 * The body as a stream of small chunks, announced as chunked: light-my-request sends a stream
 * without Content-Length, and without either header a request has no body (RFC 9112 section 6.3).
 */
const chunked = (body: string): Sent => ({
  headers: { ...JSON_HEADERS, 'transfer-encoding': 'chunked' },
  body: Readable.from(body.match(/.{1,64}/gs) ?? [], { objectMode: false }),
});

describe(`a body limit of ${LIMIT} bytes`, () => {
  for (const [how, send] of [
    ['with Content-Length', withLength],
    ['chunked, without Content-Length', chunked],
  ] as const) {
    test(`${how}: exactly ${LIMIT} bytes is read and stored`, async () => {
      const app = inProcessApp({ bodyLimitBytes: LIMIT });
      const res = await app.request('POST', '/items', send(createBody(LIMIT)));
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(app.repository.items.size, 1);
    });

    test(`${how}: ${LIMIT + 1} bytes is 413 payloadTooLarge, naming the limit, and stores nothing`, async () => {
      const app = inProcessApp({ bodyLimitBytes: LIMIT });
      const res = await app.request('POST', '/items', send(createBody(LIMIT + 1)));
      assert.equal(res.statusCode, PROBLEM_TYPES.payloadTooLarge.status);
      assert.equal(res.json<ProblemJson>().detail, `The request body is larger than ${LIMIT} bytes; send at most ${LIMIT} bytes.`);
      assert.deepEqual(app.repository.calls, []);
    });
  }

  test('an announced size over the limit is refused from the header alone, whatever follows', async () => {
    const app = inProcessApp({ bodyLimitBytes: LIMIT });
    // Content-Length says too much while the body sent is tiny: only the header can have decided.
    const res = await app.request('PUT', '/items/1', { headers: { ...JSON_HEADERS, 'content-length': String(LIMIT + 1) }, body: '{}' });
    assert.equal(res.statusCode, 413);
  });

  test('the limit is the configured one, not a default', async () => {
    const body = createBody(LIMIT + 100);
    assert.equal((await inProcessApp({ bodyLimitBytes: LIMIT }).request('POST', '/items', { headers: JSON_HEADERS, body })).statusCode, 413);
    assert.equal((await inProcessApp({ bodyLimitBytes: LIMIT + 100 }).request('POST', '/items', { headers: JSON_HEADERS, body })).statusCode, 201);
  });

  test('every route that takes a body enforces it', async () => {
    const app = inProcessApp({ bodyLimitBytes: LIMIT });
    const body = createBody(LIMIT + 1);
    for (const [method, url] of [
      ['POST', '/items'],
      ['PUT', '/items/1'],
      ['PATCH', '/items/1'],
    ] as const) {
      assert.equal((await app.request(method, url, { headers: JSON_HEADERS, body })).statusCode, 413, `${method} ${url}`);
    }
  });
});
