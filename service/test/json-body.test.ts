/**
 * Reading the body (http/json-body.ts, through raw-body): what happens when the stream does not
 * end the way its headers said, and what a refused body leaves of the connection. The everyday
 * refusals (limit, media type, UTF-8, JSON) are in request-problems.test.ts and http/.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import Koa, { type Context } from 'koa';
import type { AppState } from '../src/http/context.js';
import { jsonBody } from '../src/http/json-body.js';
import { HttpProblem } from '../src/http/problem.js';

const LIMIT = 100;
const INCOMPLETE = 'The request body ended before it was complete; send it again.';

/** Runs the middleware on a request that is only a stream with headers; resolves what it threw. */
async function thrownBy(req: Readable & { headers: http.IncomingHttpHeaders }): Promise<unknown> {
  const ctx = { req, request: {} } as unknown as Context;
  try {
    await jsonBody(LIMIT)(ctx, () => Promise.resolve());
  } catch (err) {
    return err;
  }
  assert.fail(`the body was accepted: ${JSON.stringify(ctx.request.body)}`);
}

const jsonRequest = (stream: Readable, headers: http.IncomingHttpHeaders = {}) =>
  Object.assign(stream, { headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked', ...headers } });

const assertIncomplete = (err: unknown) => {
  assert.ok(err instanceof HttpProblem, `an HttpProblem, not ${String(err)}`);
  assert.deepEqual({ type: err.type, status: err.status, detail: err.detail }, { type: 'malformedJson', status: 400, detail: INCOMPLETE });
};

describe('a body stream that does not end as announced is a 400, never a 5xx', () => {
  test('shorter than its Content-Length: "ended before it was complete", not parsed as it is', async () => {
    // `{"a":1}` is valid JSON: only the announced length can tell that bytes are missing.
    assertIncomplete(await thrownBy(jsonRequest(Readable.from([Buffer.from('{"a":1}')]), { 'content-length': '20', 'transfer-encoding': undefined })));
  });

  test('a socket error while reading (ECONNRESET) is the client\'s, not a database outage or a 500', async () => {
    const stream = new Readable({ read() {} });
    stream.push('{"name":');
    setImmediate(() => stream.destroy(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })));
    assertIncomplete(await thrownBy(jsonRequest(stream)));
  });

  test('a request already destroyed before the body is read', async () => {
    const stream = new Readable({ read() {} });
    stream.destroy();
    assertIncomplete(await thrownBy(jsonRequest(stream)));
  });

  test('an encoding set on the request is a bug of the service: rethrown as it is (a 500), not blamed on the client', async () => {
    const stream = new Readable({ read() {} }).setEncoding('utf8');
    const err = await thrownBy(jsonRequest(stream));
    assert.ok(!(err instanceof HttpProblem));
    assert.equal((err as { type?: string }).type, 'stream.encoding.set');
  });
});

describe('over real sockets', () => {
  let server: http.Server;
  let port: number;
  /** What the middleware threw, in order, each resolved as it happens. */
  const thrown: unknown[] = [];
  let onThrown: (() => void) | undefined;

  before(async () => {
    const app = new Koa<AppState>();
    // A client that leaves makes Koa report the socket error; the test looks at what was thrown instead.
    app.silent = true;
    app.use(async (ctx, next) => {
      try {
        await next();
      } catch (err) {
        thrown.push(err);
        onThrown?.();
        ctx.status = err instanceof HttpProblem ? err.status : 500;
        ctx.body = err instanceof HttpProblem ? err.detail : 'unexpected';
      }
    });
    app.use(jsonBody(LIMIT));
    app.use((ctx) => {
      ctx.body = { received: ctx.request.body };
    });
    server = http.createServer(app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** One request on `agent`: its status, body, and the socket it went over. */
  function send(agent: http.Agent, chunks: string[]): Promise<{ status: number; body: string; socket: net.Socket }> {
    return new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/', agent, headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, socket: req.socket as net.Socket }));
      });
      req.on('error', reject);
      for (const chunk of chunks) req.write(chunk);
      req.end();
    });
  }

  test('a chunked body found too large while reading is 413, and the same connection carries the next request', { timeout: 10_000 }, async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const first = await send(agent, ['{"name":"', 'x'.repeat(LIMIT), '"}', ...Array<string>(64).fill(' '.repeat(16 * 1024))]);
      assert.equal(first.status, 413, first.body);
      // Were the rest of the refused body left unread, the next request would wait behind it forever.
      const second = await send(agent, ['{"name":"next"}']);
      assert.deepEqual({ status: second.status, body: second.body }, { status: 200, body: '{"received":{"name":"next"}}' });
      assert.equal(second.socket, first.socket, 'the connection was kept');
    } finally {
      agent.destroy();
    }
  });

  test('a client that leaves in the middle of its body: "ended before it was complete"', async () => {
    const before = thrown.length;
    const caught = new Promise<void>((resolve) => (onThrown = resolve));
    const socket = net.connect(port, '127.0.0.1');
    socket.on('error', () => {}); // the server may answer to a closed socket
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n{"name":');
    setTimeout(() => socket.destroy(), 50);
    await caught;
    onThrown = undefined;
    assert.equal(thrown.length, before + 1);
    assertIncomplete(thrown.at(-1));
  });
});
