/**
 * Every PromQL example in docs/ (```promql blocks, see docs/promql-blocks.ts) runs against the
 * local stack's Prometheus, after traffic that gives every example something to show: CRUD with
 * client errors and unknown paths, a stretch of injected 500s and one of failing queries, at a
 * 1 s scrape interval (every `[5m]` window holds many samples). A block must be accepted, and
 * must return data (at least one number, not only NaN) unless it is marked `promql cluster-only`.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test, type TestContext } from 'node:test';
import { localStackToolNames } from '../localstack/binaries.js';
import { driveSignalTraffic } from '../localstack/proof-kit/signal-traffic.js';
import { startLocalStack, TEST_TIMINGS, type LocalStack } from '../localstack/local-stack.js';
import { formatTraffic } from '../localstack/traffic.js';
import { ruleGroups, toRuleFileYaml } from '../monitoring/index.js';
import { requireTools } from '../testing/tools.js';
import { docsPromqlBlocks, extractPromqlBlocks, PromqlBlockError, type PromqlBlock } from './promql-blocks.js';

test('extractPromqlBlocks: promql blocks with their flag and line; other fences ignored; typos refused', () => {
  const markdown = [
    '# Title', // 1
    '```promql', // 2
    'sum(rate(x_total[5m]))', // 3
    '```', // 4
    '```bash', // 5
    'make local-up', // 6
    '```', // 7
    '- in a list:', // 8
    '  ````promql cluster-only', // 9
    '  kube_pod_info', // 10
    '    and on () vector(1)', // 11
    '  ````', // 12
    'Inline ```promql up``` is not a block.', // 13
    '~~~promql', // 14
    'up', // 15
    '```', // 16 (a backtick fence does not close a tilde fence)
    '~~~', // 17
  ].join('\n');
  assert.deepEqual(extractPromqlBlocks(markdown, 'x.md'), [
    { file: 'x.md', line: 2, info: 'promql', clusterOnly: false, expr: 'sum(rate(x_total[5m]))' },
    { file: 'x.md', line: 9, info: 'promql cluster-only', clusterOnly: true, expr: 'kube_pod_info\n  and on () vector(1)' },
    { file: 'x.md', line: 14, info: 'promql', clusterOnly: false, expr: 'up\n```' },
  ]);
  assert.throws(() => extractPromqlBlocks('```promql cluster_only\nup\n```', 'y.md'), (e: Error) => e instanceof PromqlBlockError && /y\.md:1: unknown word\(s\) after promql: cluster_only/.test(e.message));
  assert.throws(() => extractPromqlBlocks('text\n```promql\nup\n', 'z.md'), /z\.md:2: code fence ``` is never closed/);
  assert.throws(() => extractPromqlBlocks('```promql\n\n```', 'e.md'), /e\.md:1: empty promql block/);
});

test('the documentation has PromQL examples to check', () => {
  const blocks = docsPromqlBlocks();
  assert.ok(blocks.length > 0, 'no ```promql block under docs/: the extractor or the docs changed');
  assert.ok(
    blocks.every((b) => b.file.startsWith(`docs${path.sep}`)),
    'block paths are relative to the repository root',
  );
});

let workDir: string | undefined;
let started: Promise<LocalStack> | undefined;

async function stackFor(t: TestContext): Promise<LocalStack | undefined> {
  if (!requireTools(t, localStackToolNames())) return undefined;
  started ??= (async () => {
    workDir = await mkdtemp(path.join(tmpdir(), 'promql-examples-'));
    const rules = path.join(workDir, 'items-api.rules.yaml');
    await writeFile(rules, toRuleFileYaml(ruleGroups()));
    const stack = await startLocalStack({ ...TEST_TIMINGS, ruleFiles: [rules], faultInjection: true });
    try {
      console.log(`docs examples traffic: ${formatTraffic(await driveSignalTraffic(stack))}`);
      return stack;
    } catch (error) {
      await stack.stop();
      throw error;
    }
  })();
  return started;
}

after(async () => {
  const stack = await started?.catch(() => undefined);
  await stack?.stop();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

const where = (b: PromqlBlock) => `${b.file}:${b.line}`;

test('every PromQL example in docs/ is accepted by Prometheus and returns data (cluster-only ones: accepted)', async (t) => {
  const stack = await stackFor(t);
  if (!stack) return;
  const blocks = docsPromqlBlocks();
  const problems: string[] = [];
  const notes: string[] = [];
  for (const block of blocks) {
    let values: number[];
    try {
      values = (await stack.prometheus.query(block.expr)).map((s) => s.value);
    } catch (error) {
      problems.push(`${where(block)}: rejected by Prometheus: ${(error as Error).message}`);
      continue;
    }
    const numbers = values.filter((v) => !Number.isNaN(v));
    if (block.clusterOnly) {
      if (values.length > 0) notes.push(`${where(block)}: marked cluster-only but returned ${values.length} series here`);
    } else if (values.length === 0) {
      problems.push(`${where(block)}: returned no data after the traffic:\n    ${block.expr}`);
    } else if (numbers.length === 0) {
      problems.push(`${where(block)}: returned only NaN (${values.length} series):\n    ${block.expr}`);
    }
  }
  const byFile = new Map<string, number>();
  for (const b of blocks) byFile.set(b.file, (byFile.get(b.file) ?? 0) + 1);
  const clusterOnly = blocks.filter((b) => b.clusterOnly).length;
  console.log(
    [
      '',
      `docs PromQL examples: ${blocks.length} executed (${blocks.length - clusterOnly} must return data, ${clusterOnly} cluster-only: accepted only)`,
      ...[...byFile].map(([file, n]) => `  ${file}: ${n}`),
      ...notes.map((n) => `  note: ${n}`),
      '',
    ].join('\n'),
  );
  assert.deepEqual(problems, [], 'PromQL examples in docs/ that fail');
});
