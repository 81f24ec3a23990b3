import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { allGeneratedFiles, ROOT } from './generated-files.js';

test('every committed generated file equals a fresh generation (run make generate on failure)', async () => {
  const files = await allGeneratedFiles();
  // Every area with committed output must be found, or the comparison below proves nothing.
  const areas = new Set(files.map((file) => file.path.split('/')[0]));
  for (const area of ['monitoring', 'k8s-dashboards', 'charts', 'docs']) assert.ok(areas.has(area), `no generated files found for ${area}/`);
  for (const file of files) {
    const committed = await readFile(path.join(ROOT, file.path), 'utf8').catch(() => '<missing>');
    assert.equal(committed, file.content, `${file.path} drifted from its source; run make generate`);
  }
});
