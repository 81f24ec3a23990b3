/**
 * Problem mapping (http/error-handler.ts): every problem type the HTTP layer sends, each from the
 * request or repository answer that causes it, checked field by field. In process, through
 * `app.callback()`; the end-to-end tier keeps what needs a real server and database.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import knexPkg from 'knex';
import { PoolAcquireError } from '../../src/db/pool.js';
import { FaultState } from '../../src/faults/faults.js';
import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPES, problemTypeUri, type ProblemType } from '../../src/http/problem.js';
import { REQUEST_ID_HEADER } from '../../src/http/request-id.js';
import { BODY_LIMIT_BYTES, inProcessApp, JSON_HEADERS, type InProcessApp, type ProblemJson } from './in-process-app.js';

interface ProblemCase {
  readonly name: string;
  readonly type: ProblemType;
  readonly method: string;
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Changes the app before the request (a failing repository, fault injection). */
  readonly arrange?: (app: InProcessApp) => void;
  readonly faults?: FaultState;
  /** Headers the problem must carry besides Content-Type and X-Request-Id. */
  readonly extraHeaders?: Readonly<Record<string, string>>;
}

/** What a driver or the pool throws when PostgreSQL is gone, one per path `isDatabaseUnavailable` knows. */
const DATABASE_GONE: ReadonlyArray<readonly [string, () => Error]> = [
  ['the pool gave up acquiring a connection', () => new PoolAcquireError(new Error('timeout'))],
  ["knex's acquire timeout", () => new knexPkg.KnexTimeoutError('Knex: Timeout acquiring a connection.')],
  ['a refused connection (ECONNREFUSED)', () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
  ['an administrator shutdown (SQLSTATE 57P01)', () => Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })],
  ['a statement timeout (SQLSTATE 57014)', () => Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' })],
  ['a connection lost mid-query', () => new Error('Connection terminated unexpectedly')],
];

const CASES: readonly ProblemCase[] = [
  { name: 'a body field breaking the schema', type: 'validation', method: 'POST', url: '/items', headers: JSON_HEADERS, body: '{"name":"Widget","price":1.234}' },
  { name: 'a query parameter out of range', type: 'validation', method: 'GET', url: '/items?limit=0' },
  { name: 'a path id that is not a positive integer', type: 'validation', method: 'GET', url: '/items/abc' },
  { name: 'a body that is not JSON', type: 'malformedJson', method: 'POST', url: '/items', headers: JSON_HEADERS, body: '{"name":' },
  { name: 'an id no item has', type: 'notFound', method: 'GET', url: '/items/41' },
  { name: 'a path no route has', type: 'notFound', method: 'GET', url: '/no/such/path' },
  { name: 'a method the path lacks', type: 'methodNotAllowed', method: 'DELETE', url: '/items', extraHeaders: { allow: 'HEAD, GET, POST' } },
  { name: 'TRACE, which no router implements (501 from the router, a client error here)', type: 'methodNotAllowed', method: 'TRACE', url: '/items/1', extraHeaders: { allow: 'HEAD, GET, PUT, PATCH, DELETE' } },
  { name: 'a body over the limit', type: 'payloadTooLarge', method: 'POST', url: '/items', headers: JSON_HEADERS, body: `{"name":"${'x'.repeat(BODY_LIMIT_BYTES)}","price":1}` },
  { name: 'a body sent as text/plain', type: 'unsupportedMediaType', method: 'POST', url: '/items', headers: { 'content-type': 'text/plain' }, body: '{}' },
  {
    name: 'a compressed body',
    type: 'unsupportedMediaType',
    method: 'PUT',
    url: '/items/1',
    headers: { ...JSON_HEADERS, 'content-encoding': 'gzip' },
    body: '{}',
    extraHeaders: { 'accept-encoding': 'identity' },
  },
  { name: 'fault injection at error rate 1', type: 'injectedFault', method: 'GET', url: '/items', faults: new FaultState({ errorRate: 1, latencyMs: 0, dbDelayMs: 0 }) },
  { name: 'an error nobody expected', type: 'internal', method: 'GET', url: '/items', arrange: (app) => app.repository.failWith(new TypeError('cannot read properties of undefined')) },
  ...DATABASE_GONE.map(
    ([what, error]): ProblemCase => ({
      name: `the database gone: ${what}`,
      type: 'databaseUnavailable',
      method: 'GET',
      url: '/items/1',
      arrange: (app) => app.repository.failWith(error()),
      extraHeaders: { 'retry-after': '1' },
    }),
  ),
];

describe('problem+json for every problem type the HTTP layer sends', () => {
  for (const c of CASES) {
    test(`${c.type} (${PROBLEM_TYPES[c.type].status}): ${c.name}`, async () => {
      const app = inProcessApp(c.faults ? { faults: c.faults } : {});
      c.arrange?.(app);
      const res = await app.request(c.method, c.url, { ...(c.headers ? { headers: c.headers } : {}), ...(c.body === undefined ? {} : { body: c.body }) });
      const problem = res.json<ProblemJson>();
      const { status, title } = PROBLEM_TYPES[c.type];
      assert.equal(res.statusCode, status, res.body);
      assert.equal(res.headers['content-type'], PROBLEM_CONTENT_TYPE);
      assert.deepEqual({ type: problem.type, title: problem.title, status: problem.status }, { type: problemTypeUri(c.type), title, status });
      assert.equal(problem.instance, new URL(c.url, 'http://x').pathname);
      assert.equal(problem.requestId, res.headers[REQUEST_ID_HEADER.toLowerCase()]);
      for (const [name, value] of Object.entries(c.extraHeaders ?? {})) assert.equal(res.headers[name], value, name);
    });
  }

  test('every problem type has a case above', () => {
    const covered = new Set(CASES.map((c) => c.type));
    const missing = (Object.keys(PROBLEM_TYPES) as ProblemType[]).filter((type) => !covered.has(type));
    assert.deepEqual(missing, []);
  });
});

describe('5xx details never reach the client', () => {
  test('an unexpected error: a generic 500, the details only in the log, with the request id', async () => {
    const app = inProcessApp();
    app.repository.failWith(new Error('relation "items" does not exist; password=hunter2 at db.internal:5432'));
    const res = await app.request('GET', '/items/1');
    assert.equal(res.statusCode, 500);
    const problem = res.json<ProblemJson>();
    assert.equal(problem.detail, 'An unexpected error occurred; it has been logged.');
    for (const secret of ['hunter2', 'db.internal', 'relation', 'stack']) assert.ok(!res.body.includes(secret), `the response leaks "${secret}": ${res.body}`);
    const logged = app.logs.find((line) => line.msg === 'request failed');
    assert.ok(logged, 'the 5xx is logged');
    assert.equal(logged.reqId, problem.requestId);
    assert.match(logged.err?.message ?? '', /password=hunter2/, 'the log keeps what the client does not get');
  });

  test('a database outage: 503 with Retry-After, the driver message only in the log', async () => {
    const app = inProcessApp();
    app.repository.failWith(Object.assign(new Error('connect ECONNREFUSED 10.1.2.3:5432'), { code: 'ECONNREFUSED' }));
    const res = await app.request('POST', '/items', { headers: JSON_HEADERS, body: '{"name":"Widget","price":1}' });
    assert.equal(res.statusCode, 503);
    assert.equal(res.headers['retry-after'], '1');
    assert.equal(res.json<ProblemJson>().detail, 'The database is not reachable right now; retry shortly.');
    assert.ok(!res.body.includes('10.1.2.3'), res.body);
    assert.ok(app.logs.some((line) => line.msg === 'request failed' && /10\.1\.2\.3/.test(line.err?.message ?? '')));
  });

  test('4xx problems are not logged as failures: they are the client\'s', async () => {
    const app = inProcessApp();
    await app.request('GET', '/items/41');
    assert.equal(app.logs.filter((line) => line.msg === 'request failed').length, 0);
  });
});

describe('refusals never reach the repository', () => {
  for (const [name, method, url, headers, body] of [
    ['schema violation', 'POST', '/items', JSON_HEADERS, '{"price":-1}'],
    ['malformed JSON', 'PATCH', '/items/1', JSON_HEADERS, '['],
    ['too large', 'PUT', '/items/1', JSON_HEADERS, `"${'x'.repeat(BODY_LIMIT_BYTES)}"`],
    ['wrong media type', 'POST', '/items', { 'content-type': 'application/xml' }, '<item/>'],
    ['bad id', 'DELETE', '/items/0', {}, undefined],
  ] as const) {
    test(`${name}: ${method} ${url}`, async () => {
      const app = inProcessApp();
      const res = await app.request(method, url, { headers, ...(body === undefined ? {} : { body }) });
      assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${res.statusCode}`);
      assert.deepEqual(app.repository.calls, []);
    });
  }
});

describe('404 and 405', () => {
  test('405 lists the methods the path has in Allow, and so does its problem detail', async () => {
    const res = await inProcessApp().request('PATCH', '/items');
    assert.equal(res.statusCode, 405);
    assert.equal(res.headers.allow, 'HEAD, GET, POST');
    assert.equal(res.json<ProblemJson>().detail, 'PATCH is not allowed on /items; allowed: HEAD, GET, POST.');
  });

  test('a method no router knows (PROPFIND) on a known path is 405, never a 5xx', async () => {
    const res = await inProcessApp().request('PROPFIND', '/livez');
    assert.equal(res.statusCode, 405);
    assert.equal(res.headers.allow, 'HEAD, GET');
  });

  // OPTIONS is a method the routers implement; TRACE, PROPFIND and CONNECT are ones none does (the
  // router's 501, with an `Allow` of the methods the path has: none on an unknown path).
  const UNKNOWN_PATH_METHODS = ['GET', 'POST', 'DELETE', 'OPTIONS', 'TRACE', 'PROPFIND', 'CONNECT'] as const;

  test('an unknown path is 404 whatever the method, with no Allow header at all (not even an empty one)', async () => {
    for (const url of ['/admin/../etc/passwd', '/items/1/children']) {
      for (const method of UNKNOWN_PATH_METHODS) {
        const res = await inProcessApp().request(method, url);
        assert.equal(res.statusCode, 404, `${method} ${url}`);
        assert.equal(res.json<ProblemJson>().title, PROBLEM_TYPES.notFound.title, `${method} ${url}`);
        assert.equal(res.headers.allow, undefined, `${method} ${url}: a 404 carries Allow: ${JSON.stringify(res.headers.allow)}`);
      }
    }
  });

  test('a known path: a method it lacks is 405 with its Allow, OPTIONS is 200 with the same Allow', async () => {
    for (const [url, allow] of [
      ['/items', 'HEAD, GET, POST'],
      ['/items/1', 'HEAD, GET, PUT, PATCH, DELETE'],
    ] as const) {
      const refused = url === '/items' ? ['DELETE', 'TRACE', 'PROPFIND', 'CONNECT'] : ['POST', 'TRACE', 'PROPFIND', 'CONNECT'];
      for (const method of refused) {
        const res = await inProcessApp().request(method, url);
        assert.equal(res.statusCode, 405, `${method} ${url}`);
        assert.equal(res.headers.allow, allow, `${method} ${url}`);
        assert.equal(res.json<ProblemJson>().detail, `${method} is not allowed on ${url}; allowed: ${allow}.`);
      }
      const options = await inProcessApp().request('OPTIONS', url);
      assert.equal(options.statusCode, 200, `OPTIONS ${url}`);
      assert.equal(options.headers.allow, allow, `OPTIONS ${url}`);
      assert.equal(options.body, '', `OPTIONS ${url}`);
    }
  });

  test('a deleted item is 404 on the next read', async () => {
    const app = inProcessApp();
    const created = (await app.request('POST', '/items', { headers: JSON_HEADERS, body: '{"name":"Widget","price":1}' })).json<{ id: number }>();
    assert.equal((await app.request('DELETE', `/items/${created.id}`)).statusCode, 204);
    const res = await app.request('GET', `/items/${created.id}`);
    assert.equal(res.statusCode, 404);
    assert.deepEqual(res.json<ProblemJson>().errors, [{ field: 'path.id', message: 'no item has this id' }]);
  });
});

describe('while shutting down', () => {
  test('requests are still answered, each with Connection: close, not refused with a 503', async () => {
    const app = inProcessApp();
    app.shuttingDown = true;
    const res = await app.request('GET', '/items');
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers.connection, 'close');
    assert.equal((await app.request('GET', '/readyz')).statusCode, 503);
  });
});
