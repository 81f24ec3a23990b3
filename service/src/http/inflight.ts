import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Counts requests whose handler is still running, per method label. A closed socket does not stop
 * a handler that awaits the database, so shutdown waits for this count, not only for connections,
 * before it closes the pool under them; `http_requests_in_flight` reads it at scrape time.
 */
export class InflightRequests {
  private count = 0;
  private readonly perMethod = new Map<string, number>();

  get size(): number {
    return this.count;
  }

  begin(method: string): void {
    this.count++;
    this.perMethod.set(method, (this.perMethod.get(method) ?? 0) + 1);
  }

  end(method: string): void {
    this.count--;
    this.perMethod.set(method, (this.perMethod.get(method) ?? 1) - 1);
  }

  /** Running requests by method label; a method seen once stays listed (at 0 when idle). */
  byMethod(): ReadonlyMap<string, number> {
    return this.perMethod;
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
