/**
 * `make local-up` / `local-down` / `local-status`: the local stack as a background service of
 * this checkout. `up` checks what it can up front (already running, binaries, ports), then starts
 * a detached supervisor (`cli.ts run`) that owns the stack, and waits until it reports ready.
 * Everything lives in one state directory (default `.local/stack/`, git-ignored):
 *   stack.pid       the supervisor's pid
 *   state.json      written by the supervisor once the stack is ready: URLs, ports, processes
 *   supervisor.log  the supervisor's own output
 *   logs/           one log per component (and traffic.log with TRAFFIC=1)
 *   previous/       the run before: its supervisor.log and logs/ (one generation kept)
 *   data/           PostgreSQL, Prometheus and Alertmanager data, kept across runs (`--fresh` empties
 *                   Prometheus' and Alertmanager's, so no past incident shows in the alert windows)
 * `down` stops the supervisor (which stops its processes) and then makes sure every process
 * recorded in state.json is gone, signalling only those whose command line still matches.
 */
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SCRAPE, LOCAL_PORTS } from '../project/constants.js';
import { freePort } from '../toolkit/ports.js';
import { findTool } from '../toolkit/find-tool.js';
import { resolveBinary } from './binaries.js';
import { durationMs } from './durations.js';
import { logTail, readIfExists } from './processes.js';
import {
  COMPONENTS,
  DATA_SUBDIRS,
  ROOT,
  resolvePorts,
  resolveRuleFiles,
  startLocalStack,
  type Component,
  type LocalStack,
  type LocalStackPorts,
  type PortChoiceHint,
} from './local-stack.js';
import { startSteadyTraffic, type SteadyTraffic } from './steady-traffic.js';
import { describePages, detectAlertmanagerPages, detectPrometheusPages, type AlertmanagerPages, type PrometheusPages } from './web-pages.js';
import { errorMessage } from '../toolkit/error-message.js';

const CLI = path.join(ROOT, 'localstack', 'cli.ts');

export const DEFAULT_STATE_DIR = path.join(ROOT, '.local', 'stack');

/** Default ports of `make local-up`: the ones the docs and `make port-forward` use. PostgreSQL takes a free one. */
export const LOCAL_UP_PORTS: Omit<LocalStackPorts, 'postgres'> = {
  api: LOCAL_PORTS.api,
  metrics: LOCAL_PORTS.metrics,
  prometheus: LOCAL_PORTS.prometheus,
  alertmanager: LOCAL_PORTS.alertmanager,
};

/**
 * How each port is chosen: the make variable (`make local-up PROMETHEUS_PORT=9091`, passed on by
 * mk/local.mk) and the CLI option it becomes.
 */
export const PORT_SETTINGS: Readonly<Record<keyof LocalStackPorts, { readonly makeVariable: string; readonly flag: string }>> = {
  api: { makeVariable: 'API_PORT', flag: '--api-port' },
  metrics: { makeVariable: 'METRICS_PORT', flag: '--metrics-port' },
  prometheus: { makeVariable: 'PROMETHEUS_PORT', flag: '--prometheus-port' },
  alertmanager: { makeVariable: 'ALERTMANAGER_PORT', flag: '--alertmanager-port' },
  postgres: { makeVariable: 'POSTGRES_PORT', flag: '--postgres-port' },
};

export interface StackCommandOptions {
  readonly stateDir: string;
  readonly ports: Partial<LocalStackPorts>;
  readonly faults: boolean;
  /** Empty Prometheus' and Alertmanager's data before starting (PostgreSQL's items are kept). */
  readonly fresh?: boolean;
  /** Steady API traffic from the supervisor, at this rate for this long (a Prometheus duration). */
  readonly traffic?: { readonly ratePerSecond: number; readonly duration: string };
  readonly scrapeInterval?: string;
  readonly evaluationInterval?: string;
  /** How long `up` waits for the stack to be ready. @default 180_000 */
  readonly timeoutMs?: number;
}

interface RecordedProcess {
  readonly component: Component;
  readonly pid: number;
  /** `ps -o args=` when recorded: a pid whose command differs now is someone else's. */
  readonly command: string;
}

export interface StackState {
  readonly supervisorPid: number;
  readonly startedAt: string;
  readonly urls: { api: string; docs: string; metrics: string; prometheus: string; alertmanager: string };
  /** What the running builds serve (absent in a state written before this was recorded). */
  readonly pages?: { readonly prometheus: PrometheusPages; readonly alertmanager: AlertmanagerPages };
  /** Whether Prometheus' and Alertmanager's data was emptied at this start. */
  readonly fresh?: boolean;
  readonly traffic?: { readonly ratePerSecond: number; readonly until: string; readonly logFile: string };
  readonly ports: LocalStackPorts;
  readonly ruleFiles: readonly string[];
  readonly faultInjection: boolean;
  readonly dataDir: string;
  readonly logDir: string;
  readonly processes: readonly RecordedProcess[];
}

/** A problem the user can fix; printed as one message, exit code 1. */
export class StackCommandError extends Error {
  override name = 'StackCommandError';
}

const files = (stateDir: string) => ({
  pid: path.join(stateDir, 'stack.pid'),
  state: path.join(stateDir, 'state.json'),
  supervisorLog: path.join(stateDir, 'supervisor.log'),
  logs: path.join(stateDir, 'logs'),
  previous: path.join(stateDir, 'previous'),
  data: path.join(stateDir, 'data'),
});

const TRAFFIC_LOG = 'traffic.log';

/** The make targets use the default state dir: hints name them for it, and the CLI for any other. */
const isDefault = (stateDir: string) => path.resolve(stateDir) === DEFAULT_STATE_DIR;

/** Linux: command lines come from /proc, so nothing depends on `ps` being installed. */
const HAS_PROC = existsSync('/proc/self/cmdline');

/**
 * Command line of a live process, undefined when there is none with that pid. Wrong answers here
 * are dangerous: "not running" for a live supervisor made `up` delete its state files and leave
 * its processes orphaned, which is what happened when `ps` was not on PATH. So a machine where the
 * question cannot be asked at all is an error, not "not running".
 */
export function processCommand(pid: number): string | undefined {
  if (HAS_PROC) {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ') || undefined;
    } catch {
      return undefined;
    }
  }
  try {
    return execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new StackCommandError('cannot tell which processes are running: this system has no /proc and `ps` is not on PATH; install ps (procps) and run the command again');
    }
    return undefined;
  }
}

const isSupervisor = (pid: number) => {
  const command = processCommand(pid);
  return command !== undefined && command.includes(path.join('localstack', 'cli.ts')) && / run( |$)/.test(command);
};

/** The running supervisor's pid, or undefined (a stale pid file is ignored). */
function runningSupervisor(stateDir: string): number | undefined {
  const pid = Number(readIfExists(files(stateDir).pid)?.trim());
  return Number.isInteger(pid) && pid > 0 && isSupervisor(pid) ? pid : undefined;
}

export function readState(stateDir: string): StackState | undefined {
  const text = readIfExists(files(stateDir).state);
  return text ? (JSON.parse(text) as StackState) : undefined;
}

const display = (file: string) => {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith('..') ? file : relative;
};

/** What to type to stop it: the make target for the default state dir, the CLI otherwise. */
const stopHint = (stateDir: string) => (isDefault(stateDir) ? 'make local-down' : `node --import tsx ${display(CLI)} down --state-dir ${stateDir}`);

/** How to turn an option on at the next start: `make local-up FRESH=1` for the default state dir, `up --fresh` otherwise. */
const upOptionHint = (stateDir: string, makeVariable: string, flag: string) => (isDefault(stateDir) ? `\`make local-up ${makeVariable}=1\`` : `\`up ${flag}\``);

/**
 * The busy-port message's way out: the exact command with a free port for each taken one, as make
 * variables for the default state dir and as CLI options otherwise.
 */
export function portChoiceHint(stateDir: string, pickPort: () => Promise<number> = freePort): PortChoiceHint {
  return async (taken) => {
    const picked = await Promise.all(taken.map(async (key) => [key, await pickPort()] as const));
    const command = isDefault(stateDir)
      ? `make local-up ${picked.map(([key, port]) => `${PORT_SETTINGS[key].makeVariable}=${port}`).join(' ')}`
      : `node --import tsx ${display(CLI)} up --state-dir ${stateDir} ${picked.map(([key, port]) => `${PORT_SETTINGS[key].flag} ${port}`).join(' ')}`;
    return `start it on other ports, e.g.: ${command}`;
  };
}

export function describeState(state: StackState, stateDir: string): string[] {
  const monitoring = state.pages
    ? describePages(state.urls.prometheus, state.pages.prometheus, state.urls.alertmanager, state.pages.alertmanager)
    : [`  Prometheus     ${state.urls.prometheus}`, `  Alertmanager   ${state.urls.alertmanager}`];
  const lines = [
    `  API            ${state.urls.api}`,
    `  API docs       ${state.urls.docs}`,
    `  Metrics        ${state.urls.metrics}`,
    ...monitoring,
    `  PostgreSQL     127.0.0.1:${state.ports.postgres}   (user and database "items"; password in ${display(path.join(state.dataDir, 'postgres.password'))})`,
    `  Rules          ${state.ruleFiles.length > 0 ? state.ruleFiles.map(display).join(', ') : 'none (run `make generate`, then restart)'}`,
    `  Logs           ${display(state.logDir)}/   (the previous run's: ${display(files(stateDir).previous)}/)`,
    state.fresh
      ? '  History        Prometheus and Alertmanager data were emptied at this start'
      : `  History        Prometheus keeps samples across runs: a past fault can still fire the SLO alerts' long windows (${upOptionHint(stateDir, 'FRESH', '--fresh')} starts empty)`,
  ];
  if (state.traffic) {
    lines.push(`Steady API traffic: ${state.traffic.ratePerSecond} requests/s until ${state.traffic.until}; counts every 30 s in ${display(state.traffic.logFile)}`);
  } else {
    lines.push(`No traffic is sent: alerts need API requests (${upOptionHint(stateDir, 'TRAFFIC', '--traffic')} sends a steady stream).`);
  }
  if (state.faultInjection) {
    const faults = `http://127.0.0.1:${state.ports.metrics}/faults`;
    lines.push(
      'Fault injection is ON. Change faults while it runs:',
      `  curl -X PUT ${faults} -H 'content-type: application/json' -d '{"errorRate":0.5,"latencyMs":300,"dbDelayMs":100}'`,
      `  curl -X PUT ${faults} -H 'content-type: application/json' -d '{"errorRate":0,"latencyMs":0,"dbDelayMs":0}'   # back to normal`,
      `  curl ${faults}   # current values`,
    );
  } else {
    lines.push(`Fault injection is off (${upOptionHint(stateDir, 'FAULTS', '--faults')} turns it on).`);
  }
  lines.push(`Stop it with: ${stopHint(stateDir)}`);
  return lines;
}

/** Options the supervisor gets from `up`, as CLI arguments. */
function runArguments(opts: StackCommandOptions, ports: LocalStackPorts): string[] {
  return [
    'run',
    '--state-dir', opts.stateDir,
    '--api-port', String(ports.api),
    '--metrics-port', String(ports.metrics),
    '--prometheus-port', String(ports.prometheus),
    '--alertmanager-port', String(ports.alertmanager),
    '--postgres-port', String(ports.postgres),
    ...(opts.faults ? ['--faults'] : []),
    ...(opts.fresh ? ['--fresh'] : []),
    ...(opts.traffic ? ['--traffic', '--traffic-rate', String(opts.traffic.ratePerSecond), '--traffic-duration', opts.traffic.duration] : []),
    ...(opts.scrapeInterval ? ['--scrape-interval', opts.scrapeInterval] : []),
    ...(opts.evaluationInterval ? ['--evaluation-interval', opts.evaluationInterval] : []),
  ];
}

/** `up`: preflight, detached supervisor, wait for ready, print where everything is. */
export async function up(opts: StackCommandOptions, print: (line: string) => void = console.log): Promise<StackState> {
  const f = files(opts.stateDir);
  const already = runningSupervisor(opts.stateDir);
  if (already !== undefined) {
    const state = readState(opts.stateDir);
    throw new StackCommandError(
      `the local stack is already running (pid ${already}${state ? `, API ${state.urls.api}, Prometheus ${state.urls.prometheus}` : ', still starting'}); stop it with: ${stopHint(opts.stateDir)}`,
    );
  }
  await cleanUpAfterCrash(opts.stateDir, print);

  // Everything checkable before starting: binaries (with the package to install), ports, rules.
  resolveBinary('prometheus');
  resolveBinary('alertmanager');
  const ports = await resolvePorts(opts.ports, portChoiceHint(opts.stateDir));
  resolveRuleFiles(undefined, (message) => print(`warning: ${message}`));

  await mkdir(opts.stateDir, { recursive: true });
  await rotateLogs(opts.stateDir);
  const log = openSync(f.supervisorLog, 'w');
  let supervisor;
  try {
    supervisor = spawn(process.execPath, ['--import', 'tsx', CLI, ...runArguments(opts, ports)], {
      cwd: ROOT,
      detached: true, // outlives this command; its own process group
      stdio: ['ignore', log, log],
    });
  } finally {
    closeSync(log);
  }
  const pid = supervisor.pid;
  if (pid === undefined) throw new StackCommandError(`could not start the supervisor; see ${display(f.supervisorLog)}`);
  supervisor.unref();
  await writeFile(f.pid, `${pid}\n`);
  let exited = false;
  supervisor.once('exit', () => (exited = true));

  const timeoutMs = opts.timeoutMs ?? 180_000;
  const deadline = Date.now() + timeoutMs;
  print(`Starting the local stack (PostgreSQL, items-api, Alertmanager, Prometheus); log: ${display(f.supervisorLog)}`);
  while (Date.now() < deadline) {
    const state = readState(opts.stateDir);
    if (state?.supervisorPid === pid) {
      print(`The local stack is up (supervisor pid ${pid}):`);
      for (const line of describeState(state, opts.stateDir)) print(line);
      return state;
    }
    if (exited || processCommand(pid) === undefined) {
      await rm(f.pid, { force: true });
      throw new StackCommandError(`the local stack failed to start; last lines of ${display(f.supervisorLog)}:\n${logTail(f.supervisorLog, 40)}`);
    }
    await sleep(250);
  }
  process.kill(pid, 'SIGTERM');
  throw new StackCommandError(`the local stack was not ready within ${timeoutMs / 1000} s (stopping it); last lines of ${display(f.supervisorLog)}:\n${logTail(f.supervisorLog, 40)}`);
}

/**
 * Keeps one previous generation of logs: the last run's supervisor.log and logs/ move to
 * previous/, replacing the generation before it. A failed start is then still readable after the
 * next attempt.
 */
export async function rotateLogs(stateDir: string): Promise<void> {
  const f = files(stateDir);
  const moves = ([f.supervisorLog, f.logs] as const).filter((from) => existsSync(from)).map((from) => [from, path.join(f.previous, path.basename(from))] as const);
  if (moves.length === 0) return;
  await rm(f.previous, { recursive: true, force: true });
  await mkdir(f.previous, { recursive: true });
  for (const [from, to] of moves) await rename(from, to);
}

/** Empties the data Prometheus and Alertmanager keep across runs (PostgreSQL's items stay). */
async function emptyMonitoringData(dataDir: string): Promise<void> {
  for (const sub of [DATA_SUBDIRS.prometheus, DATA_SUBDIRS.alertmanager]) await rm(path.join(dataDir, sub), { recursive: true, force: true });
}

/** `run`: the supervisor. Starts the stack in this process, records it, stops it on SIGTERM/SIGINT/SIGHUP. */
export async function run(opts: StackCommandOptions, print: (line: string) => void = console.log): Promise<void> {
  const f = files(opts.stateDir);
  const other = runningSupervisor(opts.stateDir);
  if (other !== undefined && other !== process.pid) throw new StackCommandError(`the local stack is already running (pid ${other})`);
  await mkdir(opts.stateDir, { recursive: true });
  await writeFile(f.pid, `${process.pid}\n`);

  let stack: LocalStack | undefined;
  let traffic: SteadyTraffic | undefined;
  let stopping = false;
  const stop = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    print(`${new Date().toISOString()} stopping (${reason})`);
    await stopSupervised(opts.stateDir, [traffic, stack], print);
  };
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    process.once(signal, () => void stop(signal).finally(() => process.exit(0)));
  }

  // A bad traffic duration fails here, before anything has started.
  const trafficMs = opts.traffic ? durationMs(opts.traffic.duration, 'traffic duration') : undefined;
  if (opts.fresh) await emptyMonitoringData(f.data);
  try {
    stack = await startLocalStack({
      ports: opts.ports,
      dataDir: f.data,
      logDir: f.logs,
      faultInjection: opts.faults,
      scrapeInterval: opts.scrapeInterval,
      evaluationInterval: opts.evaluationInterval,
      warn: (message) => print(`warning: ${message}`),
    });
  } catch (error) {
    await rm(f.pid, { force: true });
    throw error;
  }
  if (stopping) return; // a signal arrived while starting: stop() is already under way
  const pids = stack.pids();
  const processes = COMPONENTS.flatMap((component) => {
    const pid = pids[component];
    const command = pid === undefined ? undefined : processCommand(pid);
    return pid === undefined || command === undefined ? [] : [{ component, pid, command }];
  });
  const pages = {
    prometheus: await detectPrometheusPages(stack.prometheusUrl),
    alertmanager: await detectAlertmanagerPages(stack.alertmanagerUrl, findTool('amtool')),
  };
  if (opts.traffic && trafficMs !== undefined) {
    traffic = startSteadyTraffic(stack.apiUrl, { ratePerSecond: opts.traffic.ratePerSecond, durationMs: trafficMs }, path.join(f.logs, TRAFFIC_LOG));
    void traffic.done.then((result) => print(`${new Date().toISOString()} steady traffic finished: ${result.requests} requests`));
  }
  const state: StackState = {
    supervisorPid: process.pid,
    startedAt: new Date().toISOString(),
    urls: {
      api: stack.apiUrl,
      docs: `${stack.apiUrl}/docs`,
      metrics: `${stack.metricsUrl}${SCRAPE.path}`,
      prometheus: stack.prometheusUrl,
      alertmanager: stack.alertmanagerUrl,
    },
    pages,
    fresh: opts.fresh ?? false,
    ...(traffic ? { traffic: { ratePerSecond: traffic.ratePerSecond, until: traffic.until.toISOString(), logFile: traffic.logFile } } : {}),
    ports: stack.ports,
    ruleFiles: stack.ruleFiles,
    faultInjection: stack.faultInjection,
    dataDir: stack.dataDir,
    logDir: f.logs,
    processes,
  };
  await writeFile(f.state, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  print(`${state.startedAt} ready`);
  for (const line of describeState(state, opts.stateDir)) print(line);
  // Stay alive until a signal: the timers of the stack's clients do not hold the event loop.
  setInterval(() => undefined, 1 << 30);
}

/**
 * The supervisor's way out: stops the parts in order, then removes its files. A part that fails to
 * stop is reported and the next one still stopped; state.json then stays, as the record with which
 * `down` (or the next `up`) stops whatever outlived this process.
 */
export async function stopSupervised(stateDir: string, parts: ReadonlyArray<{ stop(): Promise<unknown> } | undefined>, print: (line: string) => void): Promise<void> {
  const f = files(stateDir);
  let failed = false;
  for (const part of parts) {
    try {
      await part?.stop();
    } catch (error) {
      failed = true;
      const causes = error instanceof AggregateError ? `: ${error.errors.map(errorMessage).join('; ')}` : '';
      print(`${new Date().toISOString()} stop failed: ${errorMessage(error)}${causes}`);
    }
  }
  if (failed) {
    print(`${new Date().toISOString()} kept ${display(f.state)}: run ${stopHint(stateDir)} to stop what is left`);
  } else {
    await rm(f.state, { force: true });
  }
  if (readIfExists(f.pid)?.trim() === String(process.pid)) await rm(f.pid, { force: true });
  print(`${new Date().toISOString()} stopped`);
}

/** Processes recorded in state.json that still run the same command. */
export function leftovers(state: StackState | undefined): RecordedProcess[] {
  return (state?.processes ?? []).filter((p) => processCommand(p.pid) === p.command);
}

/** After a supervisor died without cleaning up: stop what it recorded (and only that), drop its files. */
async function cleanUpAfterCrash(stateDir: string, print: (line: string) => void, state: StackState | undefined = readState(stateDir)): Promise<void> {
  const f = files(stateDir);
  const left = leftovers(state);
  if (left.length > 0) {
    print(`stopping ${left.length} process(es) left by a previous run: ${left.map((p) => `${p.component} (${p.pid})`).join(', ')}`);
    await terminate(left);
  }
  await rm(f.state, { force: true });
  await rm(f.pid, { force: true });
}

/** SIGTERM (SIGINT for PostgreSQL), then SIGKILL after 15 s; resolves when all are gone. */
export async function terminate(processes: readonly RecordedProcess[]): Promise<void> {
  for (const p of processes) signal(p.pid, p.component === 'postgres' ? 'SIGINT' : 'SIGTERM');
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline && leftovers({ processes } as StackState).length > 0) await sleep(200);
  for (const p of leftovers({ processes } as StackState)) signal(p.pid, 'SIGKILL');
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // gone already
  }
}

/** `down`: stop the supervisor, then anything it recorded that still runs. */
export async function down(opts: Pick<StackCommandOptions, 'stateDir'>, print: (line: string) => void = console.log): Promise<void> {
  const f = files(opts.stateDir);
  // Read before the supervisor stops: it removes state.json on its way out once its stop
  // succeeded, and a process it believed stopped must still be found below.
  const state = readState(opts.stateDir);
  const pid = runningSupervisor(opts.stateDir);
  if (pid === undefined && leftovers(state).length === 0) {
    await rm(f.state, { force: true });
    await rm(f.pid, { force: true });
    print('The local stack is not running.');
    return;
  }
  if (pid !== undefined) {
    signal(pid, 'SIGTERM');
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && isSupervisor(pid)) await sleep(200);
    if (isSupervisor(pid)) {
      print(`supervisor ${pid} did not stop within 60 s; killing it`);
      signal(pid, 'SIGKILL');
    }
  }
  await cleanUpAfterCrash(opts.stateDir, print, readState(opts.stateDir) ?? state);
  print(`The local stack is stopped (data kept in ${display(f.data)}; logs in ${display(f.logs)}, kept as ${display(f.previous)}/ at the next start).`);
}

const probe = async (url: string) =>
  fetch(url, { signal: AbortSignal.timeout(3_000) }).then(
    (res) => (res.ok ? 'ok' : `HTTP ${res.status}`),
    (error: Error) => `unreachable (${error.message})`,
  );

/** `status`: running or not, and each component's health. Resolves false when not running. */
export async function status(opts: Pick<StackCommandOptions, 'stateDir'>, print: (line: string) => void = console.log): Promise<boolean> {
  const pid = runningSupervisor(opts.stateDir);
  const state = readState(opts.stateDir);
  if (pid === undefined) {
    const left = leftovers(state);
    print(
      left.length > 0
        ? `The local stack is not running, but its supervisor died leaving ${left.map((p) => `${p.component} (${p.pid})`).join(', ')}; ${stopHint(opts.stateDir)} stops them.`
        : 'The local stack is not running (start it with: make local-up).',
    );
    return false;
  }
  if (!state || state.supervisorPid !== pid) {
    print(`The local stack is starting (supervisor pid ${pid}); see ${display(files(opts.stateDir).supervisorLog)}.`);
    return true;
  }
  print(`The local stack is running (supervisor pid ${pid}, since ${state.startedAt}):`);
  for (const line of describeState(state, opts.stateDir)) print(line);
  const checks: Record<Component, () => Promise<string>> = {
    postgres: async () => 'process alive',
    'items-api': () => probe(`${state.urls.api}/readyz`),
    alertmanager: () => probe(`${state.urls.alertmanager}/-/ready`),
    prometheus: () => probe(`${state.urls.prometheus}/-/ready`),
  };
  print('Components:');
  for (const p of state.processes) {
    const alive = processCommand(p.pid) === p.command;
    print(`  ${p.component.padEnd(14)} pid ${String(p.pid).padEnd(8)} ${alive ? await checks[p.component]() : 'NOT RUNNING'}`);
  }
  if (state.traffic) print(`Traffic: ${logTail(state.traffic.logFile, 1) || 'no report yet'}`);
  return true;
}
