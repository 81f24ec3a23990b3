import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { requireTools } from '../testing/tools.js';
import { DASHBOARDS } from './index.js';
import { dashboardQueries, substituteVariables } from './queries.js';

const run = promisify(execFile);

/** `promtool check rules` over one rule file holding each expression as a recording rule. */
async function checkRules(promtool: string, exprs: readonly string[]): Promise<{ ok: boolean; output: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'dashboard-queries-'));
  try {
    const file = path.join(dir, 'queries.yml');
    const rules = exprs.map((expr, i) => ({ record: `dashboard:query_${i}:check`, expr }));
    await writeFile(file, stringify({ groups: [{ name: 'dashboard-queries', rules }] }));
    const result = await run(promtool, ['check', 'rules', file], { timeout: 60_000 }).then(
      ({ stdout, stderr }) => ({ ok: true, output: stdout + stderr }),
      (error: { stdout?: string; stderr?: string }) => ({ ok: false, output: `${error.stdout ?? ''}${error.stderr ?? ''}` }),
    );
    return result;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('every dashboard query, variables substituted, is valid PromQL (promtool check rules)', async (t) => {
  const tools = requireTools(t, ['promtool']);
  if (!tools) return;
  const queries = dashboardQueries();
  const { ok, output } = await checkRules(tools.promtool as string, queries.map((q) => substituteVariables(q.expr, { namespace: 'items', instance: '127.0.0.1:9464' })));
  assert.ok(ok, output);
  assert.match(output, new RegExp(`SUCCESS: ${queries.length} rules found`));
});

test('every variable query reads a valid series selector (promtool check rules)', async (t) => {
  const tools = requireTools(t, ['promtool']);
  if (!tools) return;
  const selectors = DASHBOARDS.flatMap((d) =>
    ((d.json.templating as { list: { type: string; query?: unknown }[] }).list ?? [])
      .filter((v) => v.type === 'query')
      .map((v) => {
        const match = /^label_values\((.+), \w+\)$/.exec(String(v.query));
        assert.ok(match, `${d.uid}: ${String(v.query)} is label_values(<selector>, <label>)`);
        return substituteVariables(match[1] as string);
      }),
  );
  const { ok, output } = await checkRules(tools.promtool as string, selectors);
  assert.ok(ok, output);
});

test('the check is real: promtool rejects a query broken by one parenthesis', async (t) => {
  const tools = requireTools(t, ['promtool']);
  if (!tools) return;
  const [first] = dashboardQueries();
  assert.ok(first);
  const { ok, output } = await checkRules(tools.promtool as string, [`${substituteVariables(first.expr)})`]);
  assert.equal(ok, false, output);
  assert.match(output, /parse error|unexpected/i);
});
