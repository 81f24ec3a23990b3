/**
 * Moving a finished run into screenshots/: the staged PNGs replace the committed ones, PNGs no
 * shot names any more go, and the README is rewritten. Only called once every local shot exists.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SHOTS } from './catalog.js';
import { renderReadme, type RunFacts, type RunSettings } from './readme.js';

export interface PublishResult {
  readonly copied: string[];
  readonly removed: string[];
}

export async function publish(stagingDir: string, targetDir: string, readmeFile: string, settings: RunSettings, facts: RunFacts): Promise<PublishResult> {
  await mkdir(targetDir, { recursive: true });
  const staged = new Set((await readdir(stagingDir)).filter((f) => f.endsWith('.png')));
  const known = new Set(SHOTS.map((s) => s.file));
  const unknown = [...staged].filter((f) => !known.has(f));
  if (unknown.length > 0) throw new Error(`staged PNGs no shot names: ${unknown.join(', ')}`);
  const copied: string[] = [];
  for (const file of staged) {
    await copyFile(path.join(stagingDir, file), path.join(targetDir, file));
    copied.push(file);
  }
  const removed: string[] = [];
  for (const file of await readdir(targetDir)) {
    if (file.endsWith('.png') && !known.has(file)) {
      await rm(path.join(targetDir, file));
      removed.push(file);
    }
  }
  await writeFile(readmeFile, renderReadme((file) => existsSync(path.join(targetDir, file)), settings, facts));
  return { copied, removed };
}
