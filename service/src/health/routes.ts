import Router, { type RouterMiddleware } from '@koa/router';
import type { AppState } from '../http/context.js';
import type { DbHealthState } from './db-health.js';

export interface HealthDeps {
  /** Latest background database check. */
  dbState: () => Readonly<DbHealthState>;
  /** True once SIGTERM arrived: readiness turns false so traffic drains away. */
  isShuttingDown: () => boolean;
}

/** `/livez` answers while the process runs; `/readyz` only when it can serve. `/health` is the old project's name. */
export function healthRouter(deps: HealthDeps): Router<AppState> {
  const router = new Router<AppState>();
  router.get('/livez', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  const readiness: RouterMiddleware<AppState> = (ctx) => {
    const db = deps.dbState();
    const checks = {
      database: db.reachable ? 'ok' : 'unreachable',
      migrations: db.migrationsCurrent ? 'ok' : 'pending',
      shutdown: deps.isShuttingDown() ? 'in progress' : 'no',
    };
    const ready = db.reachable && db.migrationsCurrent && !deps.isShuttingDown();
    ctx.status = ready ? 200 : 503;
    ctx.body = { status: ready ? 'ready' : 'not ready', checks, checkedAt: db.checkedAt?.toISOString() ?? null };
  };
  router.get('/readyz', readiness);
  router.get('/health', readiness);
  return router;
}
