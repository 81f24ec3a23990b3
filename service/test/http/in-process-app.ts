/**
 * The public API app (`createApp`) driven through `app.callback()` with light-my-request: no
 * port, no socket, no database, so each request takes about a millisecond. Every collaborator is
 * real except the repository, a test double (support/items-repository-double.ts): prom-client
 * metrics on the test's own Registry, the pino logger writing into memory, the request
 * middleware, routers, body parser and error handler as in production.
 */
import inject from 'light-my-request';
import type { InjectOptions, Response } from 'light-my-request';
import { Registry } from 'prom-client';
import { createApp } from '../../src/app.js';
import type { FaultState } from '../../src/faults/faults.js';
import type { DbHealthState } from '../../src/health/db-health.js';
import { createLogger } from '../../src/logging/logger.js';
import { createMetrics, type Metrics } from '../../src/metrics/metrics.js';
import { itemsRepositoryDouble, type ItemsRepositoryDouble } from '../support/items-repository-double.js';

export interface InProcessOptions {
  /** BODY_LIMIT_BYTES. @default 1024 */
  readonly bodyLimitBytes?: number;
  /** Fault injection as FAULT_INJECTION=true wires it. @default none (off) */
  readonly faults?: FaultState;
}

/** One pino line as written, parsed. */
export interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly reqId?: string;
  readonly err?: { readonly message: string; readonly stack?: string };
  readonly [field: string]: unknown;
}

export interface RequestOptions {
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent as given (no JSON encoding): a string, bytes, or a stream (sent without Content-Length). */
  readonly body?: string | Buffer | NodeJS.ReadableStream;
}

export interface InProcessApp {
  /** `method url` through the app's callback, answered in memory. */
  request(method: string, url: string, options?: RequestOptions): Promise<Response>;
  readonly repository: ItemsRepositoryDouble;
  readonly registry: Registry;
  readonly metrics: Metrics;
  readonly logs: readonly LogLine[];
  /** What the readiness probe and `Connection: close` read. */
  shuttingDown: boolean;
}

export const BODY_LIMIT_BYTES = 1024;

export function inProcessApp(options: InProcessOptions = {}): InProcessApp {
  const registry = new Registry();
  const metrics = createMetrics(registry, { version: 'test', revision: 'test' });
  const logs: LogLine[] = [];
  const logger = createLogger('info', { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) });
  const repository = itemsRepositoryDouble();
  const dbState: DbHealthState = { reachable: true, migrationsCurrent: true, checkedAt: undefined, lastError: undefined };
  const state: InProcessApp = {
    repository,
    registry,
    metrics,
    logs,
    shuttingDown: false,
    request(method, url, { headers = {}, body } = {}) {
      // light-my-request accepts every method of http.METHODS at run time; its types list only the common ones.
      const injectOptions: InjectOptions = { method: method as InjectOptions['method'], url, headers: { ...headers }, ...(body === undefined ? {} : { payload: body }) };
      return inject(callback, injectOptions);
    },
  };
  const app = createApp({
    config: { bodyLimitBytes: options.bodyLimitBytes ?? BODY_LIMIT_BYTES },
    items: repository,
    logger,
    metrics,
    health: { dbState: () => dbState, isShuttingDown: () => state.shuttingDown },
    faults: options.faults,
  });
  const callback = app.callback();
  return state;
}

/** The RFC 9457 body every refusal carries. */
export interface ProblemJson {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance?: string;
  readonly requestId?: string;
  readonly errors?: ReadonlyArray<{ readonly field: string; readonly message: string }>;
}

export const JSON_HEADERS = { 'content-type': 'application/json' } as const;
