/**
 * An alert as data, before it becomes a Prometheus rule: the rule file, the alert catalogue and
 * the promtool tests all read the same definition.
 */
import { runbookUrl } from '../config.js';
import { PROMETHEUS_TEMPLATE, PLACEHOLDER_TEMPLATE, renderText, type Text } from '../templates.js';
import type { AlertingRule, Severity } from '../types.js';

export interface AlertDefinition {
  /** CamelCase, unique; also the runbook's file name. */
  readonly name: string;
  readonly severity: Severity;
  readonly expr: string;
  /** How long the condition must hold before the alert fires. */
  readonly for: string;
  readonly summary: Text;
  readonly description: Text;
  /**
   * True when the expression needs series only a cluster has (kube-state-metrics, cAdvisor); a
   * local stack cannot make it fire.
   */
  readonly clusterOnly: boolean;
  /** How to make it fire on the local stack, for live alert tests and demos; absent if there is no way. */
  readonly localTrigger?: string;
  /** Fixed labels besides `severity` (e.g. `job` on an `absent()` alert, which has no labels of its own). */
  readonly labels?: Readonly<Record<string, string>>;
}

const CAMEL_CASE = /^[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)*$/;

/** Throws when an alert name is not CamelCase (runbook files and Alertmanager routes rely on it). */
export function assertAlertName(name: string): void {
  if (!CAMEL_CASE.test(name)) throw new Error(`alert name ${JSON.stringify(name)} must be CamelCase, e.g. ItemsApiTargetDown`);
}

export function toAlertingRule(def: AlertDefinition, urlOf: (name: string) => string = runbookUrl): AlertingRule {
  assertAlertName(def.name);
  return {
    alert: def.name,
    expr: def.expr,
    for: def.for,
    labels: { severity: def.severity, ...def.labels },
    annotations: {
      summary: renderText(def.summary, PROMETHEUS_TEMPLATE),
      description: renderText(def.description, PROMETHEUS_TEMPLATE),
      runbook_url: urlOf(def.name),
    },
  };
}

/** One line of the alert catalogue (see `ALERTS` in monitoring/index.ts). */
export interface AlertSummary {
  readonly name: string;
  readonly severity: Severity;
  readonly clusterOnly: boolean;
  /** The summary annotation with placeholders for labels: "items-api target <instance> is down". */
  readonly summary: string;
  readonly for: string;
  readonly runbookUrl: string;
  readonly localTrigger: string | undefined;
}

export function toAlertSummary(def: AlertDefinition, urlOf: (name: string) => string = runbookUrl): AlertSummary {
  return {
    name: def.name,
    severity: def.severity,
    clusterOnly: def.clusterOnly,
    summary: renderText(def.summary, PLACEHOLDER_TEMPLATE),
    for: def.for,
    runbookUrl: urlOf(def.name),
    localTrigger: def.localTrigger,
  };
}
