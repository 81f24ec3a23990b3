/**
 * Committed generated files of monitoring/ (`make generate`; the drift test compares them):
 * - `RULE_FILE`, in the Helm chart: the one rule file, which the chart's PrometheusRule includes,
 *   the local stack loads and promtool checks (Helm reads nothing outside the chart folder);
 * - `monitoring/_gen/items-api.rules.test.yaml`: promtool unit tests (`promtool test rules` by hand);
 * - `docs/runbooks/README.md`: the index of runbooks, one line per alert.
 */
import path from 'node:path';
import { CHART_FILES, generatedHeader, type GeneratedFile } from '../project/generated.js';
import { alertDefinitions, ruleGroups, toRuleFileYaml } from './index.js';
import { runbookIndex } from './runbook-index.js';
import { explain, itemsApiSlos } from './slo/index.js';
import { ruleTestFile, toTestFileYaml } from './tests/index.js';
import { CONFIG } from './config.js';

const GENERATOR = 'monitoring/generate.ts';
export const RULE_FILE = CHART_FILES.rules;
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

/**
 * The promtool unit tests. `ruleFile` is the rule file as the test file names it: promtool resolves
 * it from the test file's folder. @default its name alone, for a rule file written beside the tests
 */
export function ruleTestFileContent(ruleFile: string = path.posix.basename(RULE_FILE)): string {
  const file = ruleTestFile(ruleFile, ruleGroups(), alertDefinitions());
  return generatedHeader(GENERATOR, '#') + comment([`promtool unit tests of ${RULE_FILE}. Run: promtool test rules ${RULE_TEST_FILE}`]) + toTestFileYaml(file);
}

/** The committed rule file as the committed test file names it. */
export const RULE_FILE_FROM_TESTS = path.posix.relative(path.posix.dirname(RULE_TEST_FILE), RULE_FILE);

export function generatedFiles(): GeneratedFile[] {
  return [
    { path: RULE_FILE, content: ruleFileContent() },
    { path: RULE_TEST_FILE, content: ruleTestFileContent(RULE_FILE_FROM_TESTS) },
    { path: RUNBOOK_INDEX, content: generatedHeader(GENERATOR, 'md') + runbookIndex(alertDefinitions()) },
  ];
}
