/** `helm template` / `helm lint` on the items-api chart, from tests (the real helm binary). */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { type K8sObject, parseManifests } from '../../cdk8s/validation/manifests.js';

const run = promisify(execFile);
export const CHART_PATH = path.resolve(import.meta.dirname, '..', 'items-api');

export interface RenderOptions {
  readonly release?: string;
  readonly namespace?: string;
  /** `--set` pairs (strings, as on the command line). */
  readonly set?: Readonly<Record<string, string>>;
  /** Extra arguments, e.g. `--skip-tests`. */
  readonly args?: readonly string[];
}

export interface HelmResult {
  readonly ok: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

export async function helm(binary: string, args: readonly string[]): Promise<HelmResult> {
  try {
    const { stdout, stderr } = await run(binary, [...args], { timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
    return { ok: true, stdout, stderr };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; code?: number | string };
    if (typeof e.code !== 'number') throw err;
    return { ok: false, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

export function templateArgs(options: RenderOptions = {}): string[] {
  const sets = Object.entries(options.set ?? {}).flatMap(([key, value]) => ['--set', `${key}=${value}`]);
  return ['template', options.release ?? 'items-api', CHART_PATH, '--namespace', options.namespace ?? 'items', ...sets, ...(options.args ?? [])];
}

/** The rendered objects; throws with helm's message when rendering fails. */
export async function helmTemplate(binary: string, options: RenderOptions = {}): Promise<K8sObject[]> {
  const result = await helm(binary, templateArgs(options));
  if (!result.ok) throw new Error(`helm template failed: ${result.stderr.trim()}`);
  return parseManifests(result.stdout, 'helm template');
}
