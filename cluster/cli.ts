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
import { applyManifests, waitForAutoscalerMinimum, waitForRollouts } from './deploy.js';
import { buildAndLoadImage } from './image.js';
import { deleteKindCluster, ensureKindCluster } from './kind-cluster.js';
import { helmFor, kubectlFor } from './kubectl.js';
import { installMonitoringStack } from './monitoring-stack.js';
import { portForwardAll } from './port-forward.js';
import { isTool, missingToolLines, TOOL_HINTS } from './preflight.js';
import { STACK } from '../project/kube-prometheus-stack.js';
import { GRAFANA_ADMIN_SECRET, KIND, PORT_FORWARDS } from './locations.js';
import { clusterTarget, simHome } from '../kube-access/target.js';
import { errorMessage } from '../toolkit/error-message.js';

const log = (line: string): void => console.log(line);
const run = createRunner(log);
/** CLUSTER=sim points every step at the simulated cluster (make sim-up); the default is kind. */
const target = clusterTarget();
const kubectl = kubectlFor(run, target);
/** Tools that only serve kind (its nodes are Docker containers): the simulated cluster needs neither. */
const KIND_ONLY_TOOLS: ReadonlySet<string> = new Set(['docker', 'kind']);

type Step = (args: string[]) => Promise<number>;

const STEPS: Record<string, { readonly usage: string; readonly step: Step }> = {
  preflight: {
    usage: 'preflight <tool>...   check that each tool (docker, kind, kubectl, helm) is on PATH',
    async step(args) {
      const unknown = args.filter((a) => !isTool(a));
      if (unknown.length > 0) throw new Error(`preflight: unknown tool(s) ${unknown.join(', ')}; known: ${Object.keys(TOOL_HINTS).join(', ')}`);
      const lines = missingToolLines(args.filter(isTool).filter((tool) => target.kind === 'kind' || !KIND_ONLY_TOOLS.has(tool)));
      for (const line of lines) console.error(line);
      return lines.length === 0 ? 0 : 1;
    },
  },
  'cluster-up': {
    usage: 'cluster-up [--node-image kindest/node:vX]   create the kind cluster unless it exists',
    async step(args) {
      refuseUnlessKind('cluster-up', '`make sim-up`');
      const { values } = parseArgs({ args, options: { 'node-image': { type: 'string' } } });
      await ensureKindCluster(run, { name: KIND.name, configFile: KIND.configFile, nodeImage: values['node-image'] || undefined, log });
      return 0;
    },
  },
  'cluster-down': {
    usage: 'cluster-down   delete the kind cluster',
    async step() {
      refuseUnlessKind('cluster-down', '`make sim-down`');
      await deleteKindCluster(run, KIND.name, log);
      return 0;
    },
  },
  'stack-up': {
    usage: 'stack-up   install or upgrade kube-prometheus-stack (pinned) and wait for it',
    async step() {
      if (target.kind === 'kind') {
        await installMonitoringStack({ kubectl, helm: helmFor(run, target), log });
        return 0;
      }
      const [{ operatorFiles, startOperatorLike }, { loadKubeConfig }] = await Promise.all([import('./sim/operator.js'), import('../kube-access/api-server.js')]);
      await installMonitoringStack({
        kubectl,
        helm: helmFor(run, target),
        log,
        helmTimeout: '5m',
        extraValuesFiles: [STACK.simulatedValuesFile],
        afterInstall: async () => {
          await startOperatorLike(kubectl, {
            namespace: STACK.namespace,
            deployment: STACK.operatorDeployment,
            binary: 'bin/prometheus-operator',
            kubeConfig: loadKubeConfig(target),
            files: operatorFiles(simHome()),
            log,
          });
        },
      });
      return 0;
    },
  },
  image: {
    usage: 'image   build the items-api image and load it into the kind nodes',
    async step() {
      if (!target.podsRun) {
        log(`the ${target.kind} cluster runs no containers: no image to build or load`);
        return 0;
      }
      await buildAndLoadImage(run, KIND.name);
      return 0;
    },
  },
  apply: {
    usage: 'apply [--dir dist]   kubectl apply --server-side the synthesized manifests, wait for the rollouts',
    async step(args) {
      const { values } = parseArgs({ args, options: { dir: { type: 'string', default: SYNTH_OUTDIR } } });
      await applyManifests(kubectl, values.dir ?? SYNTH_OUTDIR);
      await waitForAutoscalerMinimum(kubectl, APP_NAMESPACE, { log });
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
        import('../kube-access/api-server.js'),
        import('./expectations.js'),
        import('./post-deploy-check.js'),
      ]);
      const kc = loadKubeConfig(target);
      const checks = projectChecks(kc, projectExpectations(), target);
      const outcome = await runPostDeployCheck({ checks, timeoutMs: seconds('timeout'), intervalMs: seconds('interval'), log });
      return outcome.ok ? 0 : 1;
    },
  },
  access: {
    usage: 'access   print the URLs (after make port-forward) and the Grafana login',
    async step() {
      const [{ CoreV1Api }, { loadKubeConfig }, { readGrafanaCredentials }] = await Promise.all([
        import('@kubernetes/client-node'),
        import('../kube-access/api-server.js'),
        import('./checks/grafana.js'),
      ]);
      const credentials = await (async () => readGrafanaCredentials(loadKubeConfig(target).makeApiClient(CoreV1Api), GRAFANA_ADMIN_SECRET))().catch(
        (error: unknown) => {
          console.error(`could not read the Grafana password: ${errorMessage(error)}`);
          return undefined;
        },
      );
      for (const line of accessLines(credentials)) log(line);
      return 0;
    },
  },
  'port-forward': {
    usage: 'port-forward   forward the API, Prometheus, Grafana and Alertmanager to localhost until Ctrl-C',
    async step() {
      const [{ loadKubeConfig }, { portForwardProblems }] = await Promise.all([import('../kube-access/api-server.js'), import('./port-forward.js')]);
      const problems = await portForwardProblems(loadKubeConfig(target), PORT_FORWARDS, target.createWith);
      if (problems.length > 0) throw new Error(problems.join('\n'));
      if (!target.podsRun) {
        log(`every Service to forward exists, but the ${target.kind} cluster runs no containers: there is nothing behind them to forward to`);
        return 0;
      }
      return portForwardAll({ context: target.context, ...(target.kubeconfig ? { kubeconfig: target.kubeconfig } : {}), forwards: PORT_FORWARDS, log });
    },
  },
};

/** kind's own steps: on the simulated cluster they would act on a cluster that is not the one meant. */
function refuseUnlessKind(step: string, instead: string): void {
  if (target.kind !== 'kind') throw new Error(`${step} acts on the kind cluster "${KIND.name}" only, and CLUSTER=${target.kind}: use ${instead}`);
}

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
    console.error(`error: ${errorMessage(error)}`);
    process.exit(1);
  },
);
