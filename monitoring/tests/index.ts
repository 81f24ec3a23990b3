/**
 * The promtool unit-test file, from the case tables beside it: every alert firing and silent,
 * the SLO recording rules on known traffic. `make rules-check` and monitoring/promtool.test.ts run it.
 */
import { stringify } from 'yaml';
import { RULE_EVALUATION_INTERVAL } from '../../project/constants.js';
import type { AlertDefinition } from '../alerts/define.js';
import type { RuleGroup } from '../types.js';
import { causeAlertCases, causeExprCases } from './cause-cases.js';
import { alertTestGroup, exprTestGroup, type AlertCase, type ExprCase, type PromtoolTestGroup } from './promtool.js';
import { sloAlertCases, sloExprCases } from './slo-cases.js';

/** Input samples are one minute apart; rules are evaluated as often as in the cluster. */
export const INPUT_INTERVAL = '1m';

export interface RuleTestSuite {
  readonly alertCases: readonly AlertCase[];
  readonly exprCases: readonly ExprCase[];
}

export const ruleTestSuite = (): RuleTestSuite => ({
  alertCases: [...sloAlertCases(), ...causeAlertCases()],
  exprCases: [...sloExprCases(), ...causeExprCases()],
});

/** promtool's test file as an object; `ruleFile` is relative to where the test file is written. */
export function ruleTestFile(ruleFile: string, groups: readonly RuleGroup[], alerts: readonly AlertDefinition[], suite: RuleTestSuite = ruleTestSuite()) {
  const definitions = new Map(alerts.map((def) => [def.name, def]));
  const tests: PromtoolTestGroup[] = [
    ...suite.exprCases.map((c) => exprTestGroup(c, INPUT_INTERVAL)),
    ...suite.alertCases.map((c) => alertTestGroup(c, definitions, INPUT_INTERVAL)),
  ];
  return {
    rule_files: [ruleFile],
    evaluation_interval: RULE_EVALUATION_INTERVAL,
    // Recording groups before the alerts that read them, as one evaluation round.
    group_eval_order: groups.map((group) => group.name),
    tests,
  };
}

export const toTestFileYaml = (file: ReturnType<typeof ruleTestFile>): string =>
  stringify(file, { lineWidth: 0, blockQuote: 'literal', aliasDuplicateObjects: false });
