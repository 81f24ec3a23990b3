/**
 * `make synth`: writes the Kubernetes manifests to dist/ (git-ignored), one file per chart,
 * for `kubectl apply --server-side -f dist/`. Old files are removed first so a renamed chart
 * never leaves a stale file behind to be applied.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createItemsApp, createTemplatesApp } from './app.js';
import { PasswordError, readPostgresPassword } from './database/password-source.js';
import { MANIFEST_EXTENSION, SYNTH_OUTDIR, TEMPLATES_DIR } from './output.js';

const ROOT = path.resolve(import.meta.dirname, '..');
/** `CDK8S_OUTDIR` lets tests synthesize elsewhere; `kubectl apply -f dist/` reads the default. */
const OUTDIR = path.resolve(ROOT, process.env.CDK8S_OUTDIR ?? SYNTH_OUTDIR);
const TEMPLATES_OUTDIR = path.join(OUTDIR, TEMPLATES_DIR);

function clean(dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const name of readdirSync(dir)) {
    if (name.endsWith(MANIFEST_EXTENSION)) rmSync(path.join(dir, name));
  }
}

function main(): void {
  const databasePassword = readPostgresPassword({ root: ROOT });
  clean(OUTDIR);
  clean(TEMPLATES_OUTDIR);
  createItemsApp({ outdir: OUTDIR, databasePassword }).synth();
  createTemplatesApp({ outdir: TEMPLATES_OUTDIR }).synth();
  for (const name of readdirSync(OUTDIR).sort()) if (name.endsWith(MANIFEST_EXTENSION)) console.log(`${path.relative(ROOT, OUTDIR)}/${name}  (applied by kubectl apply -f dist/)`);
  for (const name of readdirSync(TEMPLATES_OUTDIR).sort()) console.log(`${path.relative(ROOT, TEMPLATES_OUTDIR)}/${name}  (not applied: kubectl create -f to run it)`);
}

try {
  main();
} catch (err) {
  console.error(`cdk8s synth: ${err instanceof PasswordError ? err.message : String(err)}`);
  process.exit(1);
}
