/**
 * Which cluster the cluster targets talk to: the kind cluster (`make kind-up`, the default) or the
 * simulated one (`make sim-up`, `CLUSTER=sim`). Every kubectl/helm call and API client is pinned
 * to the target's context, and for the simulated cluster to its own kubeconfig file, so no target
 * ever follows the user's current context into another cluster.
 */
import path from 'node:path';
import { KIND_CLUSTER, SIM_CLUSTER } from '../project/constants.js';

export type ClusterKind = 'kind' | 'sim';

export interface ClusterTarget {
  readonly kind: ClusterKind;
  /** The cluster's name (kind's `--name`, kwokctl's `--name`). */
  readonly name: string;
  readonly context: string;
  /** The kubeconfig file holding `context`; undefined: KUBECONFIG or ~/.kube/config. */
  readonly kubeconfig?: string;
  /** How to create this cluster, for messages. */
  readonly createWith: string;
  /**
   * Whether pods really run. Under kwok they are simulated: images are never pulled, containers
   * never start, so nothing inside (Prometheus, Grafana, k6) can answer.
   */
  readonly podsRun: boolean;
}

/** Where the simulated cluster keeps its state: SIM_HOME, else `.local/sim` under the repository. */
export const simHome = (env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string => path.resolve(cwd, env.SIM_HOME || SIM_CLUSTER.home);

export const simKubeconfig = (home: string): string => path.join(home, 'kubeconfig');

export const KIND_TARGET: ClusterTarget = {
  kind: 'kind',
  name: KIND_CLUSTER.name,
  context: KIND_CLUSTER.context,
  createWith: '`make kind-up`',
  podsRun: true,
};

export const simTarget = (home: string): ClusterTarget => ({
  kind: 'sim',
  name: SIM_CLUSTER.name,
  context: SIM_CLUSTER.context,
  kubeconfig: simKubeconfig(home),
  createWith: '`make sim-up`',
  podsRun: false,
});

/** The target named by CLUSTER (`kind`, the default, or `sim`); anything else is refused. */
export function clusterTarget(env: NodeJS.ProcessEnv = process.env): ClusterTarget {
  const name = env.CLUSTER || 'kind';
  if (name === 'kind') return KIND_TARGET;
  if (name === 'sim') return simTarget(simHome(env));
  throw new Error(`CLUSTER=${name} is not a cluster of this project: use CLUSTER=kind (make kind-up, the default) or CLUSTER=sim (make sim-up)`);
}

/** `--kubeconfig <file> --context <ctx>` for kubectl (helm spells the context flag differently). */
export const kubeconfigArgs = (target: ClusterTarget): string[] => (target.kubeconfig ? ['--kubeconfig', target.kubeconfig] : []);
