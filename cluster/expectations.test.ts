/** The post-deploy check's expectations come from the project catalogues when they exist, and insist on their shape. */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadProjectExpectations } from './expectations.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'expectations-'));
});
after(() => rm(dir, { recursive: true, force: true }));

async function project(name: string, files: Record<string, string>): Promise<string> {
  const root = path.join(dir, name);
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), text);
  }
  return root;
}

describe('loadProjectExpectations', () => {
  test('without catalogues: nothing expected by name', async () => {
    assert.deepEqual(await loadProjectExpectations(await project('none', {})), { alertNames: undefined, ruleGroupNames: undefined, dashboards: undefined });
  });

  test('alert names, rule group names and dashboards from the catalogues', async () => {
    const root = await project('full', {
      'monitoring/index.ts': `export const ALERTS = [{ name: 'A', severity: 'critical', clusterOnly: false, summary: 's' }];
export const ruleGroups = () => [{ name: 'g1', rules: [] }, { name: 'g2', rules: [] }];`,
      'k8s-dashboards/index.ts': `export const DASHBOARDS = [{ uid: 'u1', title: 'T1', file: 'u1.json', json: {} }];`,
    });
    assert.deepEqual(await loadProjectExpectations(root), { alertNames: ['A'], ruleGroupNames: ['g1', 'g2'], dashboards: [{ uid: 'u1', title: 'T1' }] });
  });

  test('a catalogue of the wrong shape is an error naming the export', async () => {
    const root = await project('bad', { 'k8s-dashboards/index.ts': `export const DASHBOARDS = [{ id: 1 }];` });
    await assert.rejects(loadProjectExpectations(root), /k8s-dashboards\/index\.ts DASHBOARDS: expected an array of \{ uid: string, title: string \}/);
  });

  test('the real catalogues of this repository load', async () => {
    const expect = await loadProjectExpectations();
    for (const list of [expect.alertNames, expect.ruleGroupNames, expect.dashboards]) assert.ok(list === undefined || list.length > 0);
  });
});
