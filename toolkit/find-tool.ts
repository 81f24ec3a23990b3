import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

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
