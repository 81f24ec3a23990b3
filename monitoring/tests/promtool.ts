/**
 * promtool unit tests as data. Cases are written against alert definitions (not rendered YAML), so
 * the expected annotations are rendered from the same templates the rules use, with the labels and
 * value a firing alert would have: a wrong label name in a template fails here, not in production.
 */
import type { AlertDefinition } from '../alerts/define.js';
import { runbookUrl } from '../config.js';
import { quote } from '../promql.js';
import { renderText, renderedTemplate, type ValueFormat } from '../templates.js';

/** One input series in promtool's notation: `name{a="b"}` and expanding values `0+6x60`. */
export interface InputSeries {
  readonly series: string;
  readonly values: string;
}

/** An alert instance a case expects at its firing time. */
export interface ExpectedAlert {
  /** Labels the alert carries besides `alertname`, `severity` and the definition's fixed labels. */
  readonly labels: Readonly<Record<string, string>>;
  /** Text Prometheus renders for `$value` in each format the annotations use. */
  readonly values?: Readonly<Partial<Record<ValueFormat, string>>>;
}

/** A scenario for one alert: silent at some times, firing (or still silent) at the last one. */
export interface AlertCase {
  /** A sentence: "fires 5m after the target stops answering". */
  readonly name: string;
  readonly alert: string;
  readonly input: readonly InputSeries[];
  /** Times at which the alert must not be firing (before `for:` has elapsed, or never). */
  readonly silentAt: readonly string[];
  /** When and how it fires; absent for "stays silent" cases. */
  readonly firing?: { readonly at: string; readonly alerts: readonly ExpectedAlert[] };
}

/** A PromQL expectation on recorded series. */
export interface ExprCase {
  readonly name: string;
  readonly input: readonly InputSeries[];
  readonly checks: ReadonlyArray<{
    readonly expr: string;
    readonly at: string;
    /** Expected samples (labels without `__name__`); empty means "no series". */
    readonly samples: ReadonlyArray<{ readonly labels: Readonly<Record<string, string>>; readonly value: number }>;
  }>;
}

/** Shapes of promtool's test file (docs: "Unit testing for rules"). */
export interface PromtoolTestGroup {
  name: string;
  interval: string;
  input_series: InputSeries[];
  alert_rule_test?: Array<{
    eval_time: string;
    alertname: string;
    exp_alerts: Array<{ exp_labels: Record<string, string>; exp_annotations: Record<string, string> }>;
  }>;
  promql_expr_test?: Array<{ expr: string; eval_time: string; exp_samples: Array<{ labels: string; value: number }> }>;
}

/** The labels and annotations promtool must see for one firing alert. */
export function expectedAlert(def: AlertDefinition, expected: ExpectedAlert) {
  const labels = { ...expected.labels, severity: def.severity, ...def.labels };
  const template = renderedTemplate(labels, expected.values);
  return {
    exp_labels: labels,
    exp_annotations: {
      summary: renderText(def.summary, template),
      description: renderText(def.description, template),
      runbook_url: runbookUrl(def.name),
    },
  };
}

export function alertTestGroup(c: AlertCase, definitions: ReadonlyMap<string, AlertDefinition>, interval: string): PromtoolTestGroup {
  const def = definitions.get(c.alert);
  if (!def) throw new Error(`promtool case "${c.name}" names alert ${c.alert}, which no rule defines`);
  const silent = c.silentAt.map((at) => ({ eval_time: at, alertname: c.alert, exp_alerts: [] }));
  const firing = c.firing ? [{ eval_time: c.firing.at, alertname: c.alert, exp_alerts: c.firing.alerts.map((a) => expectedAlert(def, a)) }] : [];
  return { name: `${c.alert} ${c.name}`, interval, input_series: [...c.input], alert_rule_test: [...silent, ...firing] };
}

/**
 * Ratios computed by Prometheus differ from the decimal we expect in the last bits
 * (0.019999999999999928 for 0.02), and promtool 2.x compares floats exactly: checks round to
 * ROUNDING first, which yields the nearest double to the decimal, as the YAML parser does.
 */
export const ROUNDING = '0.000001';

export function exprTestGroup(c: ExprCase, interval: string): PromtoolTestGroup {
  return {
    name: c.name,
    interval,
    input_series: [...c.input],
    promql_expr_test: c.checks.map((check) => ({
      expr: `round(${check.expr}, ${ROUNDING})`,
      eval_time: check.at,
      exp_samples: check.samples.map((s) => ({ labels: labelsText(s.labels), value: s.value })),
    })),
  };
}

/** `{a="b", c="d"}` in promtool's series notation. */
export const labelsText = (labels: Readonly<Record<string, string>>): string =>
  `{${Object.entries(labels)
    .map(([k, v]) => `${k}=${quote(v)}`)
    .join(', ')}}`;
