/**
 * Which pages `make local-up` prints, decided by what the running build answers. Stand-in servers
 * play the three Prometheus layouts and both Alertmanager builds; localstack/test/cli.test.ts
 * checks the real Debian binaries (every printed page answers 200).
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, test } from 'node:test';
import { describePages, detectAlertmanagerPages, detectPrometheusPages } from '../web-pages.js';

const servers: http.Server[] = [];
after(() => Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve)))));

/** A server that answers 200 on `pages`, redirects `/` like Prometheus does, and 404 elsewhere. */
async function serving(pages: readonly string[]): Promise<string> {
  const server = http.createServer((req, res) => {
    if (req.url === '/') {
      res.writeHead(302, { location: '/somewhere' }).end();
    } else {
      res.writeHead(pages.includes(req.url ?? '') ? 200 : 404).end('page');
    }
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('detectPrometheusPages', () => {
  test('a build with the React UI (upstream): /targets, /rules, /alerts, /graph', async () => {
    const base = await serving(['/targets', '/rules', '/alerts', '/graph', '/classic/targets']);
    assert.deepEqual(await detectPrometheusPages(base), { ui: 'react', targets: `${base}/targets`, rules: `${base}/rules`, alerts: `${base}/alerts`, graph: `${base}/graph` });
  });

  test("Debian's 2.42 (only the classic UI; /targets is 404): the /classic/ pages", async () => {
    const base = await serving(['/classic/targets', '/classic/rules', '/classic/alerts', '/classic/graph']);
    const pages = await detectPrometheusPages(base);
    assert.equal(pages.ui, 'classic');
    assert.deepEqual([pages.targets, pages.rules, pages.alerts, pages.graph], ['targets', 'rules', 'alerts', 'graph'].map((p) => `${base}/classic/${p}`));
  });

  test('a build with no UI at all: the API endpoints, which every build serves', async () => {
    const base = await serving([]);
    assert.deepEqual(await detectPrometheusPages(base), {
      ui: 'api-only',
      targets: `${base}/api/v1/targets`,
      rules: `${base}/api/v1/rules`,
      alerts: `${base}/api/v1/alerts`,
      graph: `${base}/api/v1/query?query=up`,
    });
  });
});

describe('detectAlertmanagerPages', () => {
  test('an upstream build (its UI script exists): the UI, the API and amtool when installed', async () => {
    const base = await serving(['/script.js']);
    assert.deepEqual(await detectAlertmanagerPages(base, '/usr/bin/amtool'), {
      ui: `${base}/#/alerts`,
      alertsApi: `${base}/api/v2/alerts`,
      amtool: `amtool --alertmanager.url=${base} alert query`,
    });
  });

  test("Debian's build (no web UI): only the API, and no amtool line without amtool", async () => {
    const base = await serving([]);
    assert.deepEqual(await detectAlertmanagerPages(base, undefined), { alertsApi: `${base}/api/v2/alerts` });
  });
});

test('describePages says when a build has no UI, and lists every page as a full URL', () => {
  const lines = describePages(
    'http://127.0.0.1:9090',
    { ui: 'classic', targets: 'http://127.0.0.1:9090/classic/targets', rules: 'http://127.0.0.1:9090/classic/rules', alerts: 'http://127.0.0.1:9090/classic/alerts', graph: 'http://127.0.0.1:9090/classic/graph' },
    'http://127.0.0.1:9093',
    { alertsApi: 'http://127.0.0.1:9093/api/v2/alerts', amtool: 'amtool --alertmanager.url=http://127.0.0.1:9093 alert query' },
  );
  assert.deepEqual(lines, [
    '  Prometheus     http://127.0.0.1:9090   (this build serves the classic UI, under /classic/)',
    '    targets      http://127.0.0.1:9090/classic/targets',
    '    rules        http://127.0.0.1:9090/classic/rules',
    '    alerts       http://127.0.0.1:9090/classic/alerts',
    '    query        http://127.0.0.1:9090/classic/graph',
    '  Alertmanager   http://127.0.0.1:9093   (this build has no web UI: read its alerts below)',
    '    alerts       http://127.0.0.1:9093/api/v2/alerts',
    '                 amtool --alertmanager.url=http://127.0.0.1:9093 alert query',
  ]);
});
