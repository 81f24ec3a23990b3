/**
 * One runbook per alert and one alert per runbook; every runbook_url points at its file; every
 * PromQL block in a runbook parses (promtool) and names only series that exist: the service's,
 * the recorded SLO series, Prometheus' per-target ones, and for cluster-only alerts the
 * kube-state-metrics/cAdvisor ones. A later docs test runs these blocks against a live Prometheus.
 */
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';
import { RUNBOOK_BASE_URL } from '../project/constants.js';
import { requireTools } from '../testing/tools.js';
import { ALERTS, recordingRuleNames, ruleGroups } from './index.js';
import { extractPromqlBlocks } from '../docs/promql-blocks.js';
import { CLUSTER_SERIES, SERVICE_SERIES, unknownMetricNames } from './promql-names.js';
import { checkExpressions } from './promtool-runner.js';
import { isAlertingRule } from './types.js';

const RUNBOOK_DIR = path.resolve(import.meta.dirname, '..', 'docs', 'runbooks');
const INDEX = 'README.md';
const SECTIONS = ['## What it means', '## Impact', '## How to confirm', '## Likely causes', '## What to do'];

/** The ```promql blocks of a Markdown text, read by the same extractor the docs test uses. */
const promqlBlocks = (markdown: string): string[] => extractPromqlBlocks(markdown, 'runbook').map((block) => block.expr);

const runbook = (name: string) => readFile(path.join(RUNBOOK_DIR, `${name}.md`), 'utf8');

describe('runbooks', () => {
  test('every runbook file belongs to an alert', async () => {
    const files = (await readdir(RUNBOOK_DIR)).filter((f) => f.endsWith('.md') && f !== INDEX);
    const names = new Set(ALERTS.map((a) => a.name));
    assert.deepEqual(files.filter((f) => !names.has(f.replace(/\.md$/, ''))), [], 'runbooks without an alert');
  });

  test('every runbook_url is RUNBOOK_BASE_URL/<AlertName>.md', () => {
    for (const alert of ruleGroups().flatMap((g) => g.rules).filter(isAlertingRule)) {
      assert.equal(alert.annotations.runbook_url, `${RUNBOOK_BASE_URL}/${alert.alert}.md`);
    }
  });

  for (const alert of ALERTS) {
    describe(alert.name, () => {
      test('has a runbook whose title names the alert and whose header states its severity and for:', async () => {
        const text = await runbook(alert.name);
        assert.equal(text.split('\n')[0], `# ${alert.name}`);
        assert.match(text.split('\n').slice(1, 4).join('\n'), new RegExp(`\\*\\*Severity:\\*\\* ${alert.severity}\\b[^\\n]*\\*\\*for:\\*\\* ${alert.for}\\b`));
        if (alert.clusterOnly) assert.match(text, /\*\*cluster only\*\*/);
      });

      test('has every section, in order', async () => {
        const text = await runbook(alert.name);
        const positions = SECTIONS.map((s) => text.indexOf(`\n${s}\n`));
        assert.ok(positions.every((p) => p > 0), `missing: ${SECTIONS.filter((_, i) => (positions[i] as number) < 0).join(', ')}`);
        assert.deepEqual([...positions].sort((a, b) => a - b), positions);
      });

      test('confirms with PromQL that names only series that exist, without dashboard variables', async () => {
        const blocks = promqlBlocks(await runbook(alert.name));
        assert.ok(blocks.length > 0, 'at least one ```promql block');
        const known = [SERVICE_SERIES, new Set(recordingRuleNames()), ...(alert.clusterOnly ? [CLUSTER_SERIES] : [])];
        for (const block of blocks) {
          assert.doesNotMatch(block, /\$/, `no Grafana variables: ${block}`);
          assert.doesNotMatch(block, /\n/, `one expression on one line: ${block}`);
          assert.deepEqual(unknownMetricNames(block, known), [], `unknown series in: ${block}`);
        }
      });
    });
  }

  test('every PromQL block parses (promtool check rules)', async (t) => {
    const tools = requireTools(t, ['promtool']);
    if (!tools) return;
    const exprs: string[] = [];
    for (const alert of ALERTS) exprs.push(...promqlBlocks(await runbook(alert.name)));
    const { code, output } = await checkExpressions(tools.promtool as string, exprs);
    assert.equal(code, 0, `promtool rejects a runbook query:\n${output}`);
    assert.match(output, new RegExp(`SUCCESS: ${exprs.length} rules found`));
  });
});
