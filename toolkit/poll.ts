/** Bounded waits: ask again every interval until an answer comes or the time is up. */
import { setTimeout as sleep } from 'node:timers/promises';

/** How long a wait lasts unless told otherwise. */
export const DEFAULT_WAIT_MS = 30_000;

export interface WaitOptions {
  /** @default DEFAULT_WAIT_MS */
  readonly timeoutMs?: number;
  /** @default 500 */
  readonly intervalMs?: number;
  /** What is awaited, for the timeout message; default: what the wait names (an expression, an alert). */
  readonly description?: string;
}

/**
 * Calls `attempt` every `intervalMs` until it yields a value or `timeoutMs` passes; bounded in time
 * and in count. Errors thrown by `attempt` end the poll.
 */
export async function poll<T>(opts: Pick<WaitOptions, 'timeoutMs' | 'intervalMs'>, attempt: () => Promise<T | undefined>): Promise<T | undefined> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_WAIT_MS;
  const intervalMs = opts.intervalMs ?? 500;
  const deadline = Date.now() + timeoutMs;
  const maxAttempts = Math.ceil(timeoutMs / intervalMs) + 1;
  for (let i = 0; i < maxAttempts; i++) {
    const value = await attempt();
    if (value !== undefined) return value;
    if (Date.now() >= deadline) break;
    await sleep(Math.min(intervalMs, Math.max(0, deadline - Date.now())));
  }
  return undefined;
}

/** The error of a wait that ran out: `timed out after <ms> ms waiting for <what>`. */
export const waitTimedOut = (opts: Pick<WaitOptions, 'timeoutMs'>, what: string): Error =>
  new Error(`timed out after ${opts.timeoutMs ?? DEFAULT_WAIT_MS} ms waiting for ${what}`);
