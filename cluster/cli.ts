/**
 * `node --import tsx cluster/cli.ts <step>`: the steps behind the cluster make targets
 * (mk/kind.mk), one subcommand each, so the recipes stay one line per step. Every step exits 1
 * with one `error:` line when it fails.
 */
import { parseArgs } from 'node:util';
import { SYNTH_OUTDIR } from '../cdk8s/output.js';
import { APP_NAMESPACE } from '../project/constants.js';
import { accessLines } from './access.js';
import { createRunner } from './commands.js';
import { applyManifests, waitForRollouts } from './deploy.js';
import { buildAndLoadImage } from './image.js';
import { deleteKindCluster, ensureKindCluster } from './kind-cluster.js';
import { helmFor, kubectlFor } from './kubectl.js';
import { installMonitoringStack } from './monitoring-stack.js';
import { portForwardAll } from './port-forward.js';
import { isTool, missingToolLines, TOOL_HINTS } from './preflight.js';
import { GRAFANA_ADMIN_SECRET, KIND, PORT_FORWARDS } from './stack.js';

const log = (line: string): void => console.log(line);
const run = createRunner(log);
const kubectl = kubectlFor(run, KIND.context);

type Step = (args: string[]) => Promise<number>;

const STEPS: Record<string, { readonly usage: string; readonly step: Step }> = {
  preflight: {
    usage: 'preflight <tool>...   check that each tool (docker, kind, kubectl, helm) is on PATH',
    async step(args) {
      const unknown = args.filter((a) => !isTool(a));
      if (unknown.length > 0) throw new Error(`preflight: unknown tool(s) ${unknown.join(', ')}; known: ${Object.keys(TOOL_HINTS).join(', ')}`);
      const lines = missingToolLines(args.filter(isTool));
      for (const line of lines) console.error(line);
      return lines.length === 0 ? 0 : 1;
    },
  },
  'cluster-up': {
    usage: 'cluster-up [--node-image kindest/node:vX]   create the kind cluster unless it exists',
    async step(args) {
      const { values } = parseArgs({ args, options: { 'node-image': { type: 'string' } } });
      await ensureKindCluster(run, { name: KIND.name, configFile: KIND.configFile, nodeImage: values['node-image'] || undefined, log });
      return 0;
    },
  },
  'cluster-down': {
    usage: 'cluster-down   delete the kind cluster',
    async step() {
      await deleteKindCluster(run, KIND.name, log);
      return 0;
    },
  },
  'stack-up': {
    usage: 'stack-up   install or upgrade kube-prometheus-stack (pinned) and wait for it',
    async step() {
      await installMonitoringStack({ run, kubectl, helm: helmFor(run, KIND.context), log });
      return 0;
    },
  },
  image: {
    usage: 'image   build the items-api image and load it into the kind nodes',
    async step() {
      await buildAndLoadImage(run, KIND.name);
      return 0;
    },
  },
  apply: {
    usage: 'apply   kubectl apply --server-side the synthesized manifests, wait for the rollouts',
    async step() {
      await applyManifests(kubectl, SYNTH_OUTDIR);
      await waitForRollouts(kubectl, APP_NAMESPACE);
      return 0;
    },
  },
  check: {
    usage: 'check [--timeout seconds] [--interval seconds]   the post-deploy check',
    async step(args) {
      const { values } = parseArgs({ args, options: { timeout: { type: 'string', default: '300' }, interval: { type: 'string', default: '5' } } });
      const seconds = (name: 'timeout' | 'interval'): number => {
        const value = Number(values[name]);
        const min = name === 'interval' ? 0.1 : 0;
        if (!Number.isFinite(value) || value < min) throw new Error(`check: --${name} must be at least ${min} seconds, got "${values[name]}"`);
        return value * 1000;
      };
      // @kubernetes/client-node takes most of a second to load: only the steps that talk to the API server pay for it.
      const [{ loadKubeConfig }, { projectExpectations }, { projectChecks, runPostDeployCheck }] = await Promise.all([
        import('./kube.js'),
        import('./expectations.js'),
        import('./post-deploy-check.js'),
      ]);
      const kc = loadKubeConfig(KIND.context);
      const checks = projectChecks(kc, projectExpectations());
      const outcome = await runPostDeployCheck({ checks, timeoutMs: seconds('timeout'), intervalMs: seconds('interval'), log });
      return outcome.ok ? 0 : 1;
    },
  },
  access: {
    usage: 'access   print the URLs (after make port-forward) and the Grafana login',
    async step() {
      const [{ CoreV1Api }, { loadKubeConfig }, { readGrafanaCredentials }] = await Promise.all([
        import('@kubernetes/client-node'),
        import('./kube.js'),
        import('./checks/grafana.js'),
      ]);
      const credentials = await (async () => readGrafanaCredentials(loadKubeConfig(KIND.context).makeApiClient(CoreV1Api), GRAFANA_ADMIN_SECRET))().catch(
        (error: unknown) => {
          console.error(`could not read the Grafana password: ${error instanceof Error ? error.message : String(error)}`);
          return undefined;
        },
      );
      for (const line of accessLines(credentials)) log(line);
      return 0;
    },
  },
  'port-forward': {
    usage: 'port-forward   forward the API, Prometheus, Grafana and Alertmanager to localhost until Ctrl-C',
    step: () => portForwardAll({ context: KIND.context, forwards: PORT_FORWARDS, log }),
  },
};

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const entry = name ? STEPS[name] : undefined;
  if (!entry) {
    console.error(`usage: node --import tsx cluster/cli.ts <step>\n${Object.values(STEPS)
      .map((s) => `  ${s.usage}`)
      .join('\n')}`);
    return 2;
  }
  return entry.step(args);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
