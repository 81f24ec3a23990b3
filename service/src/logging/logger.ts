import { pino, type Logger } from 'pino';
import type { Config } from '../config/config.js';

export type { Logger };

/**
 * Where a secret could appear in a logged object, listed path by path. A wildcard (`*.password`)
 * would make pino walk every key of every logged object; these are the shapes this service logs.
 */
export const REDACT_PATHS = [
  'password',
  'databaseUrl',
  'connectionString',
  'config.databaseUrl',
  'config.password',
  'connection.password',
  'connection.connectionString',
  'err.config',
] as const;

let cachedSecond = Number.NaN;
let cachedPrefix = '';

/**
 * Pino's `isoTime` output (`,"time":"2026-01-02T03:04:05.678Z"`) without a `Date` per line: the
 * part up to the second is formatted once per second, the milliseconds are appended.
 */
export function isoTimestamp(now: number = Date.now()): string {
  const second = Math.floor(now / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedPrefix = `,"time":"${new Date(second * 1000).toISOString().slice(0, 20)}`;
  }
  const ms = now - second * 1000;
  return `${cachedPrefix}${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}Z"`;
}

/**
 * JSON logs on stdout; `msg`, `level` and `time` plus request fields.
 *
 * Destination: asynchronous, and unbuffered beyond that (pino's SonicBoom with `minLength: 0`).
 * A line is handed to the kernel as soon as the previous write has finished; lines are only
 * joined while a write is in flight (under load about four per write, instead of one write
 * syscall per line on the event loop). Every exit through `process.exit` or the end of the event
 * loop flushes synchronously first (pino registers that hook), so shutdown and fatal start-up
 * errors lose nothing. What a SIGKILL or OOM kill can lose is the few lines queued behind the one
 * write in flight. `sync: true` would close that gap at the cost of a blocking write per line,
 * and a stalled stdout (a slow log collector) would then stall every request, not just logging.
 */
export function createLogger(level: Config['logLevel'], destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'items-api' },
      timestamp: isoTimestamp,
      // Connection strings can carry passwords; never let them reach a log line.
      redact: { paths: [...REDACT_PATHS], censor: '[redacted]' },
    },
    destination ?? pino.destination({ dest: 1, sync: false, minLength: 0 }),
  );
}
