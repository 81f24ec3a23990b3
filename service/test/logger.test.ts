import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, test } from 'node:test';
import { createLogger } from '../src/logging/logger.js';
import { isoTimestamp } from '../src/logging/timestamp.js';

function capture(): { stream: Writable; lines: () => Array<Record<string, unknown>>; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text, lines: () => text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('isoTimestamp(now)', () => {
  test('matches Date#toISOString at every millisecond across second, minute and day boundaries', () => {
    const starts = [Date.UTC(2026, 0, 1, 0, 0, 0, 0) - 1500, Date.UTC(2026, 11, 31, 23, 59, 59, 0), 0, Date.UTC(2030, 5, 15, 12, 30, 0, 7)];
    for (const start of starts) {
      for (let now = start; now < start + 3000; now++) {
        assert.equal(isoTimestamp(now), `,"time":"${new Date(now).toISOString()}"`);
      }
    }
  });
});

describe('createLogger(level, destination)', () => {
  test('lines carry level, time as ISO, service and message', () => {
    const out = capture();
    createLogger('info', out.stream).info({ reqId: 'r1' }, 'hello');
    const [line] = out.lines();
    assert.equal(line?.msg, 'hello');
    assert.equal(line?.service, 'items-api');
    assert.equal(line?.reqId, 'r1');
    assert.match(String(line?.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  test('connection strings and passwords are redacted in every shape the service logs', () => {
    const out = capture();
    const log = createLogger('info', out.stream);
    const secret = 'p4ss-w0rd-secret';
    const url = `postgres://items:${secret}@db:5432/items`;
    log.info({ databaseUrl: url }, 'a');
    log.info({ config: { databaseUrl: url, password: secret } }, 'b');
    log.info({ connection: { password: secret, connectionString: url } }, 'c');
    log.info({ password: secret, connectionString: url }, 'd');
    log.error({ err: Object.assign(new Error('boom'), { config: { connectionString: url } }) }, 'e');
    assert.equal(out.lines().length, 5);
    assert.ok(!out.text().includes(secret), out.text());
  });
});
