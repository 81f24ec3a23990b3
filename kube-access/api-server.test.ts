/** loadKubeConfig: the kind context for the cluster targets, the current context for `make load`, and no silent fallback. */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { loadKubeConfig } from './api-server.js';
import { KIND } from '../cluster/locations.js';

let dir: string;
const saved = process.env.KUBECONFIG;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'kube-'));
});
afterEach(() => {
  if (saved === undefined) delete process.env.KUBECONFIG;
  else process.env.KUBECONFIG = saved;
});
after(() => rm(dir, { recursive: true, force: true }));

/** A kubeconfig with one context, `other`, current. */
async function otherCluster(): Promise<string> {
  const file = path.join(dir, 'other');
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'other', cluster: { server: 'https://10.0.0.1:6443' } }],
    users: [{ name: 'other', user: { token: 't' } }],
    contexts: [{ name: 'other', context: { cluster: 'other', user: 'other' } }],
    'current-context': 'other',
  };
  await writeFile(file, JSON.stringify(config));
  return file;
}

describe('loadKubeConfig', () => {
  test('no context named: the current one of KUBECONFIG', async () => {
    process.env.KUBECONFIG = await otherCluster();
    const kc = loadKubeConfig();
    assert.equal(kc.getCurrentContext(), 'other');
    assert.equal(kc.getCurrentCluster()?.server, 'https://10.0.0.1:6443');
  });

  test('no kubeconfig at all: one clear error, not client-node\'s fallback to localhost:8080', () => {
    process.env.KUBECONFIG = path.join(dir, 'absent');
    assert.throws(() => loadKubeConfig(), /^Error: no current Kubernetes context in .*absent: run `make kind-up` or set KUBECONFIG$/);
  });

  test('a named context the kubeconfig lacks is an error naming it', async () => {
    process.env.KUBECONFIG = await otherCluster();
    assert.throws(() => loadKubeConfig(KIND), new RegExp(`has no context "${KIND.context}": create the cluster with \`make kind-up\``));
  });
});
