/** The fetch transport says why no answer came: the connection's own error, or the per-request limit. */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { PrometheusApiError } from './answer.js';
import { PrometheusClient } from './client.js';
import { fetchTransport } from './fetch-transport.js';

/** A server on 127.0.0.1 that accepts requests and never answers. */
async function silentServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(() => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const isHttpError = (message: RegExp) => (error: unknown) => {
  assert.ok(error instanceof PrometheusApiError, String(error));
  assert.equal(error.errorType, 'http');
  assert.match(error.message, message);
  return true;
};

test('nothing listening: "cannot reach" with the URL and the connection error; not ready', async () => {
  const gone = await silentServer();
  await gone.close();
  const prometheus = new PrometheusClient(fetchTransport(gone.url));
  await assert.rejects(prometheus.rules(), isHttpError(new RegExp(`^cannot reach Prometheus \\(${gone.url}\\): GET ${gone.url}/api/v1/rules: fetch failed: .*ECONNREFUSED`)));
  assert.equal(await prometheus.ready(), false);
});

test('no answer within the per-request limit: the limit is named', async (t) => {
  const silent = await silentServer();
  t.after(() => silent.close());
  const requestTimeoutMs = 150;
  const prometheus = new PrometheusClient(fetchTransport(silent.url, { requestTimeoutMs }));
  await assert.rejects(prometheus.query('up'), isHttpError(new RegExp(`^cannot reach Prometheus \\(${silent.url}\\): POST ${silent.url}/api/v1/query: no answer within ${requestTimeoutMs} ms$`)));
});
