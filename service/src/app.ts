import Router from '@koa/router';
import Koa from 'koa';
import type { Config } from './config/config.js';
import type { FaultState } from './faults/faults.js';
import { faultMiddleware } from './faults/faults.js';
import { healthRouter, type HealthDeps } from './health/routes.js';
import type { AppState } from './http/context.js';
import { HttpMetrics } from './http/http-metrics.js';
import { InflightRequests } from './http/inflight.js';
import { jsonBody } from './http/json-body.js';
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
  // 405/501 (with Allow) for a path some router knows under other methods; reads what every
  // router matched. Not thrown: the request middleware turns them into problems (unmatchedRoute).
  app.use(new Router<AppState>().allowedMethods());
  // Each router mounted on the app itself, the busiest first: a request passes through one
  // router's dispatch, not through a root router and then a nested one.
  const items = itemsRouter({
    items: deps.items,
    counters: deps.metrics,
    faults: deps.faults && faultMiddleware(deps.faults),
    body: jsonBody(deps.config.bodyLimitBytes),
  });
  for (const router of [items, healthRouter(deps.health), docsRouter()]) app.use(router.routes());
  return app;
}
