/**
 * The project's manifests into the cluster: `kubectl apply --server-side` of what `make synth`
 * wrote (server-side because large objects, dashboard ConfigMaps above all, outgrow the 256 KiB
 * annotation client-side apply keeps its last-applied copy in), then a rollout wait per workload.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { MANIFEST_EXTENSION } from '../cdk8s/output.js';
import type { Kubectl } from './kubectl.js';

const definesNamespace = (text: string): boolean =>
  parseAllDocuments(text).some((doc) => {
    const value: unknown = doc.toJS();
    return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'Namespace';
  });

/**
 * The manifest files in apply order: by name, except that files defining a Namespace go first, so
 * the namespace exists before the objects that live in it whatever the file names are.
 */
export async function manifestFiles(dir: string): Promise<string[]> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((name) => name.endsWith(MANIFEST_EXTENSION)).sort();
  if (names.length === 0) throw new Error(`no ${MANIFEST_EXTENSION} files in ${dir}/: \`make synth\` writes them`);
  const files = names.map((name) => path.join(dir, name));
  const withNamespace = await Promise.all(files.map(async (file) => definesNamespace(await readFile(file, 'utf8'))));
  return [...files.filter((_, i) => withNamespace[i]), ...files.filter((_, i) => !withNamespace[i])];
}

export async function applyManifests(kubectl: Kubectl, dir: string): Promise<void> {
  const files = await manifestFiles(dir);
  await kubectl(['apply', '--server-side', ...files.flatMap((file) => ['-f', file])]);
}

/** Waits for every Deployment and StatefulSet of the namespace to finish rolling out. */
export async function waitForRollouts(kubectl: Kubectl, namespace: string, timeout = '300s'): Promise<void> {
  const { stdout } = await kubectl(['-n', namespace, 'get', 'deployments,statefulsets', '-o', 'name'], { capture: true });
  const workloads = stdout
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  if (workloads.length === 0) throw new Error(`no Deployments or StatefulSets in namespace ${namespace} after apply: do the manifests in dist/ define them?`);
  for (const workload of workloads) {
    await kubectl(['-n', namespace, 'rollout', 'status', workload, `--timeout=${timeout}`]);
  }
}
