import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { GENERATED_JSON_KEY, generatedNotice, type GeneratedFile } from '../project/generated.js';
import { RULE_FILE, RULE_TEST_FILE } from '../monitoring/generate.js';
import { allGeneratedFiles, generatedFilesByArea, ROOT } from './generated-files.js';

const byArea = await generatedFilesByArea();
const files = await allGeneratedFiles();

test('every committed generated file equals a fresh generation (run make generate on failure)', async () => {
  // Every area with committed output must be found, or the comparison below proves nothing.
  for (const area of ['monitoring', 'k8s-dashboards', 'charts', 'docs']) assert.ok((byArea.get(area) ?? []).length > 0, `no generated files found for ${area}/`);
  for (const file of files) {
    const committed = await readFile(path.join(ROOT, file.path), 'utf8').catch(() => '<missing>');
    assert.equal(committed, file.content, `${file.path} drifted from its source; run make generate`);
  }
});

/** The generated-by marker each format can hold, read back from a file's content; undefined when it has none. */
const MARKER_READERS: Readonly<Record<string, (content: string) => string | undefined>> = {
  '.yaml': (content) => /^# (.*)\n/.exec(content)?.[1],
  '.md': (content) => /^<!-- (.*) -->\n/.exec(content)?.[1],
  '.json': (content) => {
    const value = JSON.parse(content) as Record<string, unknown>;
    const [first] = Object.keys(value);
    return first === GENERATED_JSON_KEY && typeof value[first] === 'string' ? value[first] : undefined;
  },
};

describe('generated files say so', () => {
  test('each starts with a marker naming the generator that writes it (YAML and Markdown a comment, JSON a first "$comment" key)', () => {
    for (const [area, generated] of byArea) {
      for (const file of generated) {
        const read = MARKER_READERS[path.extname(file.path)];
        assert.ok(read, `${file.path}: no marker rule for ${path.extname(file.path)} files; add one`);
        assert.equal(read(file.content), generatedNotice(`${area}/generate.ts`), `${file.path} lacks the marker of ${area}/generate.ts`);
      }
    }
  });

  test('.gitattributes marks every generated file linguist-generated, and no other file', () => {
    const git = (args: readonly string[], input?: string) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', input, maxBuffer: 16 * 1024 * 1024 });
    // The index still lists files deleted in the work tree until the next commit.
    const repoFiles = git(['ls-files', '--cached', '--others', '--exclude-standard'])
      .split('\n')
      .filter((p) => p !== '' && existsSync(path.join(ROOT, p)));
    const attrs = git(['check-attr', '--stdin', 'linguist-generated'], [...repoFiles, ...files.map((f) => f.path)].join('\n'));
    const marked = new Set(
      attrs
        .split('\n')
        .filter((line) => line.endsWith(': linguist-generated: true'))
        .map((line) => line.slice(0, -': linguist-generated: true'.length)),
    );
    const generated = new Set(files.map((f) => f.path));
    assert.deepEqual([...generated].filter((p) => !marked.has(p)), [], 'generated files .gitattributes leaves unmarked');
    assert.deepEqual([...marked].filter((p) => !generated.has(p)).sort(), [], 'files .gitattributes marks generated that no generator writes (stale copies?)');
  });
});

/** What a generated file holds, without its marker and formatting: two copies of one artefact compare equal. */
function payload(file: GeneratedFile): string {
  const ext = path.extname(file.path);
  if (ext === '.json') {
    const { [GENERATED_JSON_KEY]: _marker, ...rest } = JSON.parse(file.content) as Record<string, unknown>;
    return JSON.stringify(rest);
  }
  if (ext === '.yaml') return JSON.stringify(parseYaml(file.content));
  return file.content.slice(file.content.indexOf('\n') + 1);
}

test('each generated artefact is committed once: no two generated files hold the same data', () => {
  const seen = new Map<string, string>();
  for (const file of files) {
    const data = payload(file);
    const twin = seen.get(data);
    assert.equal(twin, undefined, `${file.path} holds the same data as ${twin}: commit it once and read that copy`);
    seen.set(data, file.path);
  }
});

/** make cannot import a TypeScript constant, so the make files spell these paths out; this keeps them equal. */
const MAKE_PATHS: ReadonlyArray<{ readonly file: string; readonly variable: string; readonly expected: string }> = [
  { file: 'mk/local.mk', variable: 'LOCAL_RULES', expected: RULE_FILE },
  { file: 'mk/monitoring.mk', variable: 'RULE_FILE', expected: RULE_FILE },
  { file: 'mk/monitoring.mk', variable: 'RULE_TEST_FILE', expected: RULE_TEST_FILE },
];

describe('the make files name the generated files where they are', () => {
  for (const { file, variable, expected } of MAKE_PATHS) {
    test(`${file}: ${variable} is ${expected}`, async () => {
      const text = await readFile(path.join(ROOT, file), 'utf8');
      assert.equal(new RegExp(`^${variable} := (.*)$`, 'm').exec(text)?.[1], expected);
    });
  }
});
