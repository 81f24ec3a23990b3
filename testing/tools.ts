import type { TestContext } from 'node:test';
import { findTool } from '../toolkit/find-tool.js';

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
