import { LABELS, UNMATCHED_ROUTE } from '../metrics/catalog.js';
import { collectOnScrape } from '../metrics/db-metrics.js';
import type { Metrics } from '../metrics/metrics.js';
import type { AppContext } from './context.js';
import type { InflightRequests } from './inflight.js';

/** Methods kept as label values; anything else (e.g. PROPFIND from a scanner) shares `OTHER`. */
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export const methodLabel = (method: string): string => (KNOWN_METHODS.has(method) ? method : 'OTHER');

/** @koa/router records the matched template here; unmatched requests leave it undefined. */
interface RoutedContext {
  _matchedRoute?: string | RegExp;
}

/** The route label: the router template, never the raw path, so unknown or hostile URLs add no series. */
export function routeLabel(ctx: AppContext): string {
  const matched = (ctx as unknown as RoutedContext)._matchedRoute;
  return typeof matched === 'string' ? matched : UNMATCHED_ROUTE;
}

interface Children {
  count: { inc(): void };
  duration: { observe(seconds: number): void };
}

type HttpMetricDeps = Pick<Metrics, 'httpRequestsTotal' | 'httpRequestDuration' | 'httpRequestsInFlight'>;

/**
 * RED metrics per request. The counter and histogram children of each label set are bound on
 * first use and reused (labels are bounded: methods × route templates × status codes); the
 * in-flight gauge is read from the request counts when Prometheus scrapes.
 */
export class HttpMetrics {
  private readonly children = new Map<string, Children>();

  constructor(
    private readonly metrics: HttpMetricDeps,
    inflight: InflightRequests,
  ) {
    collectOnScrape(metrics.httpRequestsInFlight, function () {
      for (const [method, running] of inflight.byMethod()) this.set({ [LABELS.method]: method }, running);
    });
  }

  record(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${status} ${route}`;
    let bound = this.children.get(key);
    if (!bound) {
      const labels = { [LABELS.method]: method, [LABELS.route]: route, [LABELS.statusCode]: String(status) };
      bound = { count: this.metrics.httpRequestsTotal.labels(labels), duration: this.metrics.httpRequestDuration.labels(labels) };
      this.children.set(key, bound);
    }
    bound.count.inc();
    bound.duration.observe(seconds);
  }
}
