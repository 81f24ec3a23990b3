/** Prometheus rule file shapes, as `promtool check rules` and the PrometheusRule CRD accept them. */

export type Severity = 'critical' | 'warning' | 'info';

export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
  readonly labels?: Readonly<Record<string, string>>;
}

export interface AlertingRule {
  readonly alert: string;
  readonly expr: string;
  /** Prometheus duration, e.g. `5m`; absent means fire on the first evaluation. */
  readonly for?: string;
  readonly labels: Readonly<{ severity: Severity } & Record<string, string>>;
  readonly annotations: Readonly<{ summary: string; description: string; runbook_url: string } & Record<string, string>>;
}

export type Rule = RecordingRule | AlertingRule;

export interface RuleGroup {
  readonly name: string;
  /** Evaluation interval of the group; absent means Prometheus' global one. */
  readonly interval?: string;
  readonly rules: readonly Rule[];
}

export const isAlertingRule = (rule: Rule): rule is AlertingRule => 'alert' in rule;
