import type { ParameterizedContext } from 'koa';
import type { Logger } from '../logging/logger.js';

/** What the request-scoped middleware puts on `ctx.state` for the layers after it. */
export interface AppState {
  requestId: string;
  log: Logger;
}

export type AppContext = ParameterizedContext<AppState>;
