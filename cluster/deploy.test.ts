/** Which manifests `make deploy` applies, in what order, and as which field manager. */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FIELD_MANAGER } from '../project/constants.js';
import { applyManifests, manifestFiles } from './deploy.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'manifests-'));
});
after(() => rm(dir, { recursive: true, force: true }));

describe('manifestFiles', () => {
  test('the *.k8s.yaml files of the folder, a file defining a Namespace first whatever its name', async () => {
    const out = path.join(dir, 'dist');
    await mkdir(path.join(out, 'templates'), { recursive: true });
    await writeFile(path.join(out, 'a-app.k8s.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: items}\n');
    await writeFile(path.join(out, 'z-namespace.k8s.yaml'), 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: items}\n');
    await writeFile(path.join(out, 'm-db.k8s.yaml'), 'apiVersion: v1\nkind: Secret\nmetadata: {name: db}\n');
    await writeFile(path.join(out, 'notes.yaml'), 'kind: Namespace\n');
    await writeFile(path.join(out, 'templates', 'job.k8s.yaml'), 'kind: Job\n');
    assert.deepEqual(
      (await manifestFiles(out)).map((f) => path.basename(f)),
      ['z-namespace.k8s.yaml', 'a-app.k8s.yaml', 'm-db.k8s.yaml'],
    );
  });

  test('no manifests: an error that says which target writes them', async () => {
    await assert.rejects(manifestFiles(path.join(dir, 'absent')), /no \.k8s\.yaml files in .*absent\/: `make synth` writes them/);
  });
});

describe('applyManifests', () => {
  test('kubectl apply --server-side as the project field manager, the one the load-test launcher applies its ConfigMap with', async () => {
    const out = path.join(dir, 'apply');
    await mkdir(out, { recursive: true });
    await writeFile(path.join(out, '50-loadtest.k8s.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: k6-scripts, namespace: items}\n');
    const calls: (readonly string[])[] = [];
    await applyManifests(async (args) => {
      calls.push(args);
      return { code: 0, stdout: '', stderr: '' };
    }, out);
    // Under kubectl's default manager, apply and the launcher's write conflicted on the k6 scripts.
    assert.deepEqual(calls, [['apply', '--server-side', `--field-manager=${FIELD_MANAGER}`, '-f', path.join(out, '50-loadtest.k8s.yaml')]]);
  });
});
