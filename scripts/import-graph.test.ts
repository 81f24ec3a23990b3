import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { folderEdges, folderLoops, importEdges, sourceFiles } from './import-graph.js';

/** Code that runs outside tests: no test file, test folder, test double or test helper. */
const isProduction = (file: string): boolean => !/\.test\.ts$|(^|\/)test\/|(^|\/)test-doubles\/|^testing\//.test(file);

describe('the import graph between top-level folders', () => {
  const edges = importEdges(sourceFiles());

  test('production code has no folder loop (each folder builds only on folders below it)', () => {
    const production = edges.filter((e) => isProduction(e.from) && isProduction(e.to));
    assert.deepEqual(folderLoops(folderEdges(production)), []);
  });

  test('every relative import names a file that exists', () => {
    const files = new Set(sourceFiles());
    const missing = edges.filter((e) => e.to.endsWith('.ts') && !files.has(e.to));
    assert.deepEqual(missing, []);
  });

  test('folderLoops finds a loop through three folders and none in a chain', () => {
    const graph = (pairs: Array<[string, string]>) => folderEdges(pairs.map(([from, to]) => ({ from: `${from}/x.ts`, to: `${to}/y.ts` })));
    assert.deepEqual(folderLoops(graph([['a', 'b'], ['b', 'c'], ['c', 'a']])), [['a', 'b', 'c', 'a']]);
    assert.deepEqual(folderLoops(graph([['a', 'b'], ['b', 'c'], ['a', 'c']])), []);
  });
});
