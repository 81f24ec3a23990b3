/**
 * Request ids (http/request-id.ts, bound by http/request.ts): a caller's sane `X-Request-Id` is
 * echoed, anything else is replaced by a fresh UUID, and the same id is in the response header,
 * the problem body and the log lines of the request.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { REQUEST_ID_HEADER } from '../../src/http/request-id.js';
import { inProcessApp, type ProblemJson } from './in-process-app.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const HEADER = REQUEST_ID_HEADER.toLowerCase();

describe('X-Request-Id', () => {
  for (const id of ['abc', 'req-42', 'trace.id:span_7', '0'.repeat(128), 'f47ac10b-58cc-4372-a567-0e02b2c3d479']) {
    test(`a sane id is echoed: ${id.length > 40 ? `<${id.length} characters>` : id}`, async () => {
      const res = await inProcessApp().request('GET', '/livez', { headers: { [REQUEST_ID_HEADER]: id } });
      assert.equal(res.headers[HEADER], id);
    });
  }

  for (const [why, id] of [
    ['too long (129 characters)', '0'.repeat(129)],
    ['empty', ''],
    ['a space', 'abc def'],
    ['markup', '<script>alert(1)</script>'],
    ['a log-forging quote and brace', '","level":60,"msg":"x'],
    ['non-ASCII', 'идентификатор'],
  ] as const) {
    test(`an id that is ${why} is replaced by a fresh UUID`, async () => {
      const res = await inProcessApp().request('GET', '/livez', { headers: { [REQUEST_ID_HEADER]: id } });
      const answered = String(res.headers[HEADER]);
      assert.match(answered, UUID);
      assert.notEqual(answered, id);
    });
  }

  test('without one, each request gets its own UUID', async () => {
    const app = inProcessApp();
    const ids = await Promise.all([1, 2, 3].map(async () => String((await app.request('GET', '/livez')).headers[HEADER])));
    for (const id of ids) assert.match(id, UUID);
    assert.equal(new Set(ids).size, ids.length);
  });

  test('the id in the header is the one in the problem body and in every log line of the request', async () => {
    const app = inProcessApp();
    app.repository.failWith(new Error('boom'));
    const res = await app.request('GET', '/items/7', { headers: { [REQUEST_ID_HEADER]: 'caller-7' } });
    assert.equal(res.headers[HEADER], 'caller-7');
    assert.equal(res.json<ProblemJson>().requestId, 'caller-7');
    const lines = app.logs.filter((line) => line.msg === 'request failed' || line.msg === 'request completed');
    assert.equal(lines.length, 2);
    for (const line of lines) assert.equal(line.reqId, 'caller-7', line.msg);
  });

  test('a replaced id is what the log carries, never the rejected one', async () => {
    const app = inProcessApp();
    const res = await app.request('GET', '/livez', { headers: { [REQUEST_ID_HEADER]: 'bad id' } });
    const completed = app.logs.find((line) => line.msg === 'request completed');
    assert.equal(completed?.reqId, res.headers[HEADER]);
  });
});
