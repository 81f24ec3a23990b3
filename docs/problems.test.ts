import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';
import { PROBLEMS_DOC_PATH, PROBLEMS_DOC_URL, REPOSITORY_URL } from '../project/constants.js';
import { HttpProblem, PROBLEM_TYPES, type ProblemType } from '../service/src/http/problem.js';
import { PROBLEM_DOCS } from './problems.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const TYPES = Object.keys(PROBLEM_TYPES) as ProblemType[];

/** The anchor GitHub gives a Markdown heading: lower case, punctuation dropped, spaces as hyphens. */
const githubAnchor = (heading: string): string =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');

/** Each `## ` section of the committed page: its anchor and its text up to the next section. */
async function sections(): Promise<Map<string, string>> {
  const page = await readFile(path.join(ROOT, PROBLEMS_DOC_PATH), 'utf8');
  const parts = page.split(/^## /m).slice(1);
  return new Map(parts.map((part) => [githubAnchor(part.split('\n', 1)[0] ?? ''), part]));
}

/** The `type` the service sends for a problem of this type. */
const sentType = (type: ProblemType): string => new HttpProblem(type, 'detail').toBody('/items').type;

describe(`${PROBLEMS_DOC_PATH} and the problem types the service sends`, () => {
  test('the type URI of every problem is a section of the page, and every section is a problem type', async () => {
    const anchors = await sections();
    const linked = TYPES.map((type) => {
      const uri = sentType(type);
      assert.ok(uri.startsWith(`${PROBLEMS_DOC_URL}#`), `${type}: ${uri} does not point into ${PROBLEMS_DOC_PATH}`);
      const anchor = uri.slice(PROBLEMS_DOC_URL.length + 1);
      assert.ok(anchors.has(anchor), `${type}: ${PROBLEMS_DOC_PATH} has no section #${anchor}; run make generate`);
      return anchor;
    });
    assert.deepEqual([...anchors.keys()].sort(), linked.sort(), 'a section for a problem type the service no longer has');
    assert.equal(new Set(linked).size, TYPES.length, 'two problem types share an anchor');
  });

  test('every type URI is in this repository (REPOSITORY_URL), so a fork links to its own page', () => {
    for (const type of TYPES) assert.ok(sentType(type).startsWith(`${REPOSITORY_URL}/`), sentType(type));
  });

  test('the section of a type states the status and title the service sends with it', async () => {
    const anchors = await sections();
    for (const type of TYPES) {
      const text = anchors.get(sentType(type).split('#')[1] ?? '') ?? '';
      const body = new HttpProblem(type, 'detail').toBody('/items');
      assert.ok(text.includes(`Status **${body.status}**, title "${body.title}"`), `${type}: status or title differs; run make generate`);
      assert.ok(text.includes(`\`${body.type}\``), `${type}: the section does not show its type URI`);
    }
  });

  test('PROBLEM_DOCS explains exactly the problem types', () => {
    assert.deepEqual(Object.keys(PROBLEM_DOCS).sort(), [...TYPES].sort());
  });
});
