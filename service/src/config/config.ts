import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { z } from 'zod';
import { CONTAINER_PORTS } from '../../../project/constants.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const int = (min: number, max: number, fallback: number) =>
  z.coerce
    .number({ error: 'must be a number' })
    .int({ error: 'must be an integer' })
    .min(min, { error: `must be >= ${min}` })
    .max(max, { error: `must be <= ${max}` })
    .default(fallback);

const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1');

/** Every environment variable the service reads; `.env.example` lists the same names. */
const envSchema = z
  .object({
    HOST: z.string().min(1).default('0.0.0.0'),
    // 0 lets the OS pick a free port (tests).
    PORT: int(0, 65535, CONTAINER_PORTS.api),
    METRICS_PORT: int(0, 65535, CONTAINER_PORTS.metrics),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, { error: 'must be a postgres:// URL' })
      .optional(),
    DB_POOL_MIN: int(0, 100, 0),
    DB_POOL_MAX: int(1, 200, 10),
    DB_ACQUIRE_TIMEOUT_MS: int(50, 60_000, 2_000),
    DB_CONNECT_TIMEOUT_MS: int(50, 60_000, 2_000),
    DB_STATEMENT_TIMEOUT_MS: int(50, 600_000, 5_000),
    DB_CHECK_INTERVAL_MS: int(100, 60_000, 2_000),
    MIGRATE_ON_START: bool(true),
    EMBEDDED_PG_DIR: z.string().min(1).default('.local/postgres'),
    EMBEDDED_PG_PORT: int(1, 65535, 54329),
    BODY_LIMIT_BYTES: int(256, 10 * 1024 * 1024, 16 * 1024),
    SHUTDOWN_DELAY_MS: int(0, 120_000, 0),
    SHUTDOWN_TIMEOUT_MS: int(100, 120_000, 10_000),
    LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
    METRICS_ENABLED: bool(true),
    GIT_REVISION: z.string().min(1).default('unknown'),
    FAULT_INJECTION: bool(false),
    FAULT_ERROR_RATE: z.coerce.number({ error: 'must be a number' }).min(0, { error: 'must be >= 0' }).max(1, { error: 'must be <= 1' }).default(0),
    FAULT_LATENCY_MS: int(0, 60_000, 0),
    FAULT_DB_DELAY_MS: int(0, 60_000, 0),
  })
  .superRefine((env, ctx) => {
    if (env.PORT !== 0 && env.PORT === env.METRICS_PORT) {
      ctx.addIssue({ code: 'custom', path: ['METRICS_PORT'], message: 'must differ from PORT' });
    }
    if (env.DB_POOL_MIN > env.DB_POOL_MAX) {
      ctx.addIssue({ code: 'custom', path: ['DB_POOL_MIN'], message: 'must be <= DB_POOL_MAX' });
    }
    const faultsSet = env.FAULT_ERROR_RATE > 0 || env.FAULT_LATENCY_MS > 0 || env.FAULT_DB_DELAY_MS > 0;
    if (faultsSet && !env.FAULT_INJECTION) {
      ctx.addIssue({ code: 'custom', path: ['FAULT_INJECTION'], message: 'must be true when a FAULT_* value is set' });
    }
  });

type Env = z.infer<typeof envSchema>;

export interface Faults {
  /** Share of API requests answered with an injected 500, 0..1. */
  errorRate: number;
  /** Delay added before every API request, in ms. */
  latencyMs: number;
  /** Delay added inside every database query (connection held), in ms. */
  dbDelayMs: number;
}

export interface Config {
  host: string;
  port: number;
  metricsPort: number;
  /** Absent: start the embedded PostgreSQL (development only). */
  databaseUrl: string | undefined;
  db: {
    poolMin: number;
    poolMax: number;
    acquireTimeoutMs: number;
    connectTimeoutMs: number;
    statementTimeoutMs: number;
    checkIntervalMs: number;
  };
  migrateOnStart: boolean;
  embeddedPostgres: { dir: string; port: number };
  bodyLimitBytes: number;
  shutdown: { delayMs: number; timeoutMs: number };
  logLevel: Env['LOG_LEVEL'];
  metricsEnabled: boolean;
  revision: string;
  /** Present only when FAULT_INJECTION=true: then the metrics port also serves `/faults`. */
  faults: Faults | undefined;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** The optional file of settings `main.ts` reads from its working directory (the format of `.env.example`). */
export const ENV_FILE = '.env';

/**
 * The environment, plus the variables of an optional env file that the environment does not set:
 * a variable set in the real environment always wins over the file. A missing file adds nothing;
 * Node's own parser reads it, so it means what `node --env-file` would make of it.
 */
export function withEnvFile(env: NodeJS.ProcessEnv, file: string): NodeJS.ProcessEnv {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return env;
    throw new ConfigError(`cannot read ${file} (${(err as Error).message}): make it a readable file of KEY=value lines, or remove it`);
  }
  return { ...parseEnv(text), ...env };
}

/** Reads and checks the environment; the error message is one line naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const relevant = Object.fromEntries(
    Object.keys(envSchema.shape).flatMap((key) => {
      const value = env[key];
      return value === undefined || value === '' ? [] : [[key, value]];
    }),
  );
  const parsed = envSchema.safeParse(relevant);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const key = issue.path.join('.');
      const got = key in relevant ? ` (got ${JSON.stringify(relevant[key])})` : '';
      return `${key} ${issue.message}${got}`;
    });
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  return toConfig(parsed.data);
}

function toConfig(env: Env): Config {
  return {
    host: env.HOST,
    port: env.PORT,
    metricsPort: env.METRICS_PORT,
    databaseUrl: env.DATABASE_URL,
    db: {
      poolMin: env.DB_POOL_MIN,
      poolMax: env.DB_POOL_MAX,
      acquireTimeoutMs: env.DB_ACQUIRE_TIMEOUT_MS,
      connectTimeoutMs: env.DB_CONNECT_TIMEOUT_MS,
      statementTimeoutMs: env.DB_STATEMENT_TIMEOUT_MS,
      checkIntervalMs: env.DB_CHECK_INTERVAL_MS,
    },
    migrateOnStart: env.MIGRATE_ON_START,
    embeddedPostgres: { dir: env.EMBEDDED_PG_DIR, port: env.EMBEDDED_PG_PORT },
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    shutdown: { delayMs: env.SHUTDOWN_DELAY_MS, timeoutMs: env.SHUTDOWN_TIMEOUT_MS },
    logLevel: env.LOG_LEVEL,
    metricsEnabled: env.METRICS_ENABLED,
    revision: env.GIT_REVISION,
    faults: env.FAULT_INJECTION
      ? { errorRate: env.FAULT_ERROR_RATE, latencyMs: env.FAULT_LATENCY_MS, dbDelayMs: env.FAULT_DB_DELAY_MS }
      : undefined,
  };
}
