/**
 * Dashboard variables. Every dashboard has `datasource`, `namespace` and `instance`; the Load test
 * dashboard adds `testid`. Their names are referenced in queries only through `variableRef()`.
 */
import { DatasourceVariableBuilder, QueryVariableBuilder, VariableRefresh, VariableSort } from '@grafana/grafana-foundation-sdk/dashboard';
import type { DataSourceRef } from '@grafana/grafana-foundation-sdk/common';

export const VARIABLES = {
  datasource: 'datasource',
  namespace: 'namespace',
  instance: 'instance',
  testId: 'testid',
} as const;

export type VariableName = (typeof VARIABLES)[keyof typeof VARIABLES];

/**
 * What "All" stands for. `.*` rather than Grafana's default `(a|b|...)` so "All" keeps working
 * when the list is long, and also matches series that lack the label (a local stack without
 * `namespace` would still show data).
 */
export const ALL_VALUE = '.*';

/** `$name`, the form every query uses (Grafana's Prometheus data source regex-escapes multi-values). */
export const variableRef = (name: VariableName): string => `$${name}`;

/** Every panel and target reads from the data source the user picked. */
export const DATASOURCE: DataSourceRef = { type: 'prometheus', uid: `\${${VARIABLES.datasource}}` };

/**
 * The value each variable has when a dashboard opens (and that `substituteVariables` uses when
 * given none): "All" for the label filters. `datasource` never appears inside an expression.
 */
export const VARIABLE_DEFAULTS: Readonly<Record<Exclude<VariableName, 'datasource'>, string>> = {
  namespace: ALL_VALUE,
  instance: ALL_VALUE,
  testid: ALL_VALUE,
};

export function datasourceVariable(): DatasourceVariableBuilder {
  return new DatasourceVariableBuilder(VARIABLES.datasource).label('Data source').type('prometheus');
}

/**
 * A multi-value label filter filled by `label_values(<series>, <label>)`, refreshed with the time
 * range so a namespace or pod that went away drops out of the list.
 */
function labelFilterVariable(name: VariableName, label: string, series: string, description: string): QueryVariableBuilder {
  const query = `label_values(${series}, ${label})`;
  return new QueryVariableBuilder(name)
    .label(label)
    .description(description)
    .datasource(DATASOURCE)
    .query(query)
    .definition(query)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    .allValue(ALL_VALUE)
    .current({ selected: true, text: ['All'], value: ['$__all'] });
}

/** `series` is the service's `up` selector: every namespace where items-api is a scrape target. */
export function namespaceVariable(series: string): QueryVariableBuilder {
  return labelFilterVariable(VARIABLES.namespace, 'namespace', series, 'Namespaces where items-api is scraped.');
}

/** `series` is the service's `up` selector limited to `$namespace`: one value per scraped process. */
export function instanceVariable(series: string): QueryVariableBuilder {
  return labelFilterVariable(VARIABLES.instance, 'instance', series, 'Scrape targets (one per items-api process) in the chosen namespaces.');
}

/** `series` is a k6 series; `label` the test-id tag k6 puts on every sample. */
export function testIdVariable(series: string, label: string): QueryVariableBuilder {
  return labelFilterVariable(VARIABLES.testId, label, series, 'k6 test runs (the test id tag) seen in the time range.').sort(
    VariableSort.AlphabeticalDesc,
  );
}
