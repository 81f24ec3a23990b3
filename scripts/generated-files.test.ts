import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { allGeneratedFiles, ROOT } from './generated-files.js';

test('every committed generated file equals a fresh generation (run make generate on failure)', async () => {
  const files = await allGeneratedFiles();
  for (const file of files) {
    const committed = await readFile(path.join(ROOT, file.path), 'utf8').catch(() => '<missing>');
    assert.equal(committed, file.content, `${file.path} drifted from its source; run make generate`);
  }
});
