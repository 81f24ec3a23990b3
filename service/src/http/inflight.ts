import type { Middleware } from 'koa';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Counts requests whose handler is still running. A closed socket does not stop a handler that
 * awaits the database, so shutdown waits for this count, not only for connections, before it
 * closes the pool under them.
 */
export class InflightRequests {
  private count = 0;

  get size(): number {
    return this.count;
  }

  middleware(): Middleware {
    return async (_ctx, next) => {
      this.count++;
      try {
        await next();
      } finally {
        this.count--;
      }
    };
  }

  /** Resolves true once no handler runs, false if `timeoutMs` passed first. */
  async settled(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.count > 0) {
      if (Date.now() >= deadline) return false;
      await sleep(20);
    }
    return true;
  }
}
