/**
 * The orphan guard with real processes: an owner process tracks a `sleep`, then dies; the sleep
 * must not outlive it, whether the owner exits normally or is killed with SIGKILL.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { isAlive, waitForExit } from './support/processes.js';

const GUARD = path.resolve(import.meta.dirname, '..', 'orphan-guard.ts');
let dir: string;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'localstack-guard-'));
});
after(() => rm(dir, { recursive: true, force: true }));

/**
 * Starts an owner that tracks a `sleep 300` and a temp dir, prints the sleep's pid, then does
 * `then` ('exit': exits normally a moment later; 'wait': stays until killed).
 */
async function startOwner(name: string, then: 'exit' | 'wait') {
  const tempDir = path.join(dir, `${name}-temp`);
  await mkdir(tempDir);
  const script = path.join(dir, `${name}.mts`);
  await writeFile(
    script,
    `import { spawn } from 'node:child_process';
import { OrphanGuard } from ${JSON.stringify(GUARD)};
const guard = new OrphanGuard(${JSON.stringify(path.join(dir, `${name}.pids`))}, ${JSON.stringify(tempDir)});
const sleeper = spawn('sleep', ['300'], { stdio: 'ignore' });
sleeper.unref();
guard.track(sleeper.pid);
console.log(sleeper.pid);
${then === 'exit' ? 'setTimeout(() => process.exit(0), 100);' : 'setInterval(() => undefined, 1000);'}
`,
  );
  const owner = spawn(process.execPath, ['--import', 'tsx', script], { cwd: path.resolve(import.meta.dirname, '..', '..'), stdio: ['ignore', 'pipe', 'inherit'] });
  const sleeperPid = await new Promise<number>((resolve, reject) => {
    owner.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
    owner.once('exit', (code) => reject(new Error(`owner exited with ${code} before reporting`)));
  });
  assert.ok(isAlive(sleeperPid), 'the tracked process runs while its owner does');
  return { owner, sleeperPid, tempDir };
}

test('when the owner exits normally, the tracked process is stopped', async () => {
  const { sleeperPid } = await startOwner('normal-exit', 'exit');
  assert.deepEqual(await waitForExit([sleeperPid], 5_000), []);
});

test('when the owner is killed with SIGKILL, the watchdog stops the tracked process and removes the temp dir', async () => {
  const { owner, sleeperPid, tempDir } = await startOwner('sigkill', 'wait');
  owner.kill('SIGKILL');
  assert.deepEqual(await waitForExit([sleeperPid], 5_000), [], 'stopped within the watchdog poll');
  for (let i = 0; i < 50 && existsSync(tempDir); i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(existsSync(tempDir), false);
});
