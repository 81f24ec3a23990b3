/**
 * The local stack from the command line (`make local-up`, `local-down`, `local-status`):
 *   up      start it in the background and print where everything is
 *   down    stop everything `up` started
 *   status  running or not, URLs, each component's health
 *   run     start it in the foreground (what `up` runs detached); Ctrl-C stops it
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import path from 'node:path';
import { MissingBinaryError } from './binaries.js';
import { DEFAULT_STATE_DIR, down, LOCAL_UP_PORTS, run, status, StackCommandError, up, type StackCommandOptions } from './control.js';
import { durationMs } from './durations.js';
import { PortInUseError } from './stack.js';

const port = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new InvalidArgumentError('must be a port number 1-65535');
  return n;
};
const duration = (value: string): string => {
  try {
    durationMs(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
  return value;
};

interface CliOptions {
  stateDir: string;
  apiPort: number;
  metricsPort: number;
  prometheusPort: number;
  alertmanagerPort: number;
  postgresPort?: number;
  faults: boolean;
  scrapeInterval?: string;
  evaluationInterval?: string;
}

const stateDirOption = () => new Option('--state-dir <dir>', 'pid files, logs and data').default(DEFAULT_STATE_DIR, '.local/stack');

/** Options of `up` and `run`. */
function withStackOptions(command: Command): Command {
  return command
    .addOption(stateDirOption())
    .addOption(new Option('--api-port <port>', 'API port').argParser(port).default(LOCAL_UP_PORTS.api))
    .addOption(new Option('--metrics-port <port>', 'metrics port').argParser(port).default(LOCAL_UP_PORTS.metrics))
    .addOption(new Option('--prometheus-port <port>', 'Prometheus port').argParser(port).default(LOCAL_UP_PORTS.prometheus))
    .addOption(new Option('--alertmanager-port <port>', 'Alertmanager port').argParser(port).default(LOCAL_UP_PORTS.alertmanager))
    .addOption(new Option('--postgres-port <port>', 'PostgreSQL port (default: a free one)').argParser(port))
    .addOption(new Option('--faults', 'enable fault injection (PUT /faults on the metrics port)').default(false))
    .addOption(new Option('--scrape-interval <duration>', 'scrape interval (default: the ServiceMonitor\'s)').argParser(duration))
    .addOption(new Option('--evaluation-interval <duration>', 'rule evaluation interval (default: the cluster\'s)').argParser(duration));
}

const toStackOptions = (o: CliOptions): StackCommandOptions => ({
  stateDir: path.resolve(o.stateDir),
  ports: { api: o.apiPort, metrics: o.metricsPort, prometheus: o.prometheusPort, alertmanager: o.alertmanagerPort, postgres: o.postgresPort },
  faults: o.faults,
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
