/**
 * `make port-forward` (cluster/cli.ts port-forward) with a TEST DOUBLE kubectl that records its
 * argv and blocks like `kubectl port-forward` until signalled: all four forwards start, one
 * SIGINT stops every one, and a forward that dies takes the others down with exit code 1. The
 * preflight before them talks to an API-server TEST DOUBLE here (a kind cluster cannot run);
 * against a real API server it is tested in the simulated-cluster tier.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { KIND, PORT_FORWARDS } from './locations.js';
import { type ApiServerDouble, route, sendJson, startApiServerDouble } from './test-doubles/api-server-base.js';
import { createStandins, type StandinCall, type Standins } from './test-doubles/tool-standins.js';

const ROOT = path.resolve(import.meta.dirname, '..');

let dir: string;
let api: ApiServerDouble;
let kubeconfig: string;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'port-forward-'));
  // The preflight asks /readyz and each Service of PORT_FORWARDS.
  api = await startApiServerDouble([
    route('GET', /^\/readyz$/, (res) => sendJson(res, 200, 'ok')),
    route('GET', /^\/api\/v1\/namespaces\/[^/]+\/services\/[^/]+$/, (res) => sendJson(res, 200, { kind: 'Service' })),
  ]);
  kubeconfig = await api.writeKubeconfig(path.join(dir, 'kubeconfig'));
});
after(async () => {
  await api.close();
  await rm(dir, { recursive: true, force: true });
});

function startPortForward(standins: Standins): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'cluster/cli.ts', 'port-forward'], {
    cwd: ROOT,
    env: { PATH: standins.path, HOME: process.env.HOME ?? tmpdir(), KUBECONFIG: kubeconfig, ...standins.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (c: string) => (output += c));
  child.stderr?.setEncoding('utf8').on('data', (c: string) => (output += c));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return { child, output: () => output, exited };
}

/** Polls the stand-in log until `done` holds (bounded: 30 s). */
async function waitForCalls(standins: Standins, done: (calls: StandinCall[]) => boolean): Promise<StandinCall[]> {
  for (let i = 0; i < 300; i++) {
    const calls = await standins.calls();
    if (done(calls)) return calls;
    await sleep(100);
  }
  throw new Error(`stand-in calls never reached the expected state: ${JSON.stringify(await standins.calls())}`);
}

const started = (calls: StandinCall[]) => calls.filter((c) => c.event === undefined);
const stopped = (calls: StandinCall[]) => calls.filter((c) => c.event === 'stopped');

describe('port-forward (test double kubectl)', () => {
  test('forwards the four services, each by its named Service port, and one SIGINT stops them all', async () => {
    const standins = await createStandins(path.join(dir, 'sigint'), ['kubectl'], ROOT);
    await standins.setRules([{ tool: 'kubectl', match: 'port-forward', block: true }]);
    const pf = startPortForward(standins);
    const calls = await waitForCalls(standins, (c) => started(c).length === PORT_FORWARDS.length);
    assert.deepEqual(
      started(calls)
        .map((c) => c.args.join(' '))
        .sort(),
      PORT_FORWARDS.map((f) => `--context ${KIND.context} -n ${f.namespace} port-forward svc/${f.service} ${f.localPort}:${f.servicePort} --address 127.0.0.1`).sort(),
    );
    pf.child.kill('SIGINT');
    assert.equal(await pf.exited, 0, pf.output());
    const after = await standins.calls();
    assert.equal(stopped(after).length, PORT_FORWARDS.length, 'every kubectl port-forward was stopped');
    assert.match(pf.output(), /stopping every port-forward/);
  });

  test('a forward that fails stops the others and exits 1 naming it', async () => {
    const standins = await createStandins(path.join(dir, 'fails'), ['kubectl'], ROOT);
    await standins.setRules([
      { tool: 'kubectl', match: 'port-forward svc/kube-prometheus-stack-grafana', code: 1, stderr: 'error: unable to listen on port 4040: address already in use\n' },
      { tool: 'kubectl', match: 'port-forward', block: true },
    ]);
    const pf = startPortForward(standins);
    assert.equal(await pf.exited, 1, pf.output());
    assert.match(pf.output(), /\[Grafana\] error: unable to listen on port 4040/);
    assert.match(pf.output(), /port-forward to Grafana ended \(exit 1\): stopping the others/);
    // The others may not all have started before the failure; each one that did was stopped.
    const calls = await standins.calls();
    assert.equal(stopped(calls).length, started(calls).length - 1);
  });
});
