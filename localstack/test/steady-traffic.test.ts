/**
 * `make local-up TRAFFIC=1`'s traffic against a stand-in API on 127.0.0.1: it keeps to its rate,
 * stops by itself at the end of its duration, writes its counts to its log, and refuses settings
 * out of bounds and any target but the local stack. localstack/test/cli.test.ts runs it for real.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startSteadyTraffic, STEADY_TRAFFIC, trafficDurationMs, trafficRate } from '../steady-traffic.js';

let dir: string;
let server: http.Server;
let apiUrl: string;
let received = 0;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'steady-traffic-'));
  server = http.createServer((req, res) => {
    received++;
    req.resume();
    req.on('end', () => {
      const created = req.method === 'POST';
      res.writeHead(created ? 201 : 200, { 'content-type': 'application/json' }).end(JSON.stringify(created ? { id: received } : []));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

test('sends at its rate, ends by itself after its duration, and logs its counts', async () => {
  const logFile = path.join(dir, 'traffic.log');
  const before = received;
  const started = Date.now();
  const traffic = startSteadyTraffic(apiUrl, { ratePerSecond: 20, durationMs: 2_000 }, logFile, 500);
  const result = await traffic.done;
  const elapsed = Date.now() - started;
  assert.ok(elapsed >= 1_900 && elapsed < 4_000, `ended after ${elapsed} ms of a 2 s duration`);
  // 20/s for 2 s: 40 requests, never more than the rate allows (the slot of request n is n / rate).
  assert.ok(result.requests >= 30 && result.requests <= 41, `${result.requests} requests at 20/s for 2 s`);
  assert.equal(received - before, result.requests, 'every request counted reached the server');
  assert.equal(result.byClass['2xx'], result.requests);
  const log = await readFile(logFile, 'utf8');
  assert.match(log, new RegExp(`traffic: 20 requests/s to ${apiUrl} until `));
  assert.match(log, /so far: \d+ requests/, 'a progress report within the run');
  assert.match(log, new RegExp(`finished: ${result.requests} requests in `));
  assert.ok(Math.abs(traffic.until.getTime() - (started + 2_000)) < 100, 'until = start + duration');
});

test('stop() ends it early and still logs the totals', async () => {
  const logFile = path.join(dir, 'stopped.log');
  const traffic = startSteadyTraffic(apiUrl, { ratePerSecond: 10, durationMs: 60_000 }, logFile);
  await new Promise((resolve) => setTimeout(resolve, 300));
  const started = Date.now();
  const result = await traffic.stop();
  assert.ok(Date.now() - started < 2_000, 'stops within a request');
  assert.ok(result.requests <= 5, `${result.requests} requests in 0.3 s at 10/s`);
  assert.match(await readFile(logFile, 'utf8'), /finished: /);
});

test('sends only to the local stack on 127.0.0.1', () => {
  assert.throws(() => startSteadyTraffic('http://example.com:3030', { ratePerSecond: 1, durationMs: 1_000 }, path.join(dir, 'x.log')), /local stack only \(127\.0\.0\.1\), not http:\/\/example\.com:3030/);
});

describe('settings out of bounds are refused in one line naming the bound', () => {
  for (const bad of ['0', '-1', 'fast', String(STEADY_TRAFFIC.maxRatePerSecond + 1)]) {
    test(`rate ${bad}`, () => assert.throws(() => trafficRate(bad), new RegExp(`traffic rate must be .* at most ${STEADY_TRAFFIC.maxRatePerSecond} \\(got "${bad}"\\)`)));
  }
  for (const bad of ['', '10', 'forever', '25h']) {
    test(`duration ${JSON.stringify(bad)}`, () => assert.throws(() => trafficDurationMs(bad), /traffic duration must be /));
  }
  test('the defaults and the bounds are accepted', () => {
    assert.equal(trafficRate(STEADY_TRAFFIC.maxRatePerSecond), STEADY_TRAFFIC.maxRatePerSecond);
    assert.equal(trafficDurationMs(STEADY_TRAFFIC.defaultDuration), 30 * 60_000);
    assert.equal(trafficDurationMs(STEADY_TRAFFIC.maxDuration), 24 * 3_600_000);
  });
});
