import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

export interface ToolRun {
  /** Exit code: 0 when the tool succeeded. */
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs an external tool (promtool, helm, kubeconform) to completion. A non-zero exit is an
 * outcome the caller asserts on; a timeout or a binary that cannot start throws.
 */
export async function runTool(
  binary: string,
  args: readonly string[],
  timeoutMs: number,
  options: { readonly cwd?: string; readonly env?: NodeJS.ProcessEnv } = {},
): Promise<ToolRun> {
  try {
    // Generous buffer: `promtool test rules` and `helm template` print a lot.
    const { stdout, stderr } = await promisify(execFile)(binary, [...args], { ...options, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number | string; stdout?: string; stderr?: string; killed?: boolean };
    const name = `${path.basename(binary)} ${args.join(' ')}`;
    if (e.killed) throw new Error(`${name} timed out after ${timeoutMs} ms`);
    if (typeof e.code !== 'number') throw error;
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}
