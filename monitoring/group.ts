/**
 * A rule group before rendering: recording rules as Prometheus writes them, alerts as
 * definitions (so the catalogue and the promtool tests see their templates and metadata).
 */
import { toAlertingRule, type AlertDefinition } from './alerts/define.js';
import type { RecordingRule, RuleGroup } from './types.js';

export interface GroupDefinition {
  readonly name: string;
  /** Evaluated in order: a rule may read what an earlier rule of the same group recorded. */
  readonly recordingRules: readonly RecordingRule[];
  readonly alerts: readonly AlertDefinition[];
}

export interface RenderOptions {
  /** Replaces every alert's `for:`, nothing else (tests only: `2s` on the live stack, `0s` in promtool's broken-rule check). */
  readonly forOverride?: string;
}

export function toRuleGroup(group: GroupDefinition, options: RenderOptions = {}): RuleGroup {
  const alerts = group.alerts.map((def) => toAlertingRule(options.forOverride === undefined ? def : { ...def, for: options.forOverride }));
  return { name: group.name, rules: [...group.recordingRules, ...alerts] };
}
