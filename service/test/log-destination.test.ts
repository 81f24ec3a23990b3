import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { FLUSH_INTERVAL_MS } from '../src/logging/logger.js';

const LOGGER = path.resolve(import.meta.dirname, '../src/logging/logger.ts');

/**
 * The real stdout destination, in a child process writing to a pipe: lines are batched, yet a
 * lone line reaches the reader within the flush interval, and `process.exit` loses nothing.
 */
test('stdout logging: a lone line arrives within the flush interval; every batched line is written before exit', async () => {
  const bulk = 2000;
  const script = `
    import { createLogger } from ${JSON.stringify(LOGGER)};
    const log = createLogger('info');
    log.info('lone line');
    process.stdin.once('data', () => {
      for (let i = 0; i < ${bulk}; i++) log.info({ i }, 'bulk line');
      process.exit(0);
    });`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  const started = performance.now();
  let loneAfterMs: number | undefined;
  let go = false;
  const sendGo = () => {
    if (!go) child.stdin.write('go\n');
    go = true;
  };
  // Bounded: without a timely flush the lone line would only come at exit, so go on anyway.
  const giveUp = setTimeout(sendGo, 15_000);
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    if (!go && loneAfterMs === undefined && out.includes('"msg":"lone line"')) {
      loneAfterMs = performance.now() - started;
      sendGo();
    }
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(giveUp);
  assert.equal(code, 0);
  assert.ok(loneAfterMs !== undefined, 'the lone line was written while the process ran, without waiting for a full batch or exit');
  const lines = out.trim().split('\n').map((l) => JSON.parse(l) as { msg: string; i?: number });
  const indexes = lines.filter((l) => l.msg === 'bulk line').map((l) => l.i);
  assert.deepEqual(indexes, Array.from({ length: bulk }, (_, i) => i), 'every line, in order, none lost at exit');
  // Start-up (tsx compiling) dominates; the bound only shows the line did not wait for exit.
  assert.ok(loneAfterMs < 10_000 + FLUSH_INTERVAL_MS, `lone line after ${loneAfterMs} ms`);
});
