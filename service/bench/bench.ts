/**
 * `make bench`: throughput, latency and memory of items-api with instrumentation on and off in the
 * same run, `/metrics` render time, and series growth under random unknown paths. Load comes from
 * this process (autocannon); the service runs as a separate process on loopback with a real
 * PostgreSQL (embedded). Prints a Markdown table and writes results/bench.json.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { Command } from 'commander';
import { freePort } from '../../testing/ports.js';
import { parseSamples, seriesKeys } from '../../testing/prom-text.js';
import { startTestPostgres } from '../test/support/postgres.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

interface Options {
  duration: number;
  connections: number;
  warmup: number;
  seed: number;
  rounds: number;
  cappedRate: number;
}

interface ScenarioResult {
  scenario: string;
  instrumented: boolean;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
  peakRssMb: number;
}

interface Scenario {
  name: string;
  build(base: string, seeded: number): autocannon.Options;
}

const SCENARIOS: Scenario[] = [
  {
    name: 'GET /items/:id',
    build: (base, seeded) => ({
      url: base,
      requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `/items/${1 + Math.floor(Math.random() * seeded)}` }) }],
    }),
  },
  {
    name: 'POST /items',
    build: (base) => ({
      url: base,
      requests: [{ method: 'POST', path: '/items', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'bench item', price: 12.34, description: 'made by make bench' }) }],
    }),
  },
  { name: 'GET /items?limit=20', build: (base) => ({ url: base, requests: [{ method: 'GET', path: '/items?limit=20&offset=0' }] }) },
];

interface Service {
  base: string;
  metricsUrl: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

async function startService(databaseUrl: string, instrumented: boolean): Promise<Service> {
  const port = await freePort();
  const metricsPort = await freePort();
  // The compiled output, as in the image: no TypeScript loader in the measured process.
  const child = spawn(process.execPath, ['build/service/src/main.js'], {
    cwd: ROOT,
    // Access logs are off (warn) in both modes, so the comparison isolates metrics instrumentation.
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      HOST: '127.0.0.1',
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
      METRICS_ENABLED: String(instrumented),
      LOG_LEVEL: 'warn',
      DB_POOL_MAX: '10',
      NODE_ENV: 'production',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    if (await fetch(`${base}/readyz`).then((r) => r.ok, () => false)) break;
    await sleep(100);
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    base,
    metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
    child,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Resident set size of a process in MB, from /proc (Linux). */
async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

async function runLoad(opts: autocannon.Options, pid: number): Promise<{ result: autocannon.Result; peakRssMb: number }> {
  let peak = 0;
  const sampler = setInterval(() => void rssMb(pid).then((mb) => (peak = Math.max(peak, mb))), 100);
  try {
    const result = await autocannon(opts);
    peak = Math.max(peak, await rssMb(pid));
    return { result, peakRssMb: peak };
  } finally {
    clearInterval(sampler);
  }
}

async function seedItems(base: string, count: number): Promise<void> {
  for (let i = 0; i < count; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, count - i) }, (_, j) =>
        fetch(`${base}/items`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: `seed ${i + j}`, price: (i + j) / 100 }) }),
      ),
    );
  }
}

async function measureScenario(svc: Service, scenario: Scenario, instrumented: boolean, opts: Options): Promise<ScenarioResult> {
  const pid = svc.child.pid ?? 0;
  const common = { connections: opts.connections };
  await autocannon({ ...scenario.build(svc.base, opts.seed), ...common, duration: opts.warmup });
  const { result, peakRssMb } = await runLoad({ ...scenario.build(svc.base, opts.seed), ...common, duration: opts.duration }, pid);
  return {
    scenario: scenario.name,
    instrumented,
    reqPerSec: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    peakRssMb,
  };
}

async function metricsRenderMs(metricsUrl: string, times: number): Promise<{ medianMs: number; p99Ms: number; bytes: number }> {
  const durations: number[] = [];
  let bytes = 0;
  for (let i = 0; i < times; i++) {
    const started = process.hrtime.bigint();
    const text = await (await fetch(metricsUrl)).text();
    durations.push(Number(process.hrtime.bigint() - started) / 1e6);
    bytes = text.length;
  }
  durations.sort((a, b) => a - b);
  return { medianMs: durations[Math.floor(times / 2)] ?? 0, p99Ms: durations[Math.floor(times * 0.99)] ?? 0, bytes };
}

async function seriesCount(metricsUrl: string): Promise<number> {
  return seriesKeys(parseSamples(await (await fetch(metricsUrl)).text())).size;
}

async function unknownPathGrowth(svc: Service): Promise<{ before: number; after: number; requests: number }> {
  await fetch(`${svc.base}/warm-up-unknown`);
  const before = await seriesCount(svc.metricsUrl);
  const requests = 10_000;
  await autocannon({
    url: svc.base,
    connections: 20,
    amount: requests,
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `/${Math.random().toString(36).slice(2)}/${Math.random().toString(36).slice(2, 8)}` }) }],
  });
  return { before, after: await seriesCount(svc.metricsUrl), requests };
}

/** Mixed load for `seconds`, RSS sampled every 10 s: memory must level off, not climb. */
async function soak(svc: Service, seconds: number, seeded: number): Promise<Array<{ atS: number; rssMb: number }>> {
  const pid = svc.child.pid ?? 0;
  const samples: Array<{ atS: number; rssMb: number }> = [{ atS: 0, rssMb: await rssMb(pid) }];
  const started = Date.now();
  const sampler = setInterval(() => void rssMb(pid).then((mb) => samples.push({ atS: Math.round((Date.now() - started) / 1000), rssMb: mb })), 10_000);
  try {
    await autocannon({
      url: svc.base,
      connections: 50,
      duration: seconds,
      requests: [
        { method: 'GET', setupRequest: (req) => ({ ...req, path: `/items/${1 + Math.floor(Math.random() * seeded)}` }) },
        { method: 'POST', path: '/items', headers: { 'content-type': 'application/json' }, body: '{"name":"soak","price":1}' },
        { method: 'GET', path: '/items?limit=20' },
        { method: 'GET', setupRequest: (req) => ({ ...req, path: `/unknown/${Math.random().toString(36).slice(2)}` }) },
      ],
    });
  } finally {
    clearInterval(sampler);
  }
  samples.push({ atS: seconds, rssMb: await rssMb(pid) });
  return samples;
}

const fmt = (n: number, digits = 1) => n.toFixed(digits);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function summarise(results: ScenarioResult[]): ScenarioResult[] {
  const keys = [...new Set(results.map((r) => `${r.scenario}|${r.instrumented}`))];
  return keys.map((key) => {
    const runs = results.filter((r) => `${r.scenario}|${r.instrumented}` === key);
    const first = runs[0] as ScenarioResult;
    return {
      ...first,
      reqPerSec: median(runs.map((r) => r.reqPerSec)),
      p50Ms: median(runs.map((r) => r.p50Ms)),
      p99Ms: median(runs.map((r) => r.p99Ms)),
      errors: runs.reduce((s, r) => s + r.errors, 0),
      non2xx: runs.reduce((s, r) => s + r.non2xx, 0),
      peakRssMb: Math.max(...runs.map((r) => r.peakRssMb)),
    };
  });
}

async function main(): Promise<void> {
  const program = new Command()
    .option('--duration <s>', 'seconds of measured load per scenario and mode', '10')
    .option('--connections <n>', 'concurrent connections', '50')
    .option('--warmup <s>', 'seconds of unmeasured load before each measurement', '3')
    .option('--seed <n>', 'items created before the run', '1000')
    .option('--rounds <n>', 'repeat on/off pairs; medians are reported', '1')
    .option('--capped-rate <n>', 'req/s of the rate-capped GET /items/:id run', '1000')
    .option('--soak <s>', 'instead of the benchmark: mixed load for this many seconds, RSS every 10 s', '0')
    .parse();
  const raw = program.opts<Record<string, string>>();
  const opts: Options = {
    duration: Number(raw.duration),
    connections: Number(raw.connections),
    warmup: Number(raw.warmup),
    seed: Number(raw.seed),
    rounds: Number(raw.rounds),
    cappedRate: Number(raw.cappedRate),
  };
  const soakSeconds = Number(raw.soak);
  if (soakSeconds > 0) return runSoak(soakSeconds, opts.seed);
  for (const [name, value] of Object.entries(opts)) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer (got ${raw[name]})`);
  }

  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
  const pg = await startTestPostgres();
  const results: ScenarioResult[] = [];
  let render = { medianMs: 0, p99Ms: 0, bytes: 0 };
  let growth = { before: 0, after: 0, requests: 0 };
  let capped = { reqPerSec: 0, p50Ms: 0, p99Ms: 0, errors: 0 };
  try {
    for (let round = 0; round < opts.rounds; round++) {
      for (const scenario of SCENARIOS) {
        // Alternate which mode goes first so warm caches and drift do not favour one side.
        const modes = (round + SCENARIOS.indexOf(scenario)) % 2 === 0 ? [true, false] : [false, true];
        for (const instrumented of modes) {
          const svc = await startService(pg.url, instrumented);
          try {
            if (round === 0 && scenario === SCENARIOS[0] && results.length === 0) await seedItems(svc.base, opts.seed);
            const r = await measureScenario(svc, scenario, instrumented, opts);
            results.push(r);
            console.error(`  ${r.scenario} instrumented=${r.instrumented}: ${fmt(r.reqPerSec, 0)} req/s p99 ${r.p99Ms} ms`);
          } finally {
            await svc.stop();
          }
        }
      }
    }
    const svc = await startService(pg.url, true);
    try {
      // Closed-loop load at saturation makes latency = connections / throughput (Little's law);
      // a capped rate shows the latency a client sees when the service is not saturated.
      const byId = SCENARIOS[0] as Scenario;
      const { result } = await runLoad({ ...byId.build(svc.base, opts.seed), connections: opts.connections, duration: opts.duration, overallRate: opts.cappedRate }, svc.child.pid ?? 0);
      capped = { reqPerSec: result.requests.average, p50Ms: result.latency.p50, p99Ms: result.latency.p99, errors: result.errors + result.timeouts + result.non2xx };
      await autocannon({ url: `${svc.base}/items?limit=20`, connections: 10, duration: 2 });
      render = await metricsRenderMs(svc.metricsUrl, 200);
      growth = await unknownPathGrowth(svc);
    } finally {
      await svc.stop();
    }
  } finally {
    await pg.destroy();
  }

  const summary = summarise(results);
  const lines = [
    `items-api benchmark — ${new Date().toISOString()} — ${os.cpus().length} cores, Node ${process.version}, ${opts.connections} connections, ${opts.duration} s per run, ${opts.rounds} round(s)`,
    '',
    '| scenario | instrumentation | req/s | p50 ms | p99 ms | peak RSS MB | errors | non-2xx |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
    ...summary.map((r) => `| ${r.scenario} | ${r.instrumented ? 'on' : 'off'} | ${fmt(r.reqPerSec, 0)} | ${r.p50Ms} | ${r.p99Ms} | ${fmt(r.peakRssMb)} | ${r.errors} | ${r.non2xx} |`),
    '',
    '| scenario | throughput kept with instrumentation (on / off) |',
    '|---|---:|',
    ...SCENARIOS.map((s) => {
      const on = summary.find((r) => r.scenario === s.name && r.instrumented);
      const off = summary.find((r) => r.scenario === s.name && !r.instrumented);
      return `| ${s.name} | ${on && off ? `${fmt((on.reqPerSec / off.reqPerSec) * 100)} %` : 'n/a'} |`;
    }),
    '',
    `GET /items/:id, instrumented, ${opts.connections} connections capped at ${opts.cappedRate} req/s: ${fmt(capped.reqPerSec, 0)} req/s, p50 ${capped.p50Ms} ms, p99 ${capped.p99Ms} ms, ${capped.errors} errors`,
    `/metrics over HTTP on loopback (200 scrapes after load): median ${fmt(render.medianMs, 2)} ms, p99 ${fmt(render.p99Ms, 2)} ms, ${render.bytes} bytes`,
    `series (runtime-labelled nodejs_gc_*/nodejs_active_* left out) before/after ${growth.requests} requests to random unknown paths: ${growth.before} -> ${growth.after}`,
  ];
  console.log(lines.join('\n'));
  await mkdir(path.join(ROOT, 'results'), { recursive: true });
  await writeFile(path.join(ROOT, 'results', 'bench.json'), JSON.stringify({ options: opts, results, summary, capped, render, growth }, null, 2));
}

async function runSoak(seconds: number, seed: number): Promise<void> {
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
  const pg = await startTestPostgres();
  try {
    const svc = await startService(pg.url, true);
    try {
      await seedItems(svc.base, seed);
      const samples = await soak(svc, seconds, seed);
      const rss = samples.map((x) => x.rssMb);
      const firstMinute = Math.max(...samples.filter((x) => x.atS <= 60).map((x) => x.rssMb));
      console.log([
        `items-api soak — ${seconds} s mixed load (GET by id, POST, list, unknown paths), 50 connections`,
        '',
        '| t (s) | RSS MB |',
        '|---:|---:|',
        ...samples.map((x) => `| ${x.atS} | ${fmt(x.rssMb)} |`),
        '',
        `peak ${fmt(Math.max(...rss))} MB; last ${fmt(rss.at(-1) ?? 0)} MB vs peak of the first minute ${fmt(firstMinute)} MB`,
      ].join('\n'));
    } finally {
      await svc.stop();
    }
  } finally {
    await pg.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(`bench: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
