import { setTimeout as sleep } from 'node:timers/promises';
import type { Middleware } from 'koa';
import { z } from 'zod';
import type { Faults } from '../config/config.js';
import type { DbPool } from '../db/pool.js';
import type { AppState } from '../http/context.js';
import { HttpProblem } from '../http/problem.js';

/**
 * Fault injection for demonstrations and alert tests. Only wired in when FAULT_INJECTION=true;
 * in the default configuration none of this code runs and `/faults` does not exist.
 */
export class FaultState implements Faults {
  errorRate = 0;
  latencyMs = 0;
  dbDelayMs = 0;

  constructor(
    initial: Faults,
    private readonly random: () => number = Math.random,
  ) {
    this.set(initial);
  }

  set(next: Partial<Faults>): void {
    Object.assign(this, next);
  }

  snapshot(): Faults {
    return { errorRate: this.errorRate, latencyMs: this.latencyMs, dbDelayMs: this.dbDelayMs };
  }

  shouldFail(): boolean {
    return this.errorRate > 0 && this.random() < this.errorRate;
  }
}

export const faultsUpdateSchema = z
  .object({
    errorRate: z.number().min(0).max(1).optional(),
    latencyMs: z.number().int().min(0).max(60_000).optional(),
    dbDelayMs: z.number().int().min(0).max(60_000).optional(),
  })
  .strict();

/** Adds latency and/or a 500 to a request. Mounted on the items routes only: probes and docs never see it. */
export function faultMiddleware(state: FaultState): Middleware<AppState> {
  return async (_ctx, next) => {
    if (state.latencyMs > 0) await sleep(state.latencyMs);
    if (state.shouldFail()) throw new HttpProblem('injectedFault', 'Fault injection answered this request with an error.');
    return next();
  };
}

/**
 * Makes every query slower while it holds its pooled connection, as a slow database would: the
 * delay runs inside the query's timing and while the connection counts as used.
 */
export function injectDatabaseDelay(pool: DbPool, state: FaultState): void {
  pool.queryDelay = async () => {
    if (state.dbDelayMs > 0) await sleep(state.dbDelayMs);
  };
}
