/**
 * startLocalStack's directory step failing: a log dir whose parent is a regular file (mkdir fails
 * with ENOTDIR). The temp data dir the start created is removed again, a given data dir never is,
 * and the error is one line naming the directory and the cause. Nothing starts (the binaries are
 * only checked to exist, so none is needed), and the temp dir is looked for only in a private
 * TMPDIR, where nothing else creates one.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startLocalStack, type LocalStackOptions } from '../local-stack.js';

let scratch: string;
/** A log dir that cannot be created: its parent is a regular file. */
let logDir: string;

before(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'localstack-dirs-'));
  const file = path.join(scratch, 'a-file');
  await writeFile(file, '');
  logDir = path.join(file, 'logs');
});
after(() => rm(scratch, { recursive: true, force: true }));

/** Options that get past planning (any existing file passes as a binary) and fail at the log dir. */
const failingAtLogDir = (): LocalStackOptions => ({
  logDir,
  ruleFiles: [],
  binaries: { prometheus: process.execPath, alertmanager: process.execPath },
  warn: () => undefined,
});

/** startLocalStack's rejection, with `os.tmpdir()` (it reads TMPDIR on each call) pointed at `dir` meanwhile. */
async function failedStart(options: LocalStackOptions, dir: string): Promise<Error> {
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  try {
    return await startLocalStack(options).then(
      async (stack) => {
        await stack.stop();
        return assert.fail('the stack started');
      },
      (error: unknown) => error as Error,
    );
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  }
}

test('a log dir that cannot be created: the temp data dir the start made is removed again', async () => {
  const privateTmp = await mkdtemp(path.join(scratch, 'tmp-'));
  await failedStart(failingAtLogDir(), privateTmp);
  assert.deepEqual(await readdir(privateTmp), [], `a temp data dir was left in ${privateTmp}`);
});

test('that failure is one error line naming the log dir and the cause', async () => {
  const error = await failedStart(failingAtLogDir(), await mkdtemp(path.join(scratch, 'tmp-')));
  assert.equal(error.message, `cannot create the log directory ${logDir}: ENOTDIR: not a directory`);
  assert.equal((error.cause as NodeJS.ErrnoException | undefined)?.code, 'ENOTDIR');
});

test('a data dir the caller gave is kept when the directory step fails', async () => {
  const dataDir = path.join(scratch, 'given-data');
  await mkdir(dataDir);
  await writeFile(path.join(dataDir, 'keep-me'), 'x');
  const error = await failedStart({ ...failingAtLogDir(), dataDir }, await mkdtemp(path.join(scratch, 'tmp-')));
  assert.match(error.message, /^cannot create the log directory /);
  assert.ok(existsSync(path.join(dataDir, 'keep-me')), 'the given data dir and its content are still there');
});
