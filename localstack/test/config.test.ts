import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { APP_NAME, APP_NAMESPACE, PORT_NAMES, RULE_EVALUATION_INTERVAL, SCRAPE } from '../../project/constants.js';
import { freePort } from '../../toolkit/ports.js';
import { requireTools } from '../../testing/tools.js';
import { buildAlertmanagerConfig, NULL_RECEIVER, renderAlertmanagerConfig, WEBHOOK_RECEIVER } from '../alertmanager-config.js';
import { MissingBinaryError, resolveBinary } from '../binaries.js';
import { durationMs } from '../durations.js';
import { buildPrometheusConfig, LOCAL_POD_NAME, renderPrometheusConfig } from '../prometheus-config.js';
import { DEFAULT_RULE_FILE, PortInUseError, resolvePorts, resolveRuleFiles, ROOT } from '../local-stack.js';

const run = promisify(execFile);
const TARGETS = { metricsTarget: '127.0.0.1:9464', alertmanagerTarget: '127.0.0.1:9093', ruleFiles: ['/rules/a.yaml'] };

describe('durationMs', () => {
  for (const [text, ms] of [['1s', 1_000], ['15s', 15_000], ['1m30s', 90_000], ['500ms', 500], ['2h', 7_200_000]] as const) {
    test(`${text} is ${ms} ms`, () => assert.equal(durationMs(text), ms));
  }
  for (const bad of ['', '0s', '15', '1.5s', 's', '30s1m']) {
    test(`${JSON.stringify(bad)} is refused, naming what it was for`, () => assert.throws(() => durationMs(bad, 'scrape interval'), /scrape interval must be a positive Prometheus duration/));
  }
});

describe('buildPrometheusConfig', () => {
  test('scrapes items-api as the ServiceMonitor does: job, path, interval, timeout, target labels', () => {
    const config = buildPrometheusConfig(TARGETS);
    assert.equal(config.scrape_configs.length, 1);
    const [job] = config.scrape_configs;
    assert.equal(job?.job_name, SCRAPE.job);
    assert.equal(job?.metrics_path, SCRAPE.path);
    assert.equal(job?.scrape_interval, SCRAPE.interval);
    assert.equal(job?.scrape_timeout, SCRAPE.scrapeTimeout);
    assert.equal(job?.honor_labels, false);
    assert.deepEqual(job?.static_configs, [
      {
        targets: ['127.0.0.1:9464'],
        labels: { namespace: APP_NAMESPACE, service: APP_NAME, endpoint: PORT_NAMES.metrics, pod: LOCAL_POD_NAME, container: APP_NAME },
      },
    ]);
  });

  test('evaluates rules at the cluster interval, loads the rule files, alerts the Alertmanager', () => {
    const config = buildPrometheusConfig(TARGETS);
    assert.deepEqual(config.global, { scrape_interval: SCRAPE.interval, evaluation_interval: RULE_EVALUATION_INTERVAL });
    assert.deepEqual(config.rule_files, ['/rules/a.yaml']);
    assert.deepEqual(config.alerting.alertmanagers, [{ api_version: 'v2', static_configs: [{ targets: ['127.0.0.1:9093'] }] }]);
  });

  test('short test intervals also shorten the scrape timeout, which may not exceed the interval', () => {
    const config = buildPrometheusConfig({ ...TARGETS, scrapeInterval: '1s', evaluationInterval: '1s' });
    assert.equal(config.scrape_configs[0]?.scrape_interval, '1s');
    assert.equal(config.scrape_configs[0]?.scrape_timeout, '1s');
    assert.equal(config.global.evaluation_interval, '1s');
  });

  test('a bad interval is refused before anything starts', () => {
    assert.throws(() => buildPrometheusConfig({ ...TARGETS, evaluationInterval: 'often' }), /evaluation interval must be/);
  });

  test('promtool accepts the rendered prometheus.yml with a real rule file', async (t) => {
    const tools = requireTools(t, ['promtool']);
    if (!tools) return;
    const dir = await mkdtemp(path.join(tmpdir(), 'localstack-config-'));
    try {
      const rules = path.join(dir, 'rules.yaml');
      await writeFile(rules, 'groups:\n  - name: g\n    rules:\n      - record: x:up:sum\n        expr: sum(up)\n');
      const file = path.join(dir, 'prometheus.yml');
      await writeFile(file, renderPrometheusConfig({ ...TARGETS, ruleFiles: [rules], scrapeInterval: '1s' }));
      const { stdout } = await run(tools.promtool!, ['check', 'config', file]);
      assert.match(stdout, /SUCCESS: 1 rule files found/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('buildAlertmanagerConfig', () => {
  test('with a webhook URL every alert goes there, resolved ones too, grouped by alert name and namespace', () => {
    const config = buildAlertmanagerConfig({ webhookUrl: 'http://127.0.0.1:5001/alerts', groupWait: '1s', groupInterval: '1s' });
    assert.deepEqual(config.route, { receiver: WEBHOOK_RECEIVER, group_by: ['alertname', 'namespace'], group_wait: '1s', group_interval: '1s', repeat_interval: '12h' });
    assert.deepEqual(config.receivers, [{ name: WEBHOOK_RECEIVER, webhook_configs: [{ url: 'http://127.0.0.1:5001/alerts', send_resolved: true }] }]);
  });

  test('without one, alerts go to a receiver with no integrations', () => {
    const config = buildAlertmanagerConfig();
    assert.equal(config.route.receiver, NULL_RECEIVER);
    assert.deepEqual(config.receivers, [{ name: NULL_RECEIVER }]);
    assert.equal(config.route.group_wait, '30s');
  });

  test('bad timings and URLs are refused', () => {
    assert.throws(() => buildAlertmanagerConfig({ groupWait: 'soon' }), /group_wait must be/);
    assert.throws(() => buildAlertmanagerConfig({ webhookUrl: 'localhost:5001' }), /webhook URL must be http/);
  });

  test('amtool accepts both rendered configs', async (t) => {
    const tools = requireTools(t, ['amtool']);
    if (!tools) return;
    const dir = await mkdtemp(path.join(tmpdir(), 'localstack-config-'));
    try {
      for (const [name, opts] of [['webhook', { webhookUrl: 'http://127.0.0.1:5001/alerts' }], ['null', {}]] as const) {
        const file = path.join(dir, `${name}.yml`);
        await writeFile(file, renderAlertmanagerConfig(opts));
        const { stdout } = await run(tools.amtool!, ['check-config', file]);
        assert.match(stdout, /SUCCESS/);
        assert.equal((parse(await readFile(file, 'utf8')) as { route: { receiver: string } }).route.receiver, name);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('resolveRuleFiles', () => {
  test('the default is the generated rule file when it exists, else none with a warning naming `make generate`', () => {
    const warnings: string[] = [];
    const files = resolveRuleFiles(undefined, (m) => warnings.push(m));
    const generated = path.join(ROOT, DEFAULT_RULE_FILE);
    if (files.length > 0) {
      assert.deepEqual(files, [generated]);
      assert.deepEqual(warnings, []);
    } else {
      assert.deepEqual(warnings, [`no rules loaded: ${DEFAULT_RULE_FILE} does not exist (run \`make generate\`)`]);
    }
  });

  test('rule files given explicitly must exist', () => {
    assert.throws(() => resolveRuleFiles(['/nonexistent/rules.yaml'], () => undefined), /rule file\(s\) not found: \/nonexistent\/rules.yaml/);
  });
});

describe('resolvePorts', () => {
  test('a given port that is taken is reported with what it was for; nothing else is picked', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as net.AddressInfo).port;
    try {
      await assert.rejects(resolvePorts({ prometheus: taken }), (error: Error) => {
        assert.ok(error instanceof PortInUseError);
        assert.match(error.message, new RegExp(`${taken} \\(Prometheus\\)`));
        return true;
      });
    } finally {
      blocker.close();
    }
  });

  test('the same port twice is refused; missing ports are picked free and distinct', async () => {
    const port = await freePort();
    await assert.rejects(resolvePorts({ api: port, metrics: port }), /port \d+ is given to both the API and the metrics endpoint/);
    const ports = await resolvePorts({ api: port });
    assert.equal(ports.api, port);
    assert.equal(new Set(Object.values(ports)).size, 5);
  });
});

describe('resolveBinary', () => {
  test('a missing binary names the Debian package to install', () => {
    assert.throws(() => resolveBinary('alertmanager', '/nonexistent/alertmanager'), /alertmanager binary \/nonexistent\/alertmanager does not exist/);
    const previous = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      assert.throws(
        () => resolveBinary('alertmanager'),
        (error: Error) => error instanceof MissingBinaryError && /alertmanager or prometheus-alertmanager not found.*apt-get install prometheus-alertmanager/.test(error.message),
      );
    } finally {
      process.env.PATH = previous;
    }
  });
});
