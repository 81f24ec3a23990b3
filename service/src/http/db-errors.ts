import knexPkg from 'knex';
import { PoolAcquireError, StatementUnansweredError } from '../db/pool.js';

/**
 * PostgreSQL SQLSTATE classes and Node socket errors that mean "the database is not there right
 * now" rather than "this request is wrong": answered with 503 so clients and alerts tell them apart.
 */
const UNAVAILABLE_SQLSTATE_PREFIXES = ['08', '53', '57P'] as const;
const UNAVAILABLE_SQLSTATES = new Set(['57014']); // statement_timeout / query canceled
const UNAVAILABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH']);
// `Query read timeout`: pg's own client-side query_timeout, which knex's connections (migrations)
// still use; the request path has the pool's backstop instead (StatementUnansweredError).
const UNAVAILABLE_MESSAGES = [/Connection terminated/i, /timeout exceeded when trying to connect/i, /Client has encountered a connection error/i, /Query read timeout/i];

export function isDatabaseUnavailable(err: unknown): boolean {
  if (err instanceof PoolAcquireError || err instanceof StatementUnansweredError || err instanceof knexPkg.KnexTimeoutError) return true;
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (UNAVAILABLE_NODE_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code)) return true;
    if (UNAVAILABLE_SQLSTATE_PREFIXES.some((prefix) => code.startsWith(prefix))) return true;
  }
  return UNAVAILABLE_MESSAGES.some((re) => re.test(err.message));
}
