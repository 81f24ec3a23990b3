import type { Middleware } from 'koa';
import { accessLogWriter } from '../logging/access-log.js';
import type { Logger } from '../logging/logger.js';
import type { AppState } from './context.js';
import { respondWithProblem, unmatchedRoute } from './error-handler.js';
import { methodLabel, routeLabel, type HttpMetrics } from './http-metrics.js';
import type { InflightRequests } from './inflight.js';
import { REQUEST_ID_HEADER, requestIdFor } from './request-id.js';

export interface RequestMiddlewareDeps {
  logger: Logger;
  inflight: InflightRequests;
  /** Absent: no instrumentation (the benchmark's uninstrumented mode). */
  metrics: HttpMetrics | undefined;
  /** True once shutdown began: responses then ask keep-alive clients to reconnect elsewhere. */
  isShuttingDown: () => boolean;
}

/**
 * Everything that wraps each request, in one middleware (one async frame instead of five):
 * 1. counts it as in flight (shutdown waits for the count; the gauge reads it);
 * 2. while draining, `Connection: close`;
 * 3. binds the request id and echoes it in `X-Request-Id`;
 * 4. turns whatever was thrown, and a request no route matched, into problem+json;
 * 5. records RED metrics with the final status, and writes the access-log line.
 */
export function requestMiddleware({ logger, inflight, metrics, isShuttingDown }: RequestMiddlewareDeps): Middleware<AppState> {
  const accessLog = accessLogWriter(logger);
  return async (ctx, next) => {
    const started = performance.now();
    const method = methodLabel(ctx.method);
    inflight.begin(method);
    if (isShuttingDown()) ctx.set('Connection', 'close');
    const requestId = requestIdFor(ctx.get(REQUEST_ID_HEADER));
    ctx.state.requestId = requestId;
    ctx.set(REQUEST_ID_HEADER, requestId);
    try {
      await next();
      const unmatched = unmatchedRoute(ctx);
      if (unmatched) throw unmatched;
    } catch (err) {
      respondWithProblem(ctx, err, logger);
    } finally {
      inflight.end(method);
      const ms = performance.now() - started;
      metrics?.record(method, routeLabel(ctx), ctx.status, ms / 1000);
      accessLog({ reqId: requestId, method: ctx.method, path: ctx.path, status: ctx.status, durationMs: Math.round(ms * 100) / 100 });
    }
  };
}
