import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkExpressions } from '../monitoring/promtool-runner.js';
import { requireTools } from '../testing/tools.js';
import { DASHBOARDS } from './index.js';
import { dashboardQueries, substituteVariables } from './queries.js';

test('every dashboard query, variables substituted, is valid PromQL (promtool check rules)', async (t) => {
  const tools = requireTools(t, ['promtool']);
  if (!tools) return;
  const queries = dashboardQueries();
  const { code, output } = await checkExpressions(tools.promtool as string, queries.map((q) => substituteVariables(q.expr, { namespace: 'items', instance: '127.0.0.1:9464' })));
  assert.equal(code, 0, output);
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
  const { code, output } = await checkExpressions(tools.promtool as string, selectors);
  assert.equal(code, 0, output);
});

test('the check is real: promtool rejects a query broken by one parenthesis', async (t) => {
  const tools = requireTools(t, ['promtool']);
  if (!tools) return;
  const [first] = dashboardQueries();
  assert.ok(first);
  const { code, output } = await checkExpressions(tools.promtool as string, [`${substituteVariables(first.expr)})`]);
  assert.notEqual(code, 0, output);
  assert.match(output, /parse error|unexpected/i);
});
