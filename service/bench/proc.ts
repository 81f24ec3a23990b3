/** CPU time and memory of processes, read from /proc (Linux). */
import { readFileSync } from 'node:fs';

/** Kernel clock ticks per second (`getconf CLK_TCK`); 100 on every Linux this runs on. */
const TICKS_PER_SECOND = 100;

interface Stat {
  /** utime + stime, µs. */
  own: number;
  /** cutime + cstime: children that exited and were waited for, µs. */
  reaped: number;
}

function stat(pid: number): Stat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Fields after the command name, which may itself contain spaces and parentheses.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const us = (i: number) => (Number(fields[i]) / TICKS_PER_SECOND) * 1e6;
  return { own: us(11) + us(12), reaped: us(13) + us(14) };
}

/** CPU µs used so far by one process. */
export function processCpuUs(pid: number): number {
  return stat(pid)?.own ?? 0;
}

/** Direct children of a process. */
export function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/**
 * CPU µs used so far by a server and all its workers, for PostgreSQL: the postmaster, its live
 * backends, and (through the postmaster's reaped time) the backends that already exited.
 */
export function processTreeCpuUs(pid: number): number {
  const root = stat(pid);
  if (!root) return 0;
  return root.own + root.reaped + childrenOf(pid).reduce((sum, child) => sum + (stat(child)?.own ?? 0), 0);
}

/** Busy CPU µs of the whole machine so far (every core; idle and iowait left out). */
export function machineBusyUs(): number {
  const [cpu] = readFileSync('/proc/stat', 'utf8').split('\n');
  const [, user, nice, system, , , irq, softirq, steal] = (cpu ?? '').trim().split(/\s+/).map(Number);
  return (((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / TICKS_PER_SECOND) * 1e6;
}

/** Resident set size now and its peak over the process' life (VmHWM), MB. */
export function memoryMb(pid: number): { rss: number; peak: number } {
  let status = '';
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return { rss: 0, peak: 0 };
  }
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}
