import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import semver from 'semver';
import { engineConflicts, floorCheck, nodeFloor, supportedNodeRange } from './node-support.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const read = (file: string) => readFile(path.join(ROOT, file), 'utf8');
const range = supportedNodeRange();

describe('the supported Node.js versions (package.json engines.node)', () => {
  test('every installed package accepts every supported version, so npm ci warns no EBADENGINE', async () => {
    const lock = JSON.parse(await read('package-lock.json')) as Parameters<typeof engineConflicts>[1];
    assert.deepEqual(engineConflicts(range, lock), [], `packages refusing part of ${range}: pin versions that accept it, or narrow engines.node`);
  });

  test('the Node running these tests is a supported version', () => {
    assert.ok(semver.satisfies(process.version, range), `${process.version} is outside engines.node ${range}`);
  });

  test('README states the range as engines.node says it', async () => {
    assert.ok((await read('README.md')).includes(`\`${range}\``), `README.md must quote engines.node: \`${range}\``);
  });

  test('the image runs a supported version on the floor\'s release line', async () => {
    const tags = [...(await read('service/Dockerfile')).matchAll(/^FROM node:(\d+(?:\.\d+){0,2})\S*/gm)].map((m) => m[1] ?? '');
    assert.ok(tags.length > 0, 'service/Dockerfile has no FROM node:<version>');
    for (const tag of tags) {
      const version = semver.coerce(tag);
      assert.ok(version && semver.satisfies(version, range), `node:${tag} is outside engines.node ${range}`);
      assert.equal(version.major, nodeFloor(range).major, `node:${tag} is not the floor's release line`);
    }
  });

  test('@types/node describes the floor, so code using a newer Node API does not compile', async () => {
    const pkg = JSON.parse(await read('package.json')) as { devDependencies: Record<string, string> };
    const types = semver.minVersion(pkg.devDependencies['@types/node'] ?? '');
    assert.equal(types?.major, nodeFloor(range).major);
  });
});

describe('engineConflicts(range, lock)', () => {
  const lock = (engines: string) => ({ packages: { '': {}, 'node_modules/a/node_modules/dep': { version: '1.0.0', engines: { node: engines } } } });

  test('reports a package that refuses the floor', () =>
    assert.deepEqual(engineConflicts('^20.19.0 || >=22', lock('>=22')), [{ name: 'dep', version: '1.0.0', engines: '>=22' }]));

  test('reports a package that refuses a version above the floor', () =>
    assert.equal(engineConflicts('>=20.19.0', lock('^20.19.0 || >=24')).length, 1));

  test('accepts a package whose range covers ours', () => assert.deepEqual(engineConflicts('^20.19.0 || >=24', lock('>=18')), []));
});

describe('floorCheck(running, range): what .ci/run prints and enforces', () => {
  const cases: { name: string; running: string; ok: boolean; says: RegExp }[] = [
    { name: 'a supported version on the floor line passes', running: 'v20.20.2', ok: true, says: /on the floor's release line \(20\.x\)/ },
    { name: 'a supported version above the floor line fails: CI would not test the floor', running: 'v22.13.0', ok: false, says: /CI must run on the floor's release line/ },
    { name: 'an unsupported version on the floor line fails', running: 'v20.18.0', ok: false, says: /not supported/ },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const result = floorCheck(c.running, '^20.19.0 || ^22.13.0 || >=24');
      assert.equal(result.ok, c.ok);
      assert.match(result.message, c.says);
      assert.match(result.message, /floor: 20\.19\.0/);
    });
  }
});

describe('CI checks its Node version against the floor', () => {
  test('.ci/run runs the check after installing packages and before make test', async () => {
    const lines = (await read('.ci/run')).split('\n');
    const at = (pattern: RegExp) => lines.findIndex((line) => pattern.test(line));
    const check = at(/^node --import tsx scripts\/node-support\.ts$/);
    assert.ok(check > at(/^npm ci\b/) && at(/^npm ci\b/) >= 0, 'the check runs after npm ci (it needs tsx and semver)');
    assert.ok(check < at(/^make test$/), 'the check runs before make test');
  });

  test('scripts/node-support.ts prints the running version, the range and the floor, and exits as floorCheck decides', async () => {
    const expected = floorCheck(process.version, range);
    const run = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/node-support.ts'], { cwd: ROOT }).then(
      (r) => ({ code: 0, stdout: r.stdout }),
      (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
    );
    assert.equal(run.stdout.trim(), expected.message);
    assert.equal(run.code, expected.ok ? 0 : 1);
  });
});
