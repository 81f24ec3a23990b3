import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';

const CONTROL = path.resolve(import.meta.dirname, '../control.ts');

/**
 * `up` and `down` decide from processCommand whether the supervisor and its processes still run.
 * With `ps` missing it used to answer "not running" for every pid, so `up` deleted a running
 * stack's state files. Here it runs in a process whose PATH finds nothing.
 */
test('processCommand sees a live process and a gone one without ps on PATH', () => {
  const script = `
    import { processCommand } from ${JSON.stringify(CONTROL)};
    console.log(JSON.stringify({ self: processCommand(process.pid) ?? null, gone: processCommand(2 ** 22 + 12345) ?? null }));`;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: path.resolve(import.meta.dirname, '../..'),
    env: { ...process.env, PATH: '' },
    encoding: 'utf8',
  });
  const { self, gone } = JSON.parse(out) as { self: string | null; gone: string | null };
  assert.ok(self?.includes('--input-type=module'), `its own command line, got ${JSON.stringify(self)}`);
  assert.equal(gone, null, 'a pid above the kernel maximum is no process');
});
