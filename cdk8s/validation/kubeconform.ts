/**
 * kubeconform with offline schemas: the strict schemas of type-schema.ts written as one JSON
 * Schema file per kind (named as the `-schema-location` template below expects). No network:
 * kubeconform never sees a URL, only this folder.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runTool } from '../../toolkit/run-tool.js';
import { strictSchemas } from './type-schema.js';

/** kubeconform's template data: `Group` is the part before `/` (`v1` for the core group). */
const SCHEMA_TEMPLATE = '{{ .ResourceKind }}_{{ .Group }}_{{ .ResourceAPIVersion }}.json';

function schemaFileName(key: string): string {
  const parts = key.split('/');
  const kind = parts.pop() as string;
  const version = parts.at(-1) as string;
  const group = parts.length > 1 ? (parts[0] as string) : version;
  return `${kind.toLowerCase()}_${group}_${version}.json`;
}

/** Writes the schema folder and returns it with a cleanup function. */
export async function writeKubeconformSchemas(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'items-kubeconform-'));
  const { roots, definitions } = strictSchemas();
  await Promise.all(
    [...roots].map(([key, root]) =>
      writeFile(path.join(dir, schemaFileName(key)), JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', ...root, definitions })),
    ),
  );
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export interface KubeconformResult {
  readonly ok: boolean;
  /** kubeconform's own lines (one per invalid resource), for assertion messages. */
  readonly output: string;
}

/** Runs `kubeconform -strict -summary` on files or folders against the offline schemas. */
export async function kubeconform(binary: string, schemaDir: string, inputs: readonly string[]): Promise<KubeconformResult> {
  const args = ['-strict', '-summary', '-schema-location', path.join(schemaDir, SCHEMA_TEMPLATE), ...inputs];
  const { code, stdout, stderr } = await runTool(binary, args, 60_000);
  return { ok: code === 0, output: stdout + stderr };
}
