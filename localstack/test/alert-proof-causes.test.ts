/**
 * Alert proof, part 2 (cause alerts), on its own local stack so each fault meets a young, clean
 * history: the generated rules with `for:` shortened, a pool of DB_POOL_MAX connections, steady
 * traffic from more workers than the pool has connections. Sequential phases, each with its real
 * fault (see localstack/outages.ts for the ones made from outside the service):
 *   (e) CPU starvation -> event-loop lag;   (f) slow queries on a small pool -> pool saturated;
 *   (g) the table renamed away -> query errors;   (h) the process hung -> target down and absent,
 *   and both resolve when it runs again.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { METRICS } from '../../service/src/metrics/catalog.js';
import { alertProofPerFile } from '../proof-kit/alert-proof-kit.js';
import { FAULT_SIZES, alertName } from '../proof-kit/alert-proof-plan.js';
import { hangProcess, hideTable, starveProcess, type Outage } from '../proof-kit/outages.js';
import type { LocalStack } from '../local-stack.js';

const FOR_OVERRIDE = '2s';
const TRAFFIC = { concurrency: FAULT_SIZES.poolWorkers, ratePerSecond: 30, durationMs: 180_000, requestTimeoutMs: 5_000 } as const;

const EVENT_LOOP_LAG = alertName('EventLoopLag');
const POOL_SATURATED = alertName('DatabasePoolSaturated');
const QUERY_ERRORS = alertName('DatabaseQueryErrors');
const TARGET_DOWN = alertName('TargetDown');
const TARGET_ABSENT = alertName('TargetAbsent');

/** The file's stack, started by the first test that needs it; undefined when tools are missing (skipped). */
const runFor = alertProofPerFile('alert proof, part 2 (cause alerts)', {
  forOverride: FOR_OVERRIDE,
  serviceEnv: { DB_POOL_MAX: String(FAULT_SIZES.poolMax) },
  traffic: TRAFFIC,
});

function servicePid(stack: LocalStack): number {
  const pid = stack.pids()['items-api'];
  assert.ok(pid, 'the service process is not running');
  return pid;
}

/** Runs `prove` with the outage `begin` starts, and always ends the outage. */
async function during(begin: () => Outage | Promise<Outage>, prove: (outage: () => Promise<number>) => Promise<unknown>): Promise<void> {
  let outage: Outage | undefined;
  try {
    await prove(async () => {
      outage = await begin();
      return Date.now();
    });
  } finally {
    await outage?.end();
  }
}

// (f) runs before (e): CPU starvation on a loaded, busy machine can queue callers on the small pool
// long enough to fire the pool alert itself, and an alert already firing sends no new notification.
test('(f) slow queries on a pool smaller than the callers fire the pool saturation alert', async (t) => {
  const run = await runFor(t);
  if (!run) return;
  assert.deepEqual(await run.active([POOL_SATURATED]), [], `${POOL_SATURATED} before the fault`);
  try {
    await run.proveFiring([POOL_SATURATED], () => run.stack.setFaults({ dbDelayMs: FAULT_SIZES.poolDbDelayMs }).then(() => undefined));
    const pending = await run.stack.prometheus.query(`max_over_time(${METRICS.dbPoolPendingAcquires.name}[1m])`);
    t.diagnostic(`pending acquires, max over the last minute: ${pending.map((s) => s.value).join(', ')}`);
  } finally {
    await run.stack.setFaults({ dbDelayMs: 0 });
  }
});

test('(e) CPU starvation fires the event-loop lag alert', async (t) => {
  const run = await runFor(t);
  if (!run) return;
  // The stall period is not the scrape interval: prom-client resets its event-loop histogram at
  // every scrape, and a stall that a scrape ends is lost (the timer's next delay is measured from
  // the reset). Stalls in step with the scrapes would stay invisible; real starvation is not in step.
  await during(
    () => starveProcess(servicePid(run.stack), { stoppedMs: FAULT_SIZES.starveStoppedMs, periodMs: FAULT_SIZES.starvePeriodMs }),
    (begin) => run.proveFiring([EVENT_LOOP_LAG], begin),
  );
});

test("(g) failing queries (the service's table renamed away) fire the query errors alert", async (t) => {
  const run = await runFor(t);
  if (!run) return;
  assert.deepEqual(await run.active([QUERY_ERRORS]), [], `${QUERY_ERRORS} before the fault`);
  await during(
    () => hideTable(run.stack.databaseUrl),
    (begin) => run.proveFiring([QUERY_ERRORS], begin),
  );
});

test('(h) a hung process fires target down and target absent; running again, both resolve', async (t) => {
  const run = await runFor(t);
  if (!run) return;
  assert.deepEqual(await run.active([TARGET_DOWN, TARGET_ABSENT]), [], 'target alerts before the fault');
  const hang = { outage: undefined as Outage | undefined };
  try {
    await run.proveFiring([TARGET_DOWN, TARGET_ABSENT], async () => {
      hang.outage = hangProcess(servicePid(run.stack));
    });
    await run.proveResolved([TARGET_DOWN, TARGET_ABSENT], () => hang.outage?.end() ?? Promise.resolve(), 'the process runs again (SIGCONT)');
  } finally {
    await hang.outage?.end();
  }
});
