import { pino, type Logger } from 'pino';
import type { Config } from '../config/config.js';
import { isoTimestamp } from './timestamp.js';

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

/** Bytes of log lines gathered before one write: about 20 access-log lines. */
const WRITE_BATCH_BYTES = 4096;
/** Gathered lines are written at least this often, so a quiet service's lines are not held back. */
export const FLUSH_INTERVAL_MS = 250;
/** Beyond this much unwritten output (stdout stalled), new lines are dropped instead of piling up in memory. */
const MAX_UNWRITTEN_BYTES = 16 * 1024 * 1024;

/**
 * JSON logs on stdout; `msg`, `level` and `time` plus request fields.
 *
 * Destination: asynchronous and batched (pino's SonicBoom). Lines are gathered up to
 * WRITE_BATCH_BYTES, or for at most FLUSH_INTERVAL_MS, and written in one system call off the
 * event loop. One write per access-log line cost more than the rest of the logging together: a
 * thread-pool round trip per request. Every exit through `process.exit` or the end of the event
 * loop flushes synchronously first (pino registers that hook), so shutdown and fatal start-up
 * errors lose nothing. What a SIGKILL or an OOM kill can lose is the last batch: at most 4 KiB,
 * a quarter of a second of lines. `sync: true` would close that gap at the cost of a blocking
 * write per line, and a stalled stdout (a slow log collector) would then stall every request;
 * here it stalls only logging, and past MAX_UNWRITTEN_BYTES lines are dropped rather than
 * growing the heap until the container is killed.
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
    destination ??
      pino.destination({ dest: 1, sync: false, minLength: WRITE_BATCH_BYTES, periodicFlush: FLUSH_INTERVAL_MS, maxLength: MAX_UNWRITTEN_BYTES }),
  );
}
