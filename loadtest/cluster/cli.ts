/**
 * `make load PROFILE=light [PARALLELISM=N] [BASE_URL=...] [HOLD=...] [TEST_ID=...] [KUBE_CONTEXT=...]`
 * Runs in the project's cluster like every cluster target: the kind cluster's context, or the
 * simulated cluster's with CLUSTER=sim; `--context` (KUBE_CONTEXT) names another context of the
 * default kubeconfig explicitly. The context used is printed first. Exit code (LAUNCH_EXIT): 0 passed, 99 thresholds
 * failed, 1 a Job failed, 3 logs unavailable (the Jobs finished but k6's summary could not be read
 * from their logs, so pass/fail is unknown), 130 interrupted (the Jobs are deleted), 2 the launch
 * itself failed.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { loadKubeConfig } from '../../kube-access/api-server.js';
import { clusterTarget } from '../../kube-access/target.js';
import { APP_NAMESPACE } from '../../project/constants.js';
import { PROFILE_NAMES, type ProfileName } from '../k6/profiles.js';
import { newTestId } from '../test-id.js';
import { apiErrorReason, kubeApi } from './job-api.js';
import { launch } from './launch.js';
import { DEFAULT_REMOTE_WRITE_URL, targetUrlIn } from './objects.js';
import { readK6Scripts } from './scripts.js';

interface CliOptions {
  profile: ProfileName;
  parallelism: number;
  namespace: string;
  baseUrl?: string;
  context?: string;
  remoteWriteUrl: string;
  testId?: string;
  hold?: string;
  rampDown?: string;
  image?: string;
}

const positiveInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number of at least 1');
  return n;
};

const program = new Command()
  .name('load')
  .description('run the k6 load test as Jobs in the project cluster (kind, or CLUSTER=sim)')
  .addOption(new Option('-p, --profile <name>', 'load profile').choices(PROFILE_NAMES).default('light'))
  .option('-n, --parallelism <n>', 'pods sharing the test (k6 execution segments)', positiveInt, 1)
  .option('--namespace <ns>', 'namespace of the Jobs', APP_NAMESPACE)
  .option('-u, --base-url <url>', `items-api base URL inside the cluster (default: ${targetUrlIn('<namespace>')})`)
  .option('--context <name>', 'a kubeconfig context other than the project cluster\'s (explicit override)')
  .option('--remote-write-url <url>', 'Prometheus remote-write endpoint', DEFAULT_REMOTE_WRITE_URL)
  .option('--test-id <id>', 'test id (the testid tag); default <profile>-<UTC time>')
  .option('--hold <duration>', 'how long each VU level is held (e.g. 30s, 2m)')
  .option('--ramp-down <duration>', 'ramp-down duration')
  .option('--image <image>', 'k6 image (default: the pinned grafana/k6)')
  .parse();

const opts = program.opts<CliOptions>();
const interrupt = new AbortController();
process.on('SIGINT', () => {
  if (interrupt.signal.aborted) process.exit(130);
  console.error('\nCtrl-C: deleting the k6 Jobs (press again to quit at once)');
  interrupt.abort();
});

try {
  const target = clusterTarget();
  const config = loadKubeConfig(opts.context ? { context: opts.context } : target);
  console.log(`cluster: context ${config.getCurrentContext()} (${config.getCurrentCluster()?.server ?? '?'})${opts.context ? ', chosen with --context' : ''}`);
  const result = await launch(
    {
      namespace: opts.namespace,
      profile: opts.profile,
      testId: opts.testId || newTestId(opts.profile),
      parallelism: opts.parallelism,
      targetBaseUrl: opts.baseUrl ?? targetUrlIn(opts.namespace),
      remoteWriteUrl: opts.remoteWriteUrl,
      durations: { HOLD: opts.hold, RAMP_DOWN: opts.rampDown },
      ...(opts.image ? { image: opts.image } : {}),
      scripts: readK6Scripts(),
    },
    { kube: kubeApi(config), out: (text) => process.stdout.write(text), signal: interrupt.signal },
  );
  process.exitCode = result.exitCode;
} catch (error) {
  console.error(`load: ${apiErrorReason(error)}`);
  process.exitCode = 2;
}
