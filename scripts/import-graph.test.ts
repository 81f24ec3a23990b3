import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { folderEdges, folderLoops, importEdges, isProduction, productionEdges, sourceFiles } from './import-graph.js';

describe('the import graph between top-level folders', () => {
  const edges = importEdges(sourceFiles());

  test('production code has no folder loop (each folder builds only on folders below it)', () => {
    assert.deepEqual(folderLoops(folderEdges(productionEdges(edges))), []);
  });

  test('production code imports no test helper (testing/ takes a test context; shared helpers are in toolkit/)', () => {
    const intoTesting = edges.filter((e) => isProduction(e.from) && e.to.startsWith('testing/'));
    assert.deepEqual(intoTesting, []);
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
