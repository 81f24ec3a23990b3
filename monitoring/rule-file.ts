/** A plain Prometheus rule file (`groups:`), as `promtool check rules` and `rule_files:` read it. */
import { stringify } from 'yaml';
import type { Rule, RuleGroup } from './types.js';

/** Keys in the order Prometheus documents them; absent optional keys are left out. */
function ruleObject(rule: Rule): Record<string, unknown> {
  const ordered: Record<string, unknown> = {};
  for (const key of ['record', 'alert', 'expr', 'for', 'labels', 'annotations'] as const) {
    const value = (rule as unknown as Record<string, unknown>)[key];
    if (value !== undefined) ordered[key] = value;
  }
  return ordered;
}

export function toRuleFileYaml(groups: readonly RuleGroup[]): string {
  const document = {
    groups: groups.map((group) => ({
      name: group.name,
      ...(group.interval !== undefined && { interval: group.interval }),
      rules: group.rules.map(ruleObject),
    })),
  };
  // lineWidth 0: never fold long PromQL lines; multi-line expressions become literal blocks.
  // No anchors: rules that share a labels object must still read as plain YAML.
  return stringify(document, { lineWidth: 0, blockQuote: 'literal', aliasDuplicateObjects: false });
}
