/**
 * `make load-local PROFILE=smoke [BASE_URL=...] [PROMETHEUS_URL=...] [HOLD=...] [TEST_ID=...]`
 * Exit code: 0 when every threshold held, k6's code otherwise (99: thresholds failed).
 */
import { Command, Option } from 'commander';
import { LOCAL_PORTS } from '../../project/constants.js';
import { PROFILE_NAMES, type ProfileName } from '../k6/profiles.js';
import { newTestId } from '../test-id.js';
import { runLocal } from './runner.js';

interface CliOptions {
  profile: ProfileName;
  baseUrl: string;
  prometheusUrl: string;
  remoteWrite: boolean;
  testId?: string;
  resultsDir?: string;
  hold?: string;
  rampDown?: string;
}

const program = new Command()
  .name('load-local')
  .description('run the k6 load test against a local items-api')
  .addOption(new Option('-p, --profile <name>', 'load profile').choices(PROFILE_NAMES).default('smoke'))
  .option('-u, --base-url <url>', 'items-api base URL', `http://127.0.0.1:${LOCAL_PORTS.api}`)
  .option('--prometheus-url <url>', 'Prometheus to remote-write k6 metrics to, when it is ready', `http://127.0.0.1:${LOCAL_PORTS.prometheus}`)
  .option('--no-remote-write', 'never remote-write, even when Prometheus is up')
  .option('--test-id <id>', 'test id (the testid tag); default <profile>-<UTC time>')
  .option('--results-dir <dir>', 'folder for <test id>/summary.json, digest.json, report.html (default results/)')
  .option('--hold <duration>', 'how long each VU level is held (e.g. 30s, 2m)')
  .option('--ramp-down <duration>', 'ramp-down duration')
  .parse();

const opts = program.opts<CliOptions>();
const abort = new AbortController();
process.on('SIGINT', () => {
  console.error('\nstopping k6 (it still writes its summary)...');
  abort.abort();
});

try {
  const result = await runLocal(
    {
      profile: opts.profile,
      baseUrl: opts.baseUrl,
      prometheusUrl: opts.remoteWrite ? opts.prometheusUrl : null,
      testId: opts.testId || newTestId(opts.profile),
      ...(opts.resultsDir ? { resultsRoot: opts.resultsDir } : {}),
      durations: { HOLD: opts.hold, RAMP_DOWN: opts.rampDown },
    },
    { signal: abort.signal },
  );
  process.exitCode = result.exitCode;
} catch (error) {
  console.error(`load-local: ${(error as Error).message}`);
  process.exitCode = 2;
}
