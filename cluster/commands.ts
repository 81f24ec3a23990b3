/**
 * Running the external tools (docker, kind, kubectl, helm): each command line is echoed the way
 * make echoes recipes, stdin carries anything secret (never argv, which `ps` shows), and a failure
 * becomes one error naming the command.
 */
import { spawn } from 'node:child_process';

export interface RunOptions {
  /** Written to the command's stdin. Never echoed: it may hold a Secret. */
  readonly input?: string;
  /** Capture stdout (and stderr) instead of passing them through to the terminal. */
  readonly capture?: boolean;
  /** Resolve with the exit code instead of throwing when it is not 0. */
  readonly allowFailure?: boolean;
  /** Do not echo the command line (polling loops). */
  readonly quiet?: boolean;
  /** Variables added to this process' environment for the command. */
  readonly env?: Readonly<Record<string, string>>;
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs one external command; the steps of `make kind-up` take it as a dependency. */
export type Run = (command: string, args: readonly string[], options?: RunOptions) => Promise<RunResult>;

export class CommandError extends Error {
  constructor(
    readonly commandLine: string,
    readonly code: number,
    readonly stderr: string,
  ) {
    const tail = stderr.trim().split('\n').slice(-5).join('\n');
    super(`\`${commandLine}\` failed (exit ${code})${tail ? `:\n${tail}` : ''}`);
    this.name = 'CommandError';
  }
}

const quoteArg = (arg: string): string => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`);

export const commandLine = (command: string, args: readonly string[]): string => [command, ...args].map(quoteArg).join(' ');

/** The real runner: child processes in this process' environment and working directory. */
export function createRunner(log: (line: string) => void = (line) => console.log(line)): Run {
  return (command, args, options = {}) => {
    const line = commandLine(command, args);
    if (!options.quiet) log(`$ ${line}`);
    return new Promise((resolve, reject) => {
      const child = spawn(command, args, {
        ...(options.env ? { env: { ...process.env, ...options.env } } : {}),
        stdio: [options.input === undefined ? 'ignore' : 'pipe', options.capture ? 'pipe' : 'inherit', options.capture ? 'pipe' : 'inherit'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      child.on('error', (error: NodeJS.ErrnoException) => {
        reject(error.code === 'ENOENT' ? new CommandError(line, 127, `${command}: not found on PATH`) : error);
      });
      child.on('close', (code, signal) => {
        const exit = code ?? 128;
        if (exit !== 0 && !options.allowFailure) {
          reject(new CommandError(line, exit, signal ? `${stderr}\nkilled by ${signal}` : stderr));
          return;
        }
        resolve({ code: exit, stdout, stderr });
      });
      if (options.input !== undefined) child.stdin?.end(options.input);
    });
  };
}
