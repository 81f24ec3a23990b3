import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import Koa, { type Middleware } from 'koa';
import type { Config } from './config/config.js';
import type { FaultState } from './faults/faults.js';
import { faultMiddleware } from './faults/faults.js';
import { healthRouter, type HealthDeps } from './health/routes.js';
import type { AppState } from './http/context.js';
import { HttpMetrics } from './http/http-metrics.js';
import { InflightRequests } from './http/inflight.js';
import { HttpProblem } from './http/problem.js';
import { requestMiddleware } from './http/request.js';
import type { ItemsRepository } from './items/repository.js';
import { itemsRouter } from './items/routes.js';
import type { Logger } from './logging/logger.js';
import type { Metrics } from './metrics/metrics.js';
import { docsRouter } from './openapi/routes.js';

export interface AppDeps {
  config: Pick<Config, 'bodyLimitBytes'>;
  items: ItemsRepository;
  logger: Logger;
  /** Absent: no instrumentation at all (the benchmark's baseline). */
  metrics: Metrics | undefined;
  health: HealthDeps;
  /** Present only when fault injection is enabled. */
  faults: FaultState | undefined;
  /** Lets shutdown wait for running handlers; optional for apps that are never drained. */
  inflight?: InflightRequests;
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/**
 * JSON bodies, parsed only for the methods that carry one. Other content types would reach
 * validation as `{}` and get a confusing message, so they are refused with 415 first.
 */
function jsonBody(limitBytes: number): Middleware<AppState> {
  const parse = bodyParser({ enableTypes: ['json'], jsonLimit: limitBytes, encoding: 'utf-8' });
  return (ctx, next) => {
    if (!BODY_METHODS.has(ctx.method)) return next();
    if (!ctx.is('application/json')) throw new HttpProblem('unsupportedMediaType', 'Send the body as application/json.');
    return parse(ctx, next);
  };
}

/**
 * Builds the public API from its dependencies. No listening, no globals: tests drive
 * `app.callback()` and build as many apps as they like.
 */
export function createApp(deps: AppDeps): Koa<AppState> {
  const app = new Koa<AppState>({ proxy: false });
  app.silent = true; // errors are logged by the request middleware with the request id, not by koa
  const inflight = deps.inflight ?? new InflightRequests();
  app.use(
    requestMiddleware({
      logger: deps.logger,
      inflight,
      metrics: deps.metrics && new HttpMetrics(deps.metrics, inflight),
      isShuttingDown: deps.health.isShuttingDown,
    }),
  );
  app.use(jsonBody(deps.config.bodyLimitBytes));
  // 405/501 (with Allow) for a path some router knows under other methods; reads what every
  // router matched. Not thrown: the request middleware turns them into problems (unmatchedRoute).
  app.use(new Router<AppState>().allowedMethods());
  // Each router mounted on the app itself, the busiest first: a request passes through one
  // router's dispatch, not through a root router and then a nested one.
  const items = itemsRouter({ items: deps.items, counters: deps.metrics, faults: deps.faults && faultMiddleware(deps.faults) });
  for (const router of [items, healthRouter(deps.health), docsRouter()]) app.use(router.routes());
  return app;
}
