/**
 * The shared Prometheus client through the API server's service proxy: real client-node
 * credentials and real HTTP to the API server double (cluster/test-doubles/api-server-base.ts),
 * which plays a Prometheus behind `services/http:<name>:<port>/proxy/`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { route, startApiServerDouble, statusBody, type ApiServerDouble, type DoubleRequest } from '../cluster/test-doubles/api-server-base.js';
import { PrometheusApiError } from '../toolkit/prometheus-api/answer.js';
import { PrometheusClient } from '../toolkit/prometheus-api/client.js';
import type { Target } from '../toolkit/prometheus-api/types.js';
import { serviceClient, type ServiceRef } from './api-server.js';
import { serviceTransport } from './service-transport.js';

const REF: ServiceRef = { namespace: 'monitoring', service: 'prom', port: 'web' };
const WHERE = `${REF.namespace}/${REF.service}, through the API server`;

interface ProxiedAnswer {
  readonly status: number;
  readonly body: string;
  readonly contentType: string;
}
const json = (status: number, body: unknown): ProxiedAnswer => ({ status, body: JSON.stringify(body), contentType: 'application/json' });

const TARGET: Target = {
  labels: { job: 'items-api', namespace: 'items' },
  discoveredLabels: { __address__: '10.244.0.5:9464' },
  scrapePool: 'serviceMonitor/items/items-api/0',
  scrapeUrl: 'http://10.244.0.5:9464/metrics',
  health: 'up',
  lastError: '',
  lastScrape: '2024-01-01T00:00:00Z',
};

/** What the Prometheus behind the proxy answers next; each test sets it. */
let answer: ProxiedAnswer = json(200, { status: 'success', data: {} });
/** Requests as the Prometheus behind the proxy saw them. */
const proxied: Array<{ method: string; path: string; contentType: string | undefined; body: string }> = [];
let api: ApiServerDouble;
let prometheus: PrometheusClient;

before(async () => {
  const proxyPath = new RegExp(`^/api/v1/namespaces/${REF.namespace}/services/http:${REF.service}:${REF.port}/proxy(/.*)$`);
  api = await startApiServerDouble([
    route('*', proxyPath, (res, match, req: DoubleRequest) => {
      proxied.push({ method: req.method, path: `${match[1] ?? '/'}${req.url.search}`, contentType: req.headers['content-type'], body: req.body });
      res.writeHead(answer.status, { 'content-type': answer.contentType });
      res.end(answer.body);
    }),
  ]);
  prometheus = new PrometheusClient(serviceTransport(serviceClient(api.kubeConfig(), REF)));
});
after(() => api.close());

const rejectsWith = async (call: Promise<unknown>, errorType: string, message: RegExp): Promise<void> => {
  await assert.rejects(call, (error: unknown) => {
    assert.ok(error instanceof PrometheusApiError, String(error));
    assert.equal(error.errorType, errorType);
    assert.match(error.message, message);
    return true;
  });
};

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

describe('the Prometheus client through the API server (serviceTransport)', () => {
  test('a listing is a GET through the service proxy, its answer the typed data', async () => {
    answer = json(200, { status: 'success', data: { activeTargets: [TARGET], droppedTargets: [] } });
    assert.deepEqual(await prometheus.targets(), [TARGET]);
    assert.deepEqual(proxied.at(-1), { method: 'GET', path: '/api/v1/targets?state=active', contentType: undefined, body: '' });
  });

  test('a query is a form POST through the service proxy', async () => {
    const expr = 'sum by (job) (up{namespace="items"})';
    const [timestamp, value] = [1_700_000_000.5, '3'];
    answer = json(200, { status: 'success', data: { resultType: 'vector', result: [{ metric: TARGET.labels, value: [timestamp, value] }] } });
    assert.deepEqual(await prometheus.query(expr), [{ metric: TARGET.labels, timestamp, value: Number(value) }]);
    const sent = proxied.at(-1);
    assert.equal(sent?.method, 'POST');
    assert.equal(sent?.path, '/api/v1/query');
    assert.equal(sent?.contentType, 'application/x-www-form-urlencoded');
    assert.equal(new URLSearchParams(sent?.body).get('query'), expr);
  });

  test("the API server's 503 (no ready pod) names the request, where it went, the status and the answer", async () => {
    const reason = `no endpoints available for service "${REF.service}"`;
    answer = json(503, statusBody(503, 'ServiceUnavailable', reason));
    await rejectsWith(prometheus.rules(), 'http', new RegExp(`^GET /api/v1/rules on Prometheus \\(${escape(WHERE)}\\): HTTP 503 .*${escape(JSON.stringify(reason).slice(1, -1))}`));
  });

  test('a body that is not JSON names the status and shows the body on one line', async () => {
    const lines = ['<html><body>', 'Bad Gateway', '</body></html>'];
    answer = { status: 502, body: lines.join('\n'), contentType: 'text/html' };
    await rejectsWith(prometheus.alerts(), 'http', new RegExp(`^GET /api/v1/alerts on Prometheus \\(${escape(WHERE)}\\): HTTP 502 ${escape(lines.join(' '))}$`));
  });

  test("Prometheus' own error keeps its type and names the expression", async () => {
    const expr = 'sum(rate(up[5m])';
    const error = 'parse error: unclosed left parenthesis';
    answer = json(400, { status: 'error', errorType: 'bad_data', error });
    await rejectsWith(prometheus.query(expr), 'bad_data', new RegExp(`^Prometheus \\(${escape(WHERE)}\\) rejected query ${escape(JSON.stringify(expr))}: bad_data: ${escape(error)}$`));
  });

  test('an API server that does not answer: "cannot reach", and not ready', async () => {
    const gone = await startApiServerDouble([]);
    await gone.close();
    const unreachable = new PrometheusClient(serviceTransport(serviceClient(gone.kubeConfig(), REF)));
    await rejectsWith(unreachable.targets(), 'http', new RegExp(`^cannot reach Prometheus \\(${escape(WHERE)}\\): GET ${escape(gone.url)}/api/v1/namespaces/.*/proxy/api/v1/targets\\?state=active: .*ECONNREFUSED`));
    assert.equal(await unreachable.ready(), false);
  });
});
