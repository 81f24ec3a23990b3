/**
 * The shared base every panel is built from (`defaultTimeseries()`, `defaultStat()`, ...) and the
 * one way a panel gets its queries: `definePanel(builder, queries)`, which writes the targets into
 * the builder and keeps each query's `needs` beside it for `dashboardQueries()`.
 */
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import {
  BigValueColorMode,
  BigValueGraphMode,
  BigValueTextMode,
  GraphThresholdsStyleConfigBuilder,
  GraphThresholdsStyleMode,
  LegendDisplayMode,
  LegendPlacement,
  ReduceDataOptionsBuilder,
  SortOrder,
  TooltipDisplayMode,
  VisibilityMode,
  VizLegendOptionsBuilder,
  VizTooltipOptionsBuilder,
} from '@grafana/grafana-foundation-sdk/common';
import { ThresholdsConfigBuilder, ThresholdsMode } from '@grafana/grafana-foundation-sdk/dashboard';
import type { Panel, Threshold } from '@grafana/grafana-foundation-sdk/dashboard';
import * as gauge from '@grafana/grafana-foundation-sdk/gauge';
import { DataqueryBuilder, PromQueryFormat, QueryEditorMode } from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { DATASOURCE } from './variables.js';

/**
 * Which series a query needs to return data:
 * - `service`: items-api's own metrics and the SLO rules, present on a local stack (service + Prometheus);
 * - `cluster`: kube-state-metrics / cAdvisor, only in a Kubernetes cluster;
 * - `k6`: only while (and after) a k6 run remote-writes into Prometheus.
 */
export type Needs = 'service' | 'cluster' | 'k6';

interface QueryBase {
  readonly expr: string;
  /** Grafana legend template, e.g. `{{route}}`. */
  readonly legend: string;
  /** One value per series (stats, tables) instead of a range. */
  readonly instant?: boolean;
  /** Table panels want one row per series, labels as columns. */
  readonly format?: 'table';
}

/** A query and what it needs; anything but `service` must say why. */
export type QuerySpec = QueryBase & ({ readonly needs: 'service' } | { readonly needs: 'cluster' | 'k6'; readonly reason: string });

export type TargetSpec = QuerySpec & { readonly refId: string };

export interface PanelDef {
  readonly title: string;
  readonly builder: cog.Builder<Panel>;
  readonly targets: readonly TargetSpec[];
}

type QueryOptions = Pick<QueryBase, 'instant' | 'format'>;

export const serviceQuery = (expr: string, legend: string, options: QueryOptions = {}): QuerySpec => ({ expr, legend, needs: 'service', ...options });
export const clusterQuery = (expr: string, legend: string, reason: string, options: QueryOptions = {}): QuerySpec => ({
  expr,
  legend,
  needs: 'cluster',
  reason,
  ...options,
});

/** Why every k6 query is empty on a local stack that runs no load test. */
export const K6_REASON = 'k6 remote-writes its series only during a load test (make load / make load-local); without a run there is no data';
export const k6Query = (expr: string, legend: string, options: QueryOptions = {}): QuerySpec => ({ expr, legend, needs: 'k6', reason: K6_REASON, ...options });

/** Builders of every panel type used here: they take targets and build a `Panel`. */
interface TargetedPanelBuilder extends cog.Builder<Panel> {
  withTarget(target: cog.Builder<cog.Dataquery>): unknown;
}

const refIdOf = (index: number): string => String.fromCharCode('A'.charCodeAt(0) + index);

function target(query: TargetSpec): DataqueryBuilder {
  const builder = new DataqueryBuilder()
    .datasource(DATASOURCE)
    .refId(query.refId)
    .editorMode(QueryEditorMode.Code)
    .expr(query.expr)
    .legendFormat(query.legend);
  if (query.format === 'table') builder.format(PromQueryFormat.Table);
  return query.instant ? builder.instant() : builder.range();
}

/** Adds the queries to the panel as targets A, B, C... and remembers them with their `needs`. */
export function definePanel(builder: TargetedPanelBuilder, queries: readonly QuerySpec[]): PanelDef {
  if (queries.length === 0) throw new Error('a panel needs at least one query');
  const targets = queries.map((q, i) => ({ ...q, refId: refIdOf(i) }));
  for (const t of targets) builder.withTarget(target(t));
  const { title } = builder.build();
  if (!title) throw new Error('every panel needs a title');
  return { title, builder, targets };
}

/** Threshold steps from a base colour and [value, colour] pairs, in ascending order. */
export function thresholds(base: string, steps: readonly (readonly [number, string])[] = []): ThresholdsConfigBuilder {
  const all: Threshold[] = [{ value: null, color: base }, ...steps.map(([value, color]) => ({ value, color }))];
  return new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps(all);
}

/** Draws the thresholds of a time series as dashed lines (SLO threshold, burn-rate levels). */
export const dashedThresholdLines = (): GraphThresholdsStyleConfigBuilder => new GraphThresholdsStyleConfigBuilder().mode(GraphThresholdsStyleMode.Dashed);

/** Half-width time series: thin lines, light fill, a table legend with mean/max/last, shared tooltip. */
export function defaultTimeseries(): timeseries.PanelBuilder {
  return new timeseries.PanelBuilder()
    .datasource(DATASOURCE)
    .span(12)
    .height(8)
    .lineWidth(1)
    .fillOpacity(10)
    .showPoints(VisibilityMode.Never)
    .thresholds(thresholds('green'))
    .legend(
      new VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(LegendDisplayMode.Table)
        .placement(LegendPlacement.Bottom)
        .calcs(['mean', 'max', 'lastNotNull']),
    )
    .tooltip(new VizTooltipOptionsBuilder().mode(TooltipDisplayMode.Multi).sort(SortOrder.Descending));
}

/** A small stat: the last value, with a sparkline. */
export function defaultStat(): stat.PanelBuilder {
  return new stat.PanelBuilder()
    .datasource(DATASOURCE)
    .span(6)
    .height(5)
    .reduceOptions(new ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .graphMode(BigValueGraphMode.Area)
    .colorMode(BigValueColorMode.Value)
    .textMode(BigValueTextMode.Auto)
    .thresholds(thresholds('green'));
}

/** A gauge of a 0..1 ratio. */
export function defaultGauge(): gauge.PanelBuilder {
  return new gauge.PanelBuilder()
    .datasource(DATASOURCE)
    .span(6)
    .height(8)
    .min(0)
    .max(1)
    .reduceOptions(new ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .showThresholdMarkers(true);
}

/** A table of instant values, one row per series. */
export function defaultTable(): table.PanelBuilder {
  return new table.PanelBuilder().datasource(DATASOURCE).span(12).height(6).showHeader(true);
}
