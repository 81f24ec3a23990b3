/**
 * Committed generated files of monitoring/ (`make generate`; the drift test compares them):
 * - `monitoring/_gen/items-api.rules.yaml`: the rule file the local stack loads and promtool checks;
 * - `monitoring/_gen/items-api.rules.test.yaml`: promtool unit tests (`promtool test rules` by hand);
 * - `docs/runbooks/README.md`: the index of runbooks, one line per alert.
 */
import { generatedHeader, type GeneratedFile } from '../project/generated.js';
import { alertDefinitions, ruleGroups, toRuleFileYaml } from './index.js';
import { runbookIndex } from './runbook-index.js';
import { explain, itemsApiSlos } from './slo/index.js';
import { ruleTestFile, toTestFileYaml } from './tests/index.js';
import { CONFIG } from './config.js';

const GENERATOR = 'monitoring/generate.ts';
export const RULE_FILE = 'monitoring/_gen/items-api.rules.yaml';
export const RULE_TEST_FILE = 'monitoring/_gen/items-api.rules.test.yaml';
export const RUNBOOK_INDEX = 'docs/runbooks/README.md';

const comment = (lines: readonly string[]): string => lines.map((line) => (line ? `# ${line}` : '#')).join('\n') + '\n';

/** The rule file with a header that says what the SLOs promise, so a reader needs no PromQL. */
export function ruleFileContent(): string {
  const slos = itemsApiSlos(CONFIG).flatMap((spec) => [`SLO ${spec.id}: ${explain(spec)}`, ...spec.notes.map((note) => `  ${note}`)]);
  return (
    generatedHeader(GENERATOR, '#') +
    comment([
      'Prometheus rules of items-api: SLO recordings, multi-window multi-burn-rate SLO alerts, cause alerts.',
      'Source: monitoring/ (TypeScript). Runbooks: docs/runbooks/<AlertName>.md.',
      '',
      ...slos,
      '',
      `Burn-rate windows: ${CONFIG.burnRateAlerts.source}`,
    ]) +
    toRuleFileYaml(ruleGroups())
  );
}

export function ruleTestFileContent(): string {
  const file = ruleTestFile(RULE_FILE.split('/').at(-1) as string, ruleGroups(), alertDefinitions());
  return generatedHeader(GENERATOR, '#') + comment(['promtool unit tests of items-api.rules.yaml. Run: promtool test rules monitoring/_gen/items-api.rules.test.yaml']) + toTestFileYaml(file);
}

export function generatedFiles(): GeneratedFile[] {
  return [
    { path: RULE_FILE, content: ruleFileContent() },
    { path: RULE_TEST_FILE, content: ruleTestFileContent() },
    { path: RUNBOOK_INDEX, content: generatedHeader(GENERATOR, 'md') + runbookIndex(alertDefinitions()) },
  ];
}
