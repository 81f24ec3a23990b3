import { bodyParser } from '@koa/bodyparser';
import type { Middleware } from 'koa';
import type { AppState } from './context.js';
import { HttpProblem } from './problem.js';

/**
 * The JSON body of a route that takes one. Mounted on each such route, after the router matched
 * it, so that a refused body (400, 413, 415) keeps the route's label in the metrics, and a method
 * the path does not support is answered 405 before any body is read. Other content types would
 * reach validation as `{}` and get a confusing message, so they are refused with 415 first.
 */
export function jsonBody(limitBytes: number): Middleware<AppState> {
  const parse = bodyParser({ enableTypes: ['json'], jsonLimit: limitBytes, encoding: 'utf-8' });
  return (ctx, next) => {
    if (!ctx.is('application/json')) throw new HttpProblem('unsupportedMediaType', 'Send the body as application/json.');
    return parse(ctx, next);
  };
}
