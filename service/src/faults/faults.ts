import { setTimeout as sleep } from 'node:timers/promises';
import type { Knex } from 'knex';
import type { Middleware } from 'koa';
import { z } from 'zod';
import type { Faults } from '../config/config.js';
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

interface QueryingClient {
  _query: (connection: unknown, query: unknown) => Promise<unknown>;
}

/**
 * Makes every query slower while it holds its pooled connection, as a slow database would. knex
 * has no public hook inside the connection's lifetime, so this wraps the client's `_query`.
 */
export function injectDatabaseDelay(db: Knex, state: FaultState): void {
  const client = db.client as unknown as QueryingClient;
  const original = client._query.bind(client);
  client._query = async (connection, query) => {
    if (state.dbDelayMs > 0) await sleep(state.dbDelayMs);
    return original(connection, query);
  };
}
