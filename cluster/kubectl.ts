/** kubectl and helm pinned to one cluster target (context and kubeconfig), so no step can touch another cluster. */
import type { Run, RunOptions, RunResult } from './commands.js';
import { type ClusterTarget, kubeconfigArgs } from '../kube-access/target.js';

export type Kubectl = (args: readonly string[], options?: RunOptions) => Promise<RunResult>;

export const kubectlFor =
  (run: Run, target: ClusterTarget): Kubectl =>
  (args, options) =>
    run('kubectl', [...kubeconfigArgs(target), '--context', target.context, ...args], options);

export type Helm = Kubectl;

export const helmFor =
  (run: Run, target: ClusterTarget): Helm =>
  (args, options) =>
    run('helm', [...args, ...kubeconfigArgs(target), '--kube-context', target.context], options);
