import { ConfigError, ENV_FILE, loadConfig, withEnvFile } from './config/config.js';
import { createLogger } from './logging/logger.js';
import { startService } from './service.js';

/** Process entry: config, logger, service, signals. Everything else is in modules tests import. */
async function main(): Promise<void> {
  let config;
  try {
    // `.env` beside `.env.example` (git-ignored) holds a developer's settings; the real environment wins.
    config = loadConfig(withEnvFile(process.env, ENV_FILE));
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`items-api: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  const service = await startService(config, log).catch((err: unknown) => {
    log.fatal({ err }, 'startup failed');
    process.exit(1);
  });
  const onSignal = (signal: NodeJS.Signals) => {
    service.shutdown(signal).then(
      (drained) => process.exit(drained ? 0 : 1),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}

void main();
