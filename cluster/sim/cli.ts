/**
 * `node --import tsx cluster/sim/cli.ts <up|down|status>`: the simulated cluster's steps behind
 * `make sim-up`, `sim-down`, `sim-status` (mk/sim.mk). The sim home is `.local/sim` unless
 * SIM_HOME names another directory (the tests give each run its own). Exit codes: 0 done,
 * 1 failed (one `error:` line), 2 usage, 3 (status) not running.
 */
import path from 'node:path';
import { createRunner } from '../commands.js';
import { KIND } from '../locations.js';
import { simHome, simTarget } from '../../kube-access/target.js';
import { type SimContext, simDown, simStatus, simUp } from './sim-cluster.js';
import { errorMessage } from '../../toolkit/error-message.js';

const log = (line: string): void => console.log(line);
const home = simHome();
const ctx: SimContext = {
  run: createRunner(log),
  target: simTarget(home),
  home,
  binDir: path.resolve('bin'),
  kindConfigFile: KIND.configFile,
  log,
};

const STEPS: Record<string, () => Promise<number>> = {
  async up() {
    const how = await simUp(ctx);
    log(`simulated cluster "${ctx.target.name}" ${how === 'created' ? 'created' : 'running'}: kubectl --kubeconfig ${ctx.target.kubeconfig} --context ${ctx.target.context} get nodes`);
    return 0;
  },
  async down() {
    await simDown(ctx);
    return 0;
  },
  async status() {
    const { code, lines } = await simStatus(ctx);
    for (const line of lines) log(line);
    return code;
  },
};

const name = process.argv[2] ?? '';
const step = STEPS[name];
if (!step) {
  console.error(`usage: node --import tsx cluster/sim/cli.ts <${Object.keys(STEPS).join('|')}>`);
  process.exit(2);
}
step().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`error: ${errorMessage(error)}`);
    process.exit(1);
  },
);
