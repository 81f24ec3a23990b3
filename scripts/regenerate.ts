/**
 * `make generate` (scripts/regenerate.ts): writes every committed generated file (dashboards JSON, rule files, chart
 * files, docs catalogs) from its TypeScript source. `--check` writes nothing and exits 1 on drift.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { allGeneratedFiles, ROOT } from './generated-files.js';

const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });
const files = await allGeneratedFiles();
const drifted: string[] = [];
for (const file of files) {
  const target = path.join(ROOT, file.path);
  const current = await readFile(target, 'utf8').catch(() => undefined);
  if (current === file.content) continue;
  drifted.push(file.path);
  if (!values.check) {
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, file.content);
  }
}
if (values.check && drifted.length > 0) {
  console.error(`generated files out of date (run make generate):\n  ${drifted.join('\n  ')}`);
  process.exit(1);
}
console.log(values.check ? `${files.length} generated files up to date` : `${files.length} generated files, ${drifted.length} rewritten`);
