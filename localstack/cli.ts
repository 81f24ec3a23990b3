/**
 * The local stack from the command line (`make local-up`, `local-down`, `local-status`):
 *   up      start it in the background and print where everything is (optionally with fresh
 *           Prometheus data and steady API traffic)
 *   down    stop everything `up` started
 *   status  running or not, URLs, each component's health
 *   run     start it in the foreground (what `up` runs detached); Ctrl-C stops it
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import path from 'node:path';
import { MissingBinaryError } from './binaries.js';
import { DEFAULT_STATE_DIR, down, LOCAL_UP_PORTS, PORT_SETTINGS, run, status, StackCommandError, up, type StackCommandOptions } from './control.js';
import { durationMs } from './durations.js';
import { PortInUseError } from './local-stack.js';
import { STEADY_TRAFFIC, trafficDurationMs, trafficRate } from './steady-traffic.js';

const port = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new InvalidArgumentError('must be a port number 1-65535');
  return n;
};
/** commander's argument parser from a checker that throws one clear line. */
const checked =
  <T>(check: (value: string) => T) =>
  (value: string): T => {
    try {
      return check(value);
    } catch (error) {
      throw new InvalidArgumentError((error as Error).message);
    }
  };
/** A checker that keeps the text as written (the supervisor gets it as an argument again). */
const keepText =
  (check: (value: string) => unknown) =>
  (value: string): string => {
    check(value);
    return value;
  };
const duration = checked(keepText((value) => durationMs(value)));
const rate = checked(trafficRate);
const trafficDuration = checked(keepText(trafficDurationMs));

interface CliOptions {
  stateDir: string;
  apiPort: number;
  metricsPort: number;
  prometheusPort: number;
  alertmanagerPort: number;
  postgresPort?: number;
  faults: boolean;
  fresh: boolean;
  traffic: boolean;
  trafficRate?: number;
  trafficDuration?: string;
  scrapeInterval?: string;
  evaluationInterval?: string;
}

const stateDirOption = () => new Option('--state-dir <dir>', 'pid files, logs and data').default(DEFAULT_STATE_DIR, '.local/stack');

/** Options of `up` and `run`. */
function withStackOptions(command: Command): Command {
  return command
    .addOption(stateDirOption())
    .addOption(new Option(`${PORT_SETTINGS.api.flag} <port>`, 'API port').argParser(port).default(LOCAL_UP_PORTS.api))
    .addOption(new Option(`${PORT_SETTINGS.metrics.flag} <port>`, 'metrics port').argParser(port).default(LOCAL_UP_PORTS.metrics))
    .addOption(new Option(`${PORT_SETTINGS.prometheus.flag} <port>`, 'Prometheus port').argParser(port).default(LOCAL_UP_PORTS.prometheus))
    .addOption(new Option(`${PORT_SETTINGS.alertmanager.flag} <port>`, 'Alertmanager port').argParser(port).default(LOCAL_UP_PORTS.alertmanager))
    .addOption(new Option(`${PORT_SETTINGS.postgres.flag} <port>`, 'PostgreSQL port (default: a free one)').argParser(port))
    .addOption(new Option('--faults', 'enable fault injection (PUT /faults on the metrics port)').default(false))
    .addOption(new Option('--fresh', "start with empty Prometheus and Alertmanager data (PostgreSQL's items are kept)").default(false))
    .addOption(new Option('--traffic', `send steady API traffic (default ${STEADY_TRAFFIC.defaultRatePerSecond}/s for ${STEADY_TRAFFIC.defaultDuration})`).default(false))
    .addOption(new Option('--traffic-rate <per-second>', `requests per second, at most ${STEADY_TRAFFIC.maxRatePerSecond} (implies --traffic)`).argParser(rate))
    .addOption(new Option('--traffic-duration <duration>', `how long, at most ${STEADY_TRAFFIC.maxDuration} (implies --traffic)`).argParser(trafficDuration))
    .addOption(new Option('--scrape-interval <duration>', 'scrape interval (default: the ServiceMonitor\'s)').argParser(duration))
    .addOption(new Option('--evaluation-interval <duration>', 'rule evaluation interval (default: the cluster\'s)').argParser(duration));
}

const toStackOptions = (o: CliOptions): StackCommandOptions => ({
  stateDir: path.resolve(o.stateDir),
  ports: { api: o.apiPort, metrics: o.metricsPort, prometheus: o.prometheusPort, alertmanager: o.alertmanagerPort, postgres: o.postgresPort },
  faults: o.faults,
  fresh: o.fresh,
  traffic:
    o.traffic || o.trafficRate !== undefined || o.trafficDuration !== undefined
      ? { ratePerSecond: o.trafficRate ?? STEADY_TRAFFIC.defaultRatePerSecond, duration: o.trafficDuration ?? STEADY_TRAFFIC.defaultDuration }
      : undefined,
  scrapeInterval: o.scrapeInterval,
  evaluationInterval: o.evaluationInterval,
});

const program = new Command('local-stack').description('items-api + PostgreSQL + Prometheus + Alertmanager on this machine');
withStackOptions(program.command('up').description('start the local stack in the background')).action(async (o: CliOptions) => {
  await up(toStackOptions(o));
});
withStackOptions(program.command('run').description('start the local stack in the foreground (Ctrl-C stops it)')).action(async (o: CliOptions) => {
  await run(toStackOptions(o));
});
program
  .command('down')
  .description('stop everything `up` started')
  .addOption(stateDirOption())
  .action(async (o: { stateDir: string }) => {
    await down({ stateDir: path.resolve(o.stateDir) });
  });
program
  .command('status')
  .description('is it running; URLs; health of each component (exit 3 when not running)')
  .addOption(stateDirOption())
  .action(async (o: { stateDir: string }) => {
    if (!(await status({ stateDir: path.resolve(o.stateDir) }))) process.exitCode = 3;
  });

/**
 * Errors the user can act on print as one message: ours, and plain Errors (a component that failed
 * to start, with its log). Anything else (TypeError…) is a bug and keeps its stack trace.
 */
const EXPECTED = [StackCommandError, MissingBinaryError, PortInUseError];

try {
  await program.parseAsync();
} catch (error) {
  const expected = EXPECTED.some((kind) => error instanceof kind) || (error instanceof Error && error.constructor === Error);
  console.error(`local stack: ${expected ? (error as Error).message : ((error as Error).stack ?? String(error))}`);
  process.exit(1);
}
