import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { REPOSITORY_URL } from '../project/constants.js';
import { allGeneratedFiles, ROOT } from './generated-files.js';

const DEFINED_IN = 'project/constants.ts';

test('REPOSITORY_URL is written out only where it is defined and in generated files, so a fork changes one line', async () => {
  // Tracked and new files, without the git-ignored ones (node_modules, build output, local data).
  const { stdout } = await promisify(execFile)('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
  const generated = new Set((await allGeneratedFiles()).map((file) => file.path));
  const copies: string[] = [];
  for (const file of stdout.split('\0').filter(Boolean)) {
    if (file === DEFINED_IN || generated.has(file)) continue;
    // A file deleted in the work tree but still in the index has nothing to read.
    const text = await readFile(path.join(ROOT, file), 'utf8').catch(() => '');
    if (text.includes(REPOSITORY_URL)) copies.push(file);
  }
  assert.deepEqual(copies, [], `import REPOSITORY_URL (or a URL built from it) from ${DEFINED_IN} instead`);
});
