import { ConfigError, loadConfig } from './config/config.js';
import { createKnex } from './db/knex.js';
import { migrateLatest } from './db/migrations/index.js';
import { createLogger } from './logging/logger.js';

/** Init-container entry: apply pending migrations against DATABASE_URL, then exit. */
async function migrate(): Promise<number> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  if (!config.databaseUrl) {
    log.fatal('DATABASE_URL is required to run migrations');
    return 1;
  }
  const db = createKnex(config.databaseUrl, config.db, log);
  try {
    const applied = await migrateLatest(db);
    log.info({ applied }, applied.length ? 'migrations applied' : 'schema already current');
    return 0;
  } finally {
    await db.destroy();
  }
}

migrate().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`items-api migrate: ${err instanceof ConfigError ? err.message : String(err)}`);
    process.exit(1);
  },
);
