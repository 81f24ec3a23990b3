/**
 * TEST DOUBLES of the docker, kind, kubectl and helm commands (no Docker engine or cluster runs
 * here): recording stand-ins, put first on a hermetic PATH, that append their argv (and stdin, and
 * what the files named by `-f` held at that moment) to a log and answer from a rule table the test
 * writes. Everything else on that PATH is a real tool (node, make's shell utilities).
 */
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { findOnPath } from '../preflight.js';

export type StandinTool = 'docker' | 'kind' | 'kubectl' | 'helm';

export interface StandinRule {
  readonly tool: StandinTool;
  /** Regular expression tested against the arguments joined by spaces. */
  readonly match: string;
  readonly stdout?: string;
  readonly stderr?: string;
  readonly code?: number;
  /** Keep running until SIGINT/SIGTERM, then log a `stopped` entry and exit 0 (port-forward). */
  readonly block?: boolean;
}

export interface StandinCall {
  readonly tool: StandinTool;
  readonly args: string[];
  readonly stdin: string;
  /** For each `-f <file>` argument: the file's modification time and first 300 characters then. */
  readonly files: { path: string; mtimeMs: number; head: string }[];
  /** `stopped` for a blocking stand-in that received a signal. */
  readonly event?: 'stopped';
  readonly signal?: string;
}

// CommonJS (the temp dir has no package.json); runs under the real node.
const STANDIN_SOURCE = `#!/usr/bin/env node
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const tool = path.basename(process.argv[1]);
const args = process.argv.slice(2);
const dir = process.env.STANDIN_DIR;
const log = (entry) => fs.appendFileSync(path.join(dir, 'calls.jsonl'), JSON.stringify({ tool, args, ...entry }) + '\\n');
let stdin = '';
const files = [];
let startLogged = false;
const logStart = () => { if (!startLogged) { startLogged = true; log({ stdin, files }); } };
// Handlers first: a signal at any later point still leaves a start entry and a stopped entry.
const stop = (signal) => { logStart(); log({ stdin: '', files: [], event: 'stopped', signal }); process.exit(0); };
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
try { stdin = fs.readFileSync(0, 'utf8'); } catch { /* no stdin */ }
args.forEach((arg, i) => {
  const file = args[i + 1];
  if (arg === '-f' && file && file !== '-' && fs.existsSync(file) && fs.statSync(file).isFile()) {
    files.push({ path: file, mtimeMs: fs.statSync(file).mtimeMs, head: fs.readFileSync(file, 'utf8').slice(0, 300) });
  }
});
logStart();
const rules = JSON.parse(fs.readFileSync(path.join(dir, 'rules.json'), 'utf8'));
const rule = rules.find((r) => r.tool === tool && new RegExp(r.match).test(args.join(' '))) || {};
if (rule.stdout) process.stdout.write(rule.stdout);
if (rule.stderr) process.stderr.write(rule.stderr);
if (rule.block) {
  setInterval(() => {}, 1000);
} else {
  process.exitCode = rule.code || 0;
}
`;

/** Real tools make recipes and the stand-ins may need; nothing that talks to Docker or a cluster. */
const SYSTEM_TOOLS = ['bash', 'sh', 'env', 'mkdir', 'rm', 'cp', 'mv', 'cat', 'ls', 'test', 'touch', 'chmod', 'dirname', 'basename', 'sed', 'grep', 'tr', 'head', 'tail', 'sort', 'uname', 'date', 'true', 'false'];

export interface Standins {
  /** PATH for the run: the stand-ins, then the real system tools above, then node_modules/.bin. */
  readonly path: string;
  /** Environment the stand-ins need (merge into the child's env). */
  readonly env: Record<string, string>;
  setRules(rules: readonly StandinRule[]): Promise<void>;
  calls(): Promise<StandinCall[]>;
}

export async function createStandins(dir: string, tools: readonly StandinTool[], rootDir: string): Promise<Standins> {
  const bin = path.join(dir, 'standins');
  const sys = path.join(dir, 'system');
  await mkdir(bin, { recursive: true });
  await mkdir(sys, { recursive: true });
  for (const tool of tools) await writeFile(path.join(bin, tool), STANDIN_SOURCE, { mode: 0o755 });
  await symlink(process.execPath, path.join(sys, 'node'));
  for (const name of SYSTEM_TOOLS) {
    const real = findOnPath(name);
    if (real) await symlink(real, path.join(sys, name));
  }
  await writeFile(path.join(dir, 'calls.jsonl'), '');
  await writeFile(path.join(dir, 'rules.json'), '[]');
  return {
    path: [bin, sys, path.join(rootDir, 'node_modules', '.bin')].join(path.delimiter),
    env: { STANDIN_DIR: dir },
    setRules: (rules) => writeFile(path.join(dir, 'rules.json'), JSON.stringify(rules)),
    calls: async () =>
      (await readFile(path.join(dir, 'calls.jsonl'), 'utf8'))
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as StandinCall),
  };
}
