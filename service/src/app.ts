import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import Koa, { type Middleware } from 'koa';
import type { Config } from './config/config.js';
import type { FaultState } from './faults/faults.js';
import { faultMiddleware } from './faults/faults.js';
import { healthRouter, type HealthDeps } from './health/routes.js';
import type { AppState } from './http/context.js';
import { errorHandler } from './http/error-handler.js';
import { httpMetrics } from './http/http-metrics.js';
import type { InflightRequests } from './http/inflight.js';
import { HttpProblem } from './http/problem.js';
import { requestContext } from './http/request-context.js';
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

/** Bodies must be JSON; other types would reach validation as `{}` and get a confusing message. */
const requireJson: Middleware<AppState> = async (ctx, next) => {
  if (BODY_METHODS.has(ctx.method) && !ctx.is('application/json')) {
    throw new HttpProblem('unsupportedMediaType', 'Send the body as application/json.');
  }
  return next();
};

/**
 * Builds the public API from its dependencies. No listening, no globals: tests drive
 * `app.callback()` and build as many apps as they like.
 */
export function createApp(deps: AppDeps): Koa<AppState> {
  const app = new Koa<AppState>({ proxy: false });
  app.silent = true; // errors are logged by errorHandler with the request id, not by koa
  const root = new Router<AppState>();
  for (const router of [healthRouter(deps.health), docsRouter(), itemsRouter({ items: deps.items, counters: deps.metrics, faults: deps.faults && faultMiddleware(deps.faults) })]) {
    root.use(router.routes());
  }

  // While draining, tell keep-alive clients to reconnect elsewhere after this response.
  const closeWhenDraining: Middleware<AppState> = (ctx, next) => {
    if (deps.health.isShuttingDown()) ctx.set('Connection', 'close');
    return next();
  };
  const chain: Array<Middleware<AppState> | undefined> = [
    deps.inflight?.middleware(),
    closeWhenDraining,
    requestContext(deps.logger),
    deps.metrics && httpMetrics(deps.metrics),
    errorHandler(),
    requireJson,
    bodyParser({ enableTypes: ['json'], jsonLimit: deps.config.bodyLimitBytes, encoding: 'utf-8' }),
  ];
  for (const middleware of chain) if (middleware) app.use(middleware);
  app.use(root.routes());
  app.use(root.allowedMethods({ throw: true }));
  return app;
}
