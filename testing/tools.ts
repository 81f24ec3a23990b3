import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { TestContext } from 'node:test';

const BIN_DIR = path.resolve(import.meta.dirname, '..', 'bin');

/** Absolute path of an external tool: `./bin` first (pinned by `make tools`), then PATH. */
export function findTool(name: string): string | undefined {
  const pinned = path.join(BIN_DIR, name);
  if (existsSync(pinned)) return pinned;
  try {
    return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Resolves the tools a test tier needs. A missing tool skips the test with a loud reason on a
 * developer machine, and fails it in CI (`CI=true`), where `.ci/run` must have installed it.
 */
export function requireTools(t: TestContext, names: readonly string[]): Record<string, string> | undefined {
  const found: Record<string, string> = {};
  const missing: string[] = [];
  for (const name of names) {
    const where = findTool(name);
    if (where) found[name] = where;
    else missing.push(name);
  }
  if (missing.length === 0) return found;
  const reason = `missing tool(s): ${missing.join(', ')} (install: make tools, or apt-get install prometheus prometheus-alertmanager chromium)`;
  if (process.env.CI === 'true') throw new Error(`CI requires ${reason}`);
  console.error(`\n!!! SKIPPED ${t.name}: ${reason}\n`);
  t.skip(reason);
  return undefined;
}
