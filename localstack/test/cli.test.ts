/**
 * `make local-up` / `local-status` / `local-down` through the real CLI, on free ports and a temp
 * state dir (never the default ports or .local/stack, which a developer's stack may be using); and
 * the make variables mk/local.mk turns into CLI options (`make -n`, nothing started).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { SCRAPE } from '../../project/constants.js';
import { poll } from '../../toolkit/poll.js';
import { freePort } from '../../toolkit/ports.js';
import { findTool } from '../../toolkit/find-tool.js';
import { requireTools } from '../../testing/tools.js';
import { localStackToolNames } from '../binaries.js';
import { DEFAULT_STATE_DIR, leftovers, PORT_SETTINGS, portChoiceHint, processCommand, readState, terminate, type StackState } from '../control.js';
import { PrometheusClient } from '../../toolkit/prometheus-api/client.js';
import { fetchTransport } from '../../toolkit/prometheus-api/fetch-transport.js';
import { DEFAULT_RULE_FILE, setFaults } from '../local-stack.js';
import { isAlive, processesMentioning, waitForExit } from './support/processes.js';
import { setTimeout as sleep } from 'node:timers/promises';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const CLI = path.join(ROOT, 'localstack', 'cli.ts');

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(args: string[], env: NodeJS.ProcessEnv = process.env, timeoutMs = 240_000): Promise<CliResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: ROOT, env, timeout: timeoutMs });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

let stateDir: string;
/**
 * Each stack an `up` here started, as its state.json recorded it while it ran: its supervisor
 * deletes the file when it stops, so only this copy still knows the pids afterwards.
 */
const started: StackState[] = [];

before(async () => {
  stateDir = await mkdtemp(path.join(tmpdir(), 'localstack-cli-'));
  await chmod(stateDir, 0o755); // as root, PostgreSQL runs as `postgres` and must get through it
});
after(async () => {
  try {
    await stopEverythingStarted();
  } finally {
    await rm(stateDir, { recursive: true, force: true });
  }
});

/** `up` on the test's state dir; the stack it started is remembered for stopEverythingStarted. */
async function up(args: string[], env?: NodeJS.ProcessEnv): Promise<CliResult> {
  const result = await cli(['up', '--state-dir', stateDir, ...args], env);
  const state = readState(stateDir);
  if (state && !started.some((s) => s.supervisorPid === state.supervisorPid)) started.push(state);
  return result;
}

/**
 * Stops whatever a failed assertion left running, bounded in time: `down` for the state dir (90 s;
 * it kills a supervisor that does not stop within 60 s), then, as a last resort, what the recorded
 * stacks still run: each supervisor (SIGKILL: `down` already asked nicely), and each component
 * through control.ts's own terminate (SIGKILL after 15 s). Fails naming any process of the state
 * dir still alive 10 s later.
 */
async function stopEverythingStarted(): Promise<void> {
  const stacks = started.splice(0);
  await cli(['down', '--state-dir', stateDir], process.env, 90_000);
  for (const { supervisorPid } of stacks) {
    if (processCommand(supervisorPid)?.includes(`run --state-dir ${stateDir}`)) {
      try {
        process.kill(supervisorPid, 'SIGKILL');
      } catch {
        // exited meanwhile
      }
    }
  }
  const left = stacks.flatMap((state) => leftovers(state));
  if (left.length > 0) await terminate(left);
  const survivors = () => [...stacks.flatMap((state) => leftovers(state)).map((p) => `${p.component} (${p.pid})`), ...processesMentioning(stateDir)];
  const gone = await poll({ timeoutMs: 10_000, intervalMs: 250 }, () => Promise.resolve(survivors().length === 0 ? true : undefined));
  assert.ok(gone, `still running after down and the last resort: ${survivors().join('; ')}`);
}

/** The URL printed after `label` on a line of its own (`    targets      http://…`), in the section that starts with `after`. */
function printedUrl(stdout: string, label: string, after: string): string {
  assert.ok(stdout.includes(after), `no "${after.trim()}" line:\n${stdout}`);
  const section = stdout.slice(stdout.indexOf(after));
  const url = new RegExp(`^\\s+${label}\\s+(http://\\S+)$`, 'm').exec(section)?.[1];
  assert.ok(url, `a "${label}" URL after "${after}":\n${stdout}`);
  return url;
}

const PAGE_LABELS = ['targets', 'rules', 'alerts', 'query'] as const;

test('up starts the stack detached with steady traffic and prints pages that open; status reports it; a second up refuses; down leaves no process behind', async (t) => {
  if (!requireTools(t, localStackToolNames())) return;
  t.after(stopEverythingStarted); // whichever assertion fails, the next tests find nothing running
  const ports = { api: await freePort(), metrics: await freePort(), prometheus: await freePort(), alertmanager: await freePort() };
  const portArgs = [
    '--api-port', String(ports.api),
    '--metrics-port', String(ports.metrics),
    '--prometheus-port', String(ports.prometheus),
    '--alertmanager-port', String(ports.alertmanager),
  ];
  const timing = ['--scrape-interval', '1s', '--evaluation-interval', '1s'];
  const upResult = await up([...portArgs, ...timing, '--traffic-rate', '20', '--traffic-duration', '10m']);
  assert.equal(upResult.code, 0, upResult.stderr + upResult.stdout);
  for (const url of [
    `http://127.0.0.1:${ports.api}`,
    `http://127.0.0.1:${ports.api}/docs`,
    `http://127.0.0.1:${ports.metrics}${SCRAPE.path}`,
    `http://127.0.0.1:${ports.prometheus}`,
    `http://127.0.0.1:${ports.alertmanager}`,
  ]) {
    assert.ok(upResult.stdout.includes(url), `up prints ${url}:\n${upResult.stdout}`);
  }
  assert.match(upResult.stdout, /Stop it with: .* down --state-dir/);
  assert.match(upResult.stdout, /Fault injection is off/);
  assert.match(upResult.stdout, /Steady API traffic: 20 requests\/s until /);
  assert.match(upResult.stdout, /History +Prometheus keeps samples across runs/);

  // Every page printed opens on the Prometheus and Alertmanager actually running (Debian's 2.42
  // serves its UI under /classic/ only, and its Alertmanager has no UI: the API is printed).
  const pages = [
    ...PAGE_LABELS.map((label) => printedUrl(upResult.stdout, label, '\n  Prometheus ')),
    printedUrl(upResult.stdout, 'alerts', '\n  Alertmanager '),
  ];
  assert.ok(pages.slice(0, 4).every((url) => url.startsWith(`http://127.0.0.1:${ports.prometheus}/`)), pages.join(' '));
  assert.ok(pages[4]!.startsWith(`http://127.0.0.1:${ports.alertmanager}/`), pages[4]);
  for (const url of pages) assert.equal((await fetch(url)).status, 200, `${url} opens`);

  // Detached: the stack serves after `up` has exited.
  assert.equal((await fetch(`http://127.0.0.1:${ports.api}/readyz`)).status, 200);
  const prometheus = new PrometheusClient(fetchTransport(`http://127.0.0.1:${ports.prometheus}`));
  const targets = await prometheus.waitForTargetsUp(SCRAPE.job, { timeoutMs: 10_000 });
  assert.equal(targets.length, 1);
  await assert.rejects(setFaults(`http://127.0.0.1:${ports.metrics}`, { errorRate: 1 }), /fault injection is off/, 'faults stay off unless asked for');
  // Nobody but the stack's traffic calls /items here.
  await prometheus.waitFor(`sum(http_requests_total{route=~"/items.*"})`, (s) => (s[0]?.value ?? 0) >= 20, { timeoutMs: 30_000, description: 'the steady traffic in Prometheus' });

  const state = readState(stateDir);
  assert.ok(state);
  const pids = [state.supervisorPid, ...state.processes.map((p) => p.pid)];
  assert.deepEqual(state.processes.map((p) => p.component).sort(), ['alertmanager', 'items-api', 'postgres', 'prometheus']);
  assert.ok(pids.every(isAlive));

  const statusResult = await cli(['status', '--state-dir', stateDir]);
  assert.equal(statusResult.code, 0, statusResult.stderr);
  assert.match(statusResult.stdout, /The local stack is running/);
  assert.match(statusResult.stdout, /items-api\s+pid \d+\s+ok/);
  assert.match(statusResult.stdout, /prometheus\s+pid \d+\s+ok/);
  assert.match(statusResult.stdout, /Traffic: .*(traffic: 20 requests\/s|so far: \d+ requests)/);

  const again = await up(portArgs);
  assert.equal(again.code, 1);
  assert.match(again.stderr, new RegExp(`already running \\(pid ${state.supervisorPid}.*stop it with`));

  const downResult = await cli(['down', '--state-dir', stateDir]);
  assert.equal(downResult.code, 0, downResult.stderr);
  assert.match(downResult.stdout, /The local stack is stopped/);
  assert.deepEqual(await waitForExit(pids, 5_000), [], 'no process of the stack is left');
  assert.equal((await fetch(`http://127.0.0.1:${ports.api}/readyz`).catch(() => undefined))?.status, undefined, 'the API port is closed');

  const after = await cli(['status', '--state-dir', stateDir]);
  assert.equal(after.code, 3);
  assert.match(after.stdout, /not running/);
  assert.match((await cli(['down', '--state-dir', stateDir])).stdout, /not running/);

  // Again with --fresh: the first run's logs are kept as previous/, its samples are gone.
  const firstStart = new Date(state.startedAt);
  const secondStart = new Date();
  const fresh = await up([...portArgs, ...timing, '--fresh']);
  assert.equal(fresh.code, 0, fresh.stderr + fresh.stdout);
  assert.match(fresh.stdout, /History +Prometheus and Alertmanager data were emptied at this start/);
  assert.match(fresh.stdout, /No traffic is sent: alerts need API requests/);
  /** When the first line of a JSON log was written. */
  const firstLogTime = async (file: string) => new Date((JSON.parse((await readFile(file, 'utf8')).split('\n')[0]!) as { time: string }).time).getTime();
  assert.ok((await firstLogTime(path.join(stateDir, 'previous', 'logs', 'items-api.log'))) < secondStart.getTime(), "previous/ holds the first run's service log");
  assert.ok((await firstLogTime(path.join(stateDir, 'logs', 'items-api.log'))) >= secondStart.getTime(), 'logs/ starts empty');
  assert.match(await readFile(path.join(stateDir, 'previous', 'logs', 'traffic.log'), 'utf8'), /traffic: 20 requests\/s/, "and the first run's traffic log");
  assert.match(await readFile(path.join(stateDir, 'previous', 'supervisor.log'), 'utf8'), /stopping \(SIGTERM\)/, "and the first run's supervisor log");
  await prometheus.waitFor(`up{job="${SCRAPE.job}"}`, (s) => s.length === 1, { timeoutMs: 10_000 });
  // Range steps fall on whole seconds from `start`, so a sample younger than the last step can be
  // missed: ask again (bounded) until the range shows the new samples.
  let stamps: number[] = [];
  for (let attempt = 0; attempt < 20 && stamps.length === 0; attempt++) {
    if (attempt > 0) await sleep(500);
    const history = await prometheus.queryRange(`timestamp(up{job="${SCRAPE.job}"})`, { start: firstStart, end: new Date(), stepSeconds: 1 });
    stamps = history.flatMap((series) => series.values.map((v) => v.value * 1000));
  }
  assert.ok(stamps.length > 0, 'the new samples are there');
  const earliest = new Date(Math.min(...stamps));
  assert.ok(earliest >= secondStart, `no sample from before this start (earliest ${earliest.toISOString()}, started ${secondStart.toISOString()})`);
  assert.equal((await cli(['down', '--state-dir', stateDir])).code, 0);
});

test('up without Prometheus on PATH names the package to install and starts nothing', async (t) => {
  const sh = findTool('sh');
  if (!sh) return t.skip('no sh');
  const bare = await mkdtemp(path.join(tmpdir(), 'localstack-path-'));
  try {
    await symlink(sh, path.join(bare, 'sh')); // PATH lookups still run, and find nothing
    const result = await up(['--api-port', String(await freePort())], { ...process.env, PATH: bare });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /prometheus not found on PATH.*apt-get install prometheus\b/);
    assert.equal(readState(stateDir), undefined);
  } finally {
    await rm(bare, { recursive: true, force: true });
  }
});

test('up on a port already taken says which one and starts nothing', async (t) => {
  if (!requireTools(t, localStackToolNames())) return;
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const taken = (blocker.address() as net.AddressInfo).port;
  try {
    const free = async () => String(await freePort());
    const result = await up([
      '--api-port', await free(), '--metrics-port', await free(), '--alertmanager-port', await free(),
      '--prometheus-port', String(taken),
    ]);
    assert.equal(result.code, 1);
    // One line: which port, and the exact command that starts the stack on a free one instead.
    assert.match(
      result.stderr,
      new RegExp(`^local stack: port\\(s\\) already in use on 127.0.0.1: ${taken} \\(Prometheus\\); stop what listens there \\(see \`ss -ltnp\`\\) or start it on other ports, e\\.g\\.: node --import tsx localstack/cli\\.ts up --state-dir ${stateDir} --prometheus-port \\d+\\n$`),
    );
    assert.equal(readState(stateDir), undefined);
  } finally {
    blocker.close();
  }
});

describe('choosing ports and settings through make', () => {
  test('the busy-port hint names the make variable and a free port for every taken one', async () => {
    let next = 41000;
    const hint = await portChoiceHint(DEFAULT_STATE_DIR, async () => next++)(['prometheus', 'metrics']);
    assert.equal(hint, 'start it on other ports, e.g.: make local-up PROMETHEUS_PORT=41000 METRICS_PORT=41001');
  });

  test('the rule file make regenerates before local-up is the one the stack loads', async () => {
    const mk = await readFile(path.join(ROOT, 'mk', 'local.mk'), 'utf8');
    assert.equal(/^LOCAL_RULES := (\S+)$/m.exec(mk)?.[1], DEFAULT_RULE_FILE);
  });

  test('make local-up passes every setting of mk/local.mk on as the CLI option of the same meaning', async (t) => {
    const make = findTool('make');
    if (!make) return t.skip('no make');
    const values = Object.fromEntries(Object.values(PORT_SETTINGS).map(({ makeVariable }, i) => [makeVariable, String(40001 + i)]));
    const settings = { ...values, FAULTS: '1', FRESH: '1', TRAFFIC: '1', TRAFFIC_RATE: '7', TRAFFIC_DURATION: '5m' };
    const { stdout } = await promisify(execFile)(make, ['-n', '--no-print-directory', 'local-up', ...Object.entries(settings).map(([k, v]) => `${k}=${v}`)], { cwd: ROOT });
    const command = stdout.split('\n').find((line) => line.includes('localstack/cli.ts up'));
    assert.ok(command, stdout);
    const expected = [
      '--faults', '--fresh', '--traffic', '--traffic-rate 7', '--traffic-duration 5m',
      ...Object.values(PORT_SETTINGS).map(({ makeVariable, flag }) => `${flag} ${values[makeVariable]}`),
    ];
    assert.equal(command.trim(), `node --import tsx localstack/cli.ts up ${expected.join(' ')}`);
  });
});
