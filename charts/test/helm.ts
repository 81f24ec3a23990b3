/** `helm template` / `helm lint` on the items-api chart, from tests (the real helm binary). */
import path from 'node:path';
import { type K8sObject, parseManifests } from '../../cdk8s/validation/manifests.js';
import { APP_NAME, APP_NAMESPACE } from '../../project/constants.js';
import { runTool } from '../../toolkit/run-tool.js';

export const CHART_PATH = path.resolve(import.meta.dirname, '..', 'items-api');

export interface RenderOptions {
  /** @default APP_NAME (the chart's name: object names carry no prefix) */
  readonly release?: string;
  /** @default APP_NAMESPACE */
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
  const { code, stdout, stderr } = await runTool(binary, args, 120_000);
  return { ok: code === 0, stdout, stderr };
}

export function templateArgs(options: RenderOptions = {}): string[] {
  const sets = Object.entries(options.set ?? {}).flatMap(([key, value]) => ['--set', `${key}=${value}`]);
  return ['template', options.release ?? APP_NAME, CHART_PATH, '--namespace', options.namespace ?? APP_NAMESPACE, ...sets, ...(options.args ?? [])];
}

/** The rendered objects; throws with helm's message when rendering fails. */
export async function helmTemplate(binary: string, options: RenderOptions = {}): Promise<K8sObject[]> {
  const result = await helm(binary, templateArgs(options));
  if (!result.ok) throw new Error(`helm template failed: ${result.stderr.trim()}`);
  return parseManifests(result.stdout, 'helm template');
}
