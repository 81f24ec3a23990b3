import type { Logger } from '../logging/logger.js';
import type { AppContext } from './context.js';
import { isDatabaseUnavailable } from './db-errors.js';
import { HttpProblem, PROBLEM_CONTENT_TYPE, type ProblemType } from './problem.js';

interface KoaHttpError {
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
  message: string;
}

/** http-errors raised by koa or a package, mapped onto our problem types by status (the JSON body reader throws HttpProblems itself). */
const STATUS_TO_PROBLEM: Record<number, ProblemType> = {
  400: 'malformedJson',
  404: 'notFound',
  405: 'methodNotAllowed',
  413: 'payloadTooLarge',
  415: 'unsupportedMediaType',
};

const RETRY_AFTER_SECONDS = '1';

/** Turns any thrown error into an RFC 9457 problem; 5xx details stay out of it. */
export function toProblem(err: unknown): HttpProblem {
  if (err instanceof HttpProblem) return err;
  if (isDatabaseUnavailable(err)) {
    return new HttpProblem('databaseUnavailable', 'The database is not reachable right now; retry shortly.', undefined, {
      'Retry-After': RETRY_AFTER_SECONDS,
    });
  }
  const httpErr = err as KoaHttpError;
  const status = httpErr.status ?? httpErr.statusCode;
  const mapped = status === undefined ? undefined : STATUS_TO_PROBLEM[status];
  if (mapped && status !== undefined && status < 500) {
    const detail = mapped === 'payloadTooLarge' ? 'The request body exceeds the size limit.' : httpErr.message;
    return new HttpProblem(mapped, detail);
  }
  return new HttpProblem('internal', 'An unexpected error occurred; it has been logged.');
}

/**
 * A request no route answered: koa's default 404 (no route matches), or the router's 405 / 501
 * (the path exists under other methods; 501 is its answer to a method no router implements, such
 * as TRACE). A client's request never earns a 5xx, so both become 405 with the `Allow` header the
 * router set (RFC 9110), or 404 when no route has the path at all. The router's 501 for an
 * unknown path also sets an empty `Allow`; respondWithProblem drops it.
 */
export function unmatchedRoute(ctx: AppContext): HttpProblem | undefined {
  if (ctx.body !== undefined) return undefined;
  const allow = ctx.response.get('Allow');
  if ((ctx.status === 405 || ctx.status === 501) && allow) {
    return new HttpProblem('methodNotAllowed', `${ctx.method} is not allowed on ${ctx.path}; allowed: ${allow}.`, undefined, { Allow: allow });
  }
  if (ctx.status === 404 || ctx.status === 501) return new HttpProblem('notFound', `No route matches ${ctx.method} ${ctx.path}.`);
  return undefined;
}

/**
 * Answers with the problem for `err`; a 5xx is logged with its details, which never reach the client.
 * An `Allow` already on the response (the router's) is removed: a 405 problem carries its own,
 * and on any other problem it would be a claim about the resource the problem does not make (an
 * empty one, as the router's 501 on an unknown path leaves, says it allows no method; RFC 9110 §10.2.1).
 */
export function respondWithProblem(ctx: AppContext, err: unknown, log: Logger): void {
  const problem = toProblem(err);
  if (problem.status >= 500) log.error({ reqId: ctx.state.requestId, err }, 'request failed');
  ctx.status = problem.status;
  ctx.remove('Allow');
  for (const [name, value] of Object.entries(problem.headers)) ctx.set(name, value);
  ctx.body = problem.toBody(ctx.path, ctx.state.requestId);
  ctx.type = PROBLEM_CONTENT_TYPE;
}
