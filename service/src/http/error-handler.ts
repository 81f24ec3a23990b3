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

/** Errors raised by koa and the body parser, mapped onto our problem types by status. */
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

/** A request that ended without a body and with koa's default 404 matched no route. */
export function unmatchedRoute(ctx: AppContext): HttpProblem | undefined {
  return ctx.status === 404 && ctx.body === undefined ? new HttpProblem('notFound', `No route matches ${ctx.method} ${ctx.path}.`) : undefined;
}

/** Answers with the problem for `err`; a 5xx is logged with its details, which never reach the client. */
export function respondWithProblem(ctx: AppContext, err: unknown, log: Logger): void {
  const problem = toProblem(err);
  if (problem.status >= 500) log.error({ reqId: ctx.state.requestId, err }, 'request failed');
  ctx.status = problem.status;
  for (const [name, value] of Object.entries(problem.headers)) ctx.set(name, value);
  ctx.body = problem.toBody(ctx.path, ctx.state.requestId);
  ctx.type = PROBLEM_CONTENT_TYPE;
}
