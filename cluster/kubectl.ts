/** kubectl and helm pinned to one kubeconfig context, so no step can touch another cluster. */
import type { Run, RunOptions, RunResult } from './commands.js';

export type Kubectl = (args: readonly string[], options?: RunOptions) => Promise<RunResult>;

export const kubectlFor =
  (run: Run, context: string): Kubectl =>
  (args, options) =>
    run('kubectl', ['--context', context, ...args], options);

export type Helm = Kubectl;

export const helmFor =
  (run: Run, context: string): Helm =>
  (args, options) =>
    run('helm', [...args, '--kube-context', context], options);
