import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Folder of the k6 scenario: flat `.ts` files, the same set locally and in the cluster ConfigMap. */
export const K6_SCRIPTS_SOURCE_DIR = path.resolve(import.meta.dirname, '..', 'k6');

/**
 * The k6 script files by name, read synchronously so a cdk8s construct can call it while
 * synthesizing. Tests (`*.test.ts`) and type-only files are not part of the script.
 */
export function readK6Scripts(dir: string = K6_SCRIPTS_SOURCE_DIR): Record<string, string> {
  const names = readdirSync(dir)
    .filter((n) => n.endsWith('.ts') && !n.endsWith('.test.ts') && !n.endsWith('.d.ts'))
    .sort();
  return Object.fromEntries(names.map((n) => [n, readFileSync(path.join(dir, n), 'utf8')]));
}
