import type { ParameterizedContext } from 'koa';

/** What the request middleware puts on `ctx.state` for the layers after it. */
export interface AppState {
  requestId: string;
}

export type AppContext = ParameterizedContext<AppState>;
