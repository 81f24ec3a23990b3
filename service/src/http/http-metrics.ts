import type { Middleware } from 'koa';
import { UNMATCHED_ROUTE } from '../metrics/catalog.js';
import type { Metrics } from '../metrics/metrics.js';
import type { AppState } from './context.js';

/** Methods kept as label values; anything else (e.g. PROPFIND from a scanner) shares `OTHER`. */
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

const methodLabel = (method: string) => (KNOWN_METHODS.has(method) ? method : 'OTHER');

/** @koa/router records the matched template here; unmatched requests leave it undefined. */
interface RoutedContext {
  _matchedRoute?: string | RegExp;
}

/**
 * RED metrics per request. Labels come from the router template, never the raw path, so unknown
 * or hostile URLs add no series.
 */
export function httpMetrics(metrics: Pick<Metrics, 'httpRequestsTotal' | 'httpRequestDuration' | 'httpRequestsInFlight'>): Middleware<AppState> {
  return async (ctx, next) => {
    const method = methodLabel(ctx.method);
    const started = process.hrtime.bigint();
    metrics.httpRequestsInFlight.inc({ method });
    try {
      await next();
    } finally {
      metrics.httpRequestsInFlight.dec({ method });
      const matched = (ctx as unknown as RoutedContext)._matchedRoute;
      const labels = {
        method,
        route: typeof matched === 'string' ? matched : UNMATCHED_ROUTE,
        status_code: String(ctx.status),
      };
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.httpRequestsTotal.inc(labels);
      metrics.httpRequestDuration.observe(labels, seconds);
    }
  };
}
