import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { GeneratedFile, GeneratedFilesFn } from '../project/generated.js';

export const ROOT = path.resolve(import.meta.dirname, '..');

/** Top-level folders holding a `generate.ts`: the areas that commit generated files. */
async function generatorModules(): Promise<string[]> {
  const entries = await readdir(ROOT, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules')
    .map((e) => path.join(ROOT, e.name, 'generate.ts'))
    .filter((file) => existsSync(file))
    .sort();
}

/**
 * Every area's generated files, by the area whose `generate.ts` writes them. An area may write
 * outside its folder (dashboards and rules go into the chart, which can read nothing elsewhere),
 * so a file's path does not say which area it belongs to.
 */
export async function generatedFilesByArea(): Promise<ReadonlyMap<string, readonly GeneratedFile[]>> {
  const byArea = new Map<string, readonly GeneratedFile[]>();
  for (const modulePath of await generatorModules()) {
    const mod = (await import(pathToFileURL(modulePath).href)) as { generatedFiles?: GeneratedFilesFn };
    if (typeof mod.generatedFiles !== 'function') {
      throw new Error(`${path.relative(ROOT, modulePath)} must export generatedFiles()`);
    }
    byArea.set(path.basename(path.dirname(modulePath)), await mod.generatedFiles());
  }
  return byArea;
}

/** Every generated file of every area, in a stable order; duplicate paths are an error. */
export async function allGeneratedFiles(): Promise<GeneratedFile[]> {
  const files = [...(await generatedFilesByArea()).values()].flat();
  const seen = new Set<string>();
  for (const file of files) {
    if (seen.has(file.path)) throw new Error(`two generators write ${file.path}`);
    seen.add(file.path);
  }
  return files.sort((a, b) => a.path.localeCompare(b.path));
}
