/**
 * Where the PostgreSQL password comes from. No password ships with the repository: `make synth`
 * first runs `make db-password`, which writes a random one once to `.local/kind/postgres-password`
 * (git-ignored, mode 600). Keep it as long as the cluster's volume: PostgreSQL takes the password
 * only when it initialises an empty data directory. `ITEMS_POSTGRES_PASSWORD` overrides the file.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Repository-relative path of the generated password file (mk/cdk8s.mk writes it). */
export const POSTGRES_PASSWORD_FILE = '.local/kind/postgres-password';
export const POSTGRES_PASSWORD_ENV = 'ITEMS_POSTGRES_PASSWORD';

/**
 * Characters allowed in the password: URL-unreserved, so `$(DATABASE_PASSWORD)` can be expanded
 * into `DATABASE_URL` without escaping. base64url output (what `make db-password` writes) fits.
 */
const PASSWORD_PATTERN = /^[A-Za-z0-9._~-]{16,128}$/;

export class PasswordError extends Error {
  override name = 'PasswordError';
}

/** Throws unless the password is 16-128 URL-safe characters. */
export function checkPostgresPassword(password: string, source: string): string {
  if (!PASSWORD_PATTERN.test(password)) {
    throw new PasswordError(
      `the PostgreSQL password from ${source} must be 16-128 characters of A-Z a-z 0-9 . _ ~ - (it is placed in a URL); ` +
        `delete ${POSTGRES_PASSWORD_FILE} and run \`make db-password\` for a fresh one`,
    );
  }
  return password;
}

export interface PasswordSourceOptions {
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Repository root the file path is relative to. */
  readonly root: string;
}

/** The password from `ITEMS_POSTGRES_PASSWORD`, else from the generated file; a clear error when neither exists. */
export function readPostgresPassword(options: PasswordSourceOptions): string {
  const env = options.env ?? process.env;
  const fromEnv = env[POSTGRES_PASSWORD_ENV];
  if (fromEnv) return checkPostgresPassword(fromEnv, POSTGRES_PASSWORD_ENV);
  const file = path.join(options.root, POSTGRES_PASSWORD_FILE);
  let content: string;
  try {
    content = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    throw new PasswordError(
      `no PostgreSQL password: run \`make db-password\` (writes ${POSTGRES_PASSWORD_FILE} once; \`make synth\` does it for you) ` +
        `or set ${POSTGRES_PASSWORD_ENV}. The repository ships no default password.`,
    );
  }
  return checkPostgresPassword(content.trim(), POSTGRES_PASSWORD_FILE);
}
