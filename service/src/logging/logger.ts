import { pino, type Logger } from 'pino';
import type { Config } from '../config/config.js';

export type { Logger };

/** JSON logs on stdout; `msg`, `level` and `time` plus request fields bound per request. */
export function createLogger(level: Config['logLevel'], destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'items-api' },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Connection strings can carry passwords; never let them reach a log line.
      redact: { paths: ['databaseUrl', 'config.databaseUrl', 'err.config', '*.password'], censor: '[redacted]' },
    },
    destination,
  );
}
