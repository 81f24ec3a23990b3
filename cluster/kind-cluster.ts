/** The kind cluster itself: created when absent (never recreated), deleted on request. */
import type { Run } from './commands.js';

export interface KindClusterOptions {
  readonly name: string;
  readonly configFile: string;
  /** kindest/node image; kind's default for the installed kind when absent. */
  readonly nodeImage?: string;
  readonly log: (line: string) => void;
}

/** kind runs its nodes as Docker containers: a stopped daemon is the most common first failure. */
export async function ensureDockerDaemon(run: Run): Promise<void> {
  const info = await run('docker', ['info', '--format', '{{.ServerVersion}}'], { capture: true, allowFailure: true, quiet: true });
  if (info.code !== 0) {
    const reason = info.stderr.trim().split('\n').pop() ?? '';
    throw new Error(`Docker is installed but its daemon does not answer (docker info: ${reason || `exit ${info.code}`}): start Docker, then retry`);
  }
}

/** Names of the kind clusters on this machine. */
export async function kindClusters(run: Run): Promise<string[]> {
  const { stdout } = await run('kind', ['get', 'clusters'], { capture: true });
  return stdout
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

/**
 * Creates the cluster unless one of that name exists, then (re)writes its kubeconfig context, so a
 * second `make kind-up` keeps the cluster and still finds it.
 */
export async function ensureKindCluster(run: Run, options: KindClusterOptions): Promise<'created' | 'existing'> {
  await ensureDockerDaemon(run);
  const existing = (await kindClusters(run)).includes(options.name);
  if (existing) {
    options.log(`kind cluster "${options.name}" exists: keeping it`);
  } else {
    const image = options.nodeImage ? ['--image', options.nodeImage] : [];
    await run('kind', ['create', 'cluster', '--name', options.name, '--config', options.configFile, ...image, '--wait', '180s']);
  }
  await run('kind', ['export', 'kubeconfig', '--name', options.name]);
  return existing ? 'existing' : 'created';
}

export async function deleteKindCluster(run: Run, name: string, log: (line: string) => void): Promise<void> {
  // Without a daemon `kind get clusters` fails with a multi-line Docker error: say it in one line first.
  await ensureDockerDaemon(run);
  if (!(await kindClusters(run)).includes(name)) {
    log(`no kind cluster "${name}": nothing to delete`);
    return;
  }
  await run('kind', ['delete', 'cluster', '--name', name]);
}
