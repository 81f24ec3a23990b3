/**
 * The project's manifests into the cluster: `kubectl apply --server-side` of what `make synth`
 * wrote (server-side because large objects, dashboard ConfigMaps above all, outgrow the 256 KiB
 * annotation client-side apply keeps its last-applied copy in), then a rollout wait per workload.
 * The apply runs as the project's field manager (FIELD_MANAGER), the one the load-test launcher
 * applies the k6 script ConfigMap with: under two managers (kubectl's default `kubectl` here), the
 * first deploy after a `make load` with other scripts failed with "Apply failed with 1 conflict".
 * A cluster deployed before this still lists `kubectl` as co-owner of every field; the first
 * manifest change then conflicts with it once: `kubectl apply --server-side --field-manager=items-api
 * --force-conflicts -f dist/` hands those fields over (or recreate the cluster).
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { parseAllDocuments } from 'yaml';
import { MANIFEST_EXTENSION } from '../cdk8s/output.js';
import { FIELD_MANAGER } from '../project/constants.js';
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
  await kubectl(['apply', '--server-side', `--field-manager=${FIELD_MANAGER}`, ...files.flatMap((file) => ['-f', file])]);
}

interface HpaList {
  readonly items: ReadonlyArray<{ readonly metadata: { readonly name: string }; readonly spec: { readonly minReplicas?: number; readonly scaleTargetRef: { readonly kind: string; readonly name: string } } }>;
}

/**
 * A Deployment scaled by a HorizontalPodAutoscaler carries no `replicas` (a manifest-owned count
 * would conflict with the HPA's writes on the next server-side apply), so it is created with 1
 * and the HPA raises it to its minimum on its next sync (15 s). Waits for that, so the rollout
 * waits below see every replica the HPA asks for.
 */
export async function waitForAutoscalerMinimum(
  kubectl: Kubectl,
  namespace: string,
  options: { readonly attempts?: number; readonly intervalMs?: number; readonly log?: (line: string) => void; readonly sleep?: (ms: number) => Promise<unknown> } = {},
): Promise<void> {
  const sleep = options.sleep ?? delay;
  const { stdout } = await kubectl(['-n', namespace, 'get', 'horizontalpodautoscalers', '-o', 'json'], { capture: true, quiet: true });
  for (const hpa of (JSON.parse(stdout) as HpaList).items.filter((h) => h.spec.scaleTargetRef.kind === 'Deployment')) {
    const min = hpa.spec.minReplicas ?? 1;
    const target = `deployment/${hpa.spec.scaleTargetRef.name}`;
    const attempts = options.attempts ?? 45;
    for (let attempt = 1; ; attempt++) {
      const replicas = Number((await kubectl(['-n', namespace, 'get', target, '-o', 'jsonpath={.spec.replicas}'], { capture: true, quiet: true })).stdout.trim() || '0');
      if (replicas >= min) break;
      if (attempt === 1) options.log?.(`waiting for HorizontalPodAutoscaler ${namespace}/${hpa.metadata.name} to raise ${target} from ${replicas} to its minimum of ${min}`);
      if (attempt >= attempts) {
        throw new Error(`HorizontalPodAutoscaler ${namespace}/${hpa.metadata.name} did not raise ${target} to ${min} replicas: see \`kubectl -n ${namespace} describe hpa ${hpa.metadata.name}\``);
      }
      await sleep(options.intervalMs ?? 2_000);
    }
  }
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
