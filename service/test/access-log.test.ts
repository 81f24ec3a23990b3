import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { ACCESS_LOG_MESSAGE, accessLogWriter, type AccessLogEntry } from '../src/logging/access-log.js';
import { createLogger } from '../src/logging/logger.js';

function capture(): { stream: Writable; lines: () => string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { stream, lines: () => lines };
}

/** The two lines are written a moment apart; only the millisecond may differ. */
const withoutTime = (line: string) => line.replace(/"time":"[^"]*"/, '"time":"T"');

const entries = fc.record<AccessLogEntry>({
  reqId: fc.oneof(fc.uuid(), fc.stringMatching(/^[A-Za-z0-9._:-]{1,128}$/), fc.string({ unit: 'binary' })),
  method: fc.oneof(fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'PROPFIND'), fc.string({ unit: 'binary' })),
  // Paths as they reach koa, and anything else: quotes, backslashes, control characters, emoji.
  path: fc.oneof(fc.webPath(), fc.string({ unit: 'binary' }), fc.string({ unit: fc.constantFrom('"', '\\', '\n', '\u0001', '\u2028', 'é', '😀', '/') })),
  status: fc.oneof(fc.integer({ min: 100, max: 599 }), fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY)),
  durationMs: fc.oneof(fc.double({ min: 0, max: 1e6, noNaN: true }), fc.constantFrom(-0, Number.NaN)),
});

describe('accessLogWriter(logger)', () => {
  test("writes exactly the line pino's logger.info(entry, message) writes, to the logger's destination", () => {
    fc.assert(
      fc.property(entries, (entry) => {
        const out = capture();
        const logger = createLogger('info', out.stream);
        accessLogWriter(logger)(entry);
        logger.info(entry, ACCESS_LOG_MESSAGE);
        const [ours, pinos] = out.lines();
        assert.ok(ours !== undefined && pinos !== undefined, 'two lines written');
        assert.equal(withoutTime(ours), withoutTime(pinos));
        assert.match(ours, /"time":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"/);
      }),
      { numRuns: 2_000 },
    );
  });

  test('writes nothing when the level hides info', () => {
    const out = capture();
    accessLogWriter(createLogger('warn', out.stream))({ reqId: 'r', method: 'GET', path: '/items/1', status: 200, durationMs: 1 });
    assert.deepEqual(out.lines(), []);
  });

  test('keeps its place among the logger’s other lines', () => {
    const out = capture();
    const logger = createLogger('info', out.stream);
    const write = accessLogWriter(logger);
    logger.info('before');
    write({ reqId: 'r', method: 'GET', path: '/items/1', status: 200, durationMs: 1 });
    logger.warn('after');
    assert.deepEqual(
      out.lines().map((l) => (JSON.parse(l) as { msg: string }).msg),
      ['before', ACCESS_LOG_MESSAGE, 'after'],
    );
  });
});
