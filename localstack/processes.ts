/**
 * Child processes of the local stack: spawned with their output in a log file (so a detached
 * stack keeps logging and a failed start can show why), awaited until ready, stopped with a
 * signal and a deadline.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** Set once the process has exited. */
  exit(): ProcessExit | undefined;
  /** Sends `signal` (default SIGTERM), then SIGKILL after `timeoutMs` (default 10 s); resolves on exit. */
  stop(opts?: { signal?: NodeJS.Signals; timeoutMs?: number }): Promise<ProcessExit>;
}

export interface StartProcessOptions {
  /** Short name for messages: `prometheus`, `items-api`. */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  /** The whole environment of the child (nothing is inherited implicitly). */
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** stdout and stderr are appended here. */
  readonly logFile: string;
}

/** Spawns a process; rejects with a clear message when it cannot be started at all. */
export async function startProcess(opts: StartProcessOptions): Promise<ManagedProcess> {
  const fd = openSync(opts.logFile, 'a');
  let child;
  try {
    child = spawn(opts.command, opts.args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', fd, fd] });
  } finally {
    closeSync(fd); // the child holds its own copy
  }
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (error) => reject(new Error(`cannot start ${opts.name} (${opts.command}): ${error.message}`)));
  });
  let exit: ProcessExit | undefined;
  const exited = new Promise<ProcessExit>((resolve) =>
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve(exit);
    }),
  );
  return {
    name: opts.name,
    pid: child.pid as number, // set: 'spawn' fired
    logFile: opts.logFile,
    exit: () => exit,
    async stop({ signal = 'SIGTERM', timeoutMs = 10_000 } = {}) {
      if (exit) return exit;
      child.kill(signal);
      const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      try {
        return await exited;
      } finally {
        clearTimeout(killer);
      }
    },
  };
}

/** The last `lines` lines of a log file (reads at most its last 64 KiB); '' when absent. */
export function logTail(file: string, lines = 30): string {
  try {
    const size = statSync(file).size;
    const fd = openSync(file, 'r');
    try {
      const length = Math.min(size, 64 * 1024);
      const buffer = Buffer.alloc(length);
      readSync(fd, buffer, 0, length, size - length);
      return buffer.toString('utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } finally {
      closeSync(fd);
    }
  } catch {
    return '';
  }
}

export interface ReadyOptions {
  /** What is awaited, e.g. `Prometheus /-/ready`. */
  readonly what: string;
  readonly timeoutMs: number;
  /** @default 200 */
  readonly intervalMs?: number;
}

/**
 * Polls `check` until it is true. Fails early when `proc` exits, and on timeout; both messages
 * carry the end of the process's log.
 */
export async function waitUntilReady(proc: ManagedProcess, check: () => Promise<boolean>, opts: ReadyOptions): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  const intervalMs = opts.intervalMs ?? 200;
  const maxAttempts = Math.ceil(opts.timeoutMs / intervalMs) + 1;
  for (let i = 0; i < maxAttempts && Date.now() < deadline; i++) {
    const exit = proc.exit();
    if (exit) throw new Error(`${proc.name} exited (${describeExit(exit)}) before ${opts.what}; last lines of ${proc.logFile}:\n${logTail(proc.logFile)}`);
    if (await check().catch(() => false)) return;
    await sleep(intervalMs);
  }
  throw new Error(`${opts.what} not reached within ${opts.timeoutMs} ms; last lines of ${proc.logFile}:\n${logTail(proc.logFile)}`);
}

export const describeExit = ({ code, signal }: ProcessExit): string => (signal ? `signal ${signal}` : `code ${code}`);

/** Resolves true when an HTTP GET of `url` answers 2xx. */
export const httpOk = (url: string) => (): Promise<boolean> =>
  fetch(url, { signal: AbortSignal.timeout(5_000) }).then(
    (res) => res.ok,
    () => false,
  );

/** Text of a file, or undefined when it does not exist. */
export function readIfExists(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
