import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * True while `pid` is a live process. A zombie counts as gone: where PID 1 does not reap (some
 * containers), an exited orphan lingers as one.
 */
export function isAlive(pid: number): boolean {
  try {
    const stat = execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return stat !== '' && !stat.startsWith('Z');
  } catch {
    return false;
  }
}

/** Waits until none of `pids` is alive; resolves those still alive after `timeoutMs` (none on success). */
export async function waitForExit(pids: readonly number[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; i < timeoutMs / 100 + 1; i++) {
    const alive = pids.filter(isAlive);
    if (alive.length === 0 || Date.now() >= deadline) return alive;
    await sleep(100);
  }
  return pids.filter(isAlive);
}

/** Command lines of live processes mentioning `text` (to find strays by their data dir). */
export function processesMentioning(text: string): string[] {
  const all = execFileSync('ps', ['-eo', 'stat=,args='], { encoding: 'utf8' }).split('\n');
  return all.filter((line) => line.includes(text) && !line.trim().startsWith('Z')).map((line) => line.trim());
}
