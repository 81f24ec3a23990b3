/**
 * The PromQL examples of the documentation: every fenced code block whose info string starts
 * with `promql`, in every Markdown file under docs/. `docs/promql-examples.test.ts` runs each one
 * against the local stack's Prometheus.
 *
 * Info strings: `promql` (must return data on the local stack after its traffic), or
 * `promql cluster-only` (needs series only a cluster or a k6 run has: kube-state-metrics,
 * cAdvisor, k6; must only be accepted). Any other word after `promql` is an error, so a typo
 * cannot quietly turn a check off.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const DOCS_DIR = import.meta.dirname;

export const PROMQL_FLAGS = { clusterOnly: 'cluster-only' } as const;
const KNOWN_FLAGS: ReadonlySet<string> = new Set(Object.values(PROMQL_FLAGS));

export interface PromqlBlock {
  /** Path relative to the repository root, e.g. `docs/OBSERVABILITY_WATCH.md`. */
  readonly file: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** The whole info string, e.g. `promql cluster-only`. */
  readonly info: string;
  readonly clusterOnly: boolean;
  /** The block's text, without the fences and the fence's indentation, trimmed. */
  readonly expr: string;
}

export class PromqlBlockError extends Error {
  override name = 'PromqlBlockError';
}

/** An opening or closing fence: up to any indentation (fences inside list items), 3+ backticks or tildes. */
const FENCE = /^(\s*)(`{3,}|~{3,})(.*)$/;

/**
 * The `promql` blocks of one Markdown text. Throws for an unclosed fence, an unknown flag or an
 * empty block, naming the file and line.
 */
export function extractPromqlBlocks(markdown: string, file: string): PromqlBlock[] {
  const lines = markdown.split(/\r?\n/);
  const blocks: PromqlBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i] ?? '');
    if (!open) continue;
    const [, indent = '', fence = '', rest = ''] = open;
    const info = rest.trim();
    // A backtick fence's info string may not contain backticks (CommonMark): `` ```x``` `` is inline code.
    if (fence.startsWith('`') && info.includes('`')) continue;
    const body: string[] = [];
    let close = -1;
    for (let j = i + 1; j < lines.length; j++) {
      const candidate = FENCE.exec(lines[j] ?? '');
      if (candidate && candidate[2]?.[0] === fence[0] && (candidate[2]?.length ?? 0) >= fence.length && candidate[3]?.trim() === '') {
        close = j;
        break;
      }
      body.push(lines[j] ?? '');
    }
    if (close === -1) throw new PromqlBlockError(`${file}:${i + 1}: code fence ${fence} is never closed`);
    const [language, ...flags] = info.split(/\s+/);
    if (language === 'promql') {
      const unknown = flags.filter((flag) => !KNOWN_FLAGS.has(flag));
      if (unknown.length > 0) {
        throw new PromqlBlockError(`${file}:${i + 1}: unknown word(s) after promql: ${unknown.join(' ')} (known: ${[...KNOWN_FLAGS].join(', ')})`);
      }
      const expr = body
        .map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l.trimStart()))
        .join('\n')
        .trim();
      if (expr === '') throw new PromqlBlockError(`${file}:${i + 1}: empty promql block`);
      blocks.push({ file, line: i + 1, info, clusterOnly: flags.includes(PROMQL_FLAGS.clusterOnly), expr });
    }
    i = close;
  }
  return blocks;
}

/** Markdown files under `dir`, recursively, sorted (node_modules and dot-directories skipped). */
export function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return entry.name.startsWith('.') || entry.name === 'node_modules' ? [] : markdownFiles(full);
      return entry.isFile() && entry.name.endsWith('.md') ? [full] : [];
    })
    .sort();
}

/** Every `promql` block of every Markdown file under `docsDir` (default: docs/), file paths relative to `root`. */
export function docsPromqlBlocks(docsDir: string = DOCS_DIR, root: string = path.dirname(DOCS_DIR)): PromqlBlock[] {
  return markdownFiles(docsDir).flatMap((file) => extractPromqlBlocks(readFileSync(file, 'utf8'), path.relative(root, file)));
}
