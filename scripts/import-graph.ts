/**
 * The repository's import graph between top-level folders, read with the TypeScript compiler's own
 * import scanner (`ts.preProcessFile`). `node --import tsx scripts/import-graph.ts` prints the
 * folder edges; the test keeps the graph free of loops.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export const ROOT = path.resolve(import.meta.dirname, '..');

export interface ImportEdge {
  /** Importing file, relative to the repository root. */
  from: string;
  /** Imported file, relative to the repository root (`.js` specifiers name `.ts` sources). */
  to: string;
}

/** Every tracked or new TypeScript file of the repository (what git would commit). */
export function sourceFiles(root: string = ROOT): string[] {
  const out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.ts'], { cwd: root, encoding: 'utf8' });
  return out.split('\n').filter((f) => f && !f.endsWith('.d.ts'));
}

/** Relative imports only: packages are not part of the folder graph. */
export function importEdges(files: readonly string[], root: string = ROOT): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const from of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(path.join(root, from), 'utf8'), true, true);
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const to = path.normalize(path.join(path.dirname(from), fileName)).replace(/\.js$/, '.ts');
      edges.push({ from, to });
    }
  }
  return edges;
}

/** Code that runs outside tests: no test file, test folder, test double, test helper or live-proof kit. */
export const isProduction = (file: string): boolean =>
  !/\.test\.ts$|(^|\/)test\/|(^|\/)test-doubles\/|^testing\/|^localstack\/proof-kit\//.test(file);

/** The edges between production files only. */
export const productionEdges = (edges: readonly ImportEdge[]): ImportEdge[] => edges.filter((e) => isProduction(e.from) && isProduction(e.to));

const topFolder = (file: string): string => (file.includes('/') ? (file.split('/')[0] as string) : '.');

/** Folder → folders it imports from (a folder importing itself is not an edge). */
export function folderEdges(edges: readonly ImportEdge[]): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const { from, to } of edges) {
    const [a, b] = [topFolder(from), topFolder(to)];
    if (a === b) continue;
    if (!graph.has(a)) graph.set(a, new Set());
    graph.get(a)?.add(b);
  }
  return graph;
}

/** One loop per strongly connected group of folders, as a path that returns to its start; none when acyclic. */
export function folderLoops(graph: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  const loops: string[][] = [];
  const done = new Set<string>();
  const visit = (node: string, trail: string[]): void => {
    const at = trail.indexOf(node);
    if (at !== -1) {
      loops.push([...trail.slice(at), node]);
      return;
    }
    if (done.has(node)) return;
    for (const next of graph.get(node) ?? []) visit(next, [...trail, node]);
    done.add(node);
  };
  for (const node of [...graph.keys()].sort()) visit(node, []);
  return loops;
}

if (process.argv[1] === import.meta.filename) {
  const graph = folderEdges(productionEdges(importEdges(sourceFiles())));
  console.log('folder -> folders it imports from (production code; tests may import anything)');
  for (const [from, tos] of [...graph].sort(([a], [b]) => a.localeCompare(b))) console.log(`${from} -> ${[...tos].sort().join(', ')}`);
  const loops = folderLoops(graph);
  console.log(loops.length ? `loops: ${loops.map((l) => l.join(' -> ')).join('; ')}` : 'no folder loop');
}
