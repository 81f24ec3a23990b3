/**
 * The Node.js versions this project supports are stated once: `engines.node` in package.json.
 * This module reads that range for everything that checks against it: the test that every
 * installed package accepts every supported version (so `npm ci` never warns EBADENGINE), and
 * CI's check that it runs on the floor (`.ci/run` runs this file).
 *
 * Usage: node --import tsx scripts/node-support.ts   (exit 1 when the running Node is not on the floor)
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';

const ROOT = path.resolve(import.meta.dirname, '..');

interface PackageJson {
  readonly engines?: { readonly node?: string };
}

interface LockEntry {
  readonly version?: string;
  readonly engines?: { readonly node?: string };
}

/** `engines.node` of package.json: the supported versions. */
export function supportedNodeRange(packageJson: PackageJson = readJson<PackageJson>('package.json')): string {
  const range = packageJson.engines?.node;
  if (!range || semver.validRange(range) === null) throw new Error(`package.json engines.node must be a semver range, got: ${String(range)}`);
  return range;
}

/** The lowest supported version: the one CI runs on, so that "supported" means "tested". */
export function nodeFloor(range: string): semver.SemVer {
  const floor = semver.minVersion(range);
  if (!floor) throw new Error(`engines.node ${range} admits no version`);
  return floor;
}

export interface EngineConflict {
  readonly name: string;
  readonly version: string;
  readonly engines: string;
}

/**
 * Installed packages (from package-lock.json) whose own `engines.node` refuses some version our
 * range supports: each one is an EBADENGINE warning on that version, and a tool that may not run.
 */
export function engineConflicts(range: string, lock: { readonly packages: Readonly<Record<string, LockEntry>> }): EngineConflict[] {
  const conflicts: EngineConflict[] = [];
  for (const [key, entry] of Object.entries(lock.packages)) {
    const node = entry.engines?.node;
    if (key === '' || node === undefined || semver.subset(range, node)) continue;
    conflicts.push({ name: key.replace(/^.*node_modules\//, ''), version: entry.version ?? '?', engines: node });
  }
  return conflicts;
}

/** Whether `running` is a supported version on the floor's release line, and the line CI prints. */
export function floorCheck(running: string, range: string): { readonly ok: boolean; readonly message: string } {
  const floor = nodeFloor(range);
  const version = semver.parse(running);
  if (!version) return { ok: false, message: `cannot parse the running Node version ${running}` };
  const onFloorLine = version.major === floor.major;
  const supported = semver.satisfies(version, range);
  const where = `Node ${version.version}; supported (package.json engines.node): ${range}; floor: ${floor.version}`;
  if (supported && onFloorLine) return { ok: true, message: `${where}: on the floor's release line (${floor.major}.x)` };
  if (!supported) return { ok: false, message: `${where}: this Node version is not supported` };
  return { ok: false, message: `${where}: CI must run on the floor's release line (${floor.major}.x), or engines.node must move its floor up` };
}

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(path.join(ROOT, file), 'utf8')) as T;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { ok, message } = floorCheck(process.version, supportedNodeRange());
  console.log(message);
  process.exitCode = ok ? 0 : 1;
}
