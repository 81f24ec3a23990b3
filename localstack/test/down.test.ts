import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'node:test';
import { down, processCommand, stopSupervised } from '../control.js';

const exited = (child: ChildProcess) => (child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => child.once('exit', () => resolve())));

async function commandOf(pid: number): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const command = processCommand(pid);
    if (command?.includes('setInterval')) return command;
    await sleep(20);
  }
  throw new Error(`process ${pid} did not start`);
}

test('down stops what the stack recorded even when the supervisor removed state.json on a stop that failed part-way', async () => {
  const stateDir = await mkdtemp(path.join(os.tmpdir(), 'stack-down-'));
  const stateFile = path.join(stateDir, 'state.json');
  // A process the stack recorded that outlives its supervisor's stop.
  const leftover = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  // Test double for the supervisor: a real stop that fails part-way cannot be provoked here. It has
  // the supervisor's command line, and on SIGTERM it does what the supervisor does on its way out
  // whether or not its stop succeeded: removes state.json and exits.
  const supervisor = spawn(
    process.execPath,
    ['-e', `process.on('SIGTERM', () => { require('node:fs').rmSync(${JSON.stringify(stateFile)}, { force: true }); process.exit(0); }); console.log('ready'); setInterval(() => {}, 1000);`, path.join('localstack', 'cli.ts'), 'run'],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  // Its SIGTERM handler is in place once it says so.
  const ready = new Promise<void>((resolve) => supervisor.stdout?.once('data', () => resolve()));
  try {
    const command = await commandOf(leftover.pid as number);
    await ready;
    await writeFile(path.join(stateDir, 'stack.pid'), `${supervisor.pid}\n`);
    await writeFile(stateFile, JSON.stringify({ processes: [{ component: 'items-api', pid: leftover.pid, command }] }));

    const lines: string[] = [];
    await down({ stateDir }, (line) => lines.push(line));

    await exited(supervisor);
    assert.equal(processCommand(leftover.pid as number), undefined, `the recorded process still runs; down printed:\n${lines.join('\n')}`);
    assert.match(lines.join('\n'), /stopping 1 process\(es\) left by a previous run: items-api \(\d+\)/);
  } finally {
    leftover.kill('SIGKILL');
    supervisor.kill('SIGKILL');
    await Promise.all([exited(leftover), exited(supervisor)]);
    await rm(stateDir, { recursive: true, force: true });
  }
});

describe('stopSupervised: the supervisor on its way out', () => {
  async function supervisorFiles(): Promise<{ stateDir: string; stateFile: string; pidFile: string }> {
    const stateDir = await mkdtemp(path.join(os.tmpdir(), 'stack-stop-'));
    const files = { stateDir, stateFile: path.join(stateDir, 'state.json'), pidFile: path.join(stateDir, 'stack.pid') };
    await writeFile(files.stateFile, '{"processes":[]}');
    await writeFile(files.pidFile, `${process.pid}\n`);
    return files;
  }

  test('a part that fails to stop keeps state.json for down, and the parts after it are still stopped', async () => {
    const { stateDir, stateFile, pidFile } = await supervisorFiles();
    try {
      let stackStopped = false;
      const lines: string[] = [];
      const failing = { stop: () => Promise.reject(new AggregateError([new Error('prometheus did not exit')], 'local stack: 1 step(s) of stopping failed')) };
      await stopSupervised(stateDir, [failing, { stop: async () => void (stackStopped = true) }], (line) => lines.push(line));
      assert.ok(existsSync(stateFile), `state.json removed; printed:\n${lines.join('\n')}`);
      assert.ok(!existsSync(pidFile), 'its pid file goes: the supervisor is gone');
      assert.ok(stackStopped, 'the next part was still stopped');
      assert.match(lines.join('\n'), /stop failed: local stack: 1 step\(s\) of stopping failed: prometheus did not exit/);
      assert.match(lines.join('\n'), /kept .*state\.json: run .* to stop what is left/);
    } finally {
      await rm(stateDir, { recursive: true, force: true });
    }
  });

  test('a clean stop removes state.json and the pid file', async () => {
    const { stateDir, stateFile, pidFile } = await supervisorFiles();
    try {
      await stopSupervised(stateDir, [undefined, { stop: async () => undefined }], () => undefined);
      assert.ok(!existsSync(stateFile) && !existsSync(pidFile));
    } finally {
      await rm(stateDir, { recursive: true, force: true });
    }
  });
});
