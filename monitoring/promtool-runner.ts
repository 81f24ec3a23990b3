/**
 * The real promtool, for the tests that prove rules, runbook queries and dashboard queries: one
 * runner (bounded in time, a failed check is an outcome to assert on), and `checkExpressions`,
 * which makes `promtool check rules` parse any list of PromQL expressions.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runTool } from '../toolkit/run-tool.js';
import { toRuleFileYaml } from './rule-file.js';

export interface PromtoolOutcome {
  /** promtool's exit code: 0 when every check passed. */
  readonly code: number;
  /** stdout and stderr together. */
  readonly output: string;
}

/** Runs `promtool <args>`; a non-zero exit resolves as an outcome, only a timeout throws. */
export async function runPromtool(binary: string, args: readonly string[], timeoutMs = 180_000): Promise<PromtoolOutcome> {
  const { code, stdout, stderr } = await runTool(binary, args, timeoutMs);
  return { code, output: stdout + stderr };
}

/**
 * `promtool check rules` on a temporary rule file holding each expression as a recording rule
 * (`check:expr_<i>`): promtool's own PromQL parser decides whether every expression is valid.
 */
export async function checkExpressions(binary: string, exprs: readonly string[]): Promise<PromtoolOutcome> {
  const dir = await mkdtemp(path.join(tmpdir(), 'promtool-check-'));
  try {
    const file = path.join(dir, 'expressions.yaml');
    const rules = exprs.map((expr, i) => ({ record: `check:expr_${i}`, expr }));
    await writeFile(file, toRuleFileYaml([{ name: 'expressions', rules }]));
    return await runPromtool(binary, ['check', 'rules', file], 60_000);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
