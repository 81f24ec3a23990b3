/**
 * The base every dashboard shares (variables, links, tags, time, annotations) and the step that
 * turns the SDK's builder into the plain JSON model the Grafana sidecar loads.
 */
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import {
  AnnotationQueryBuilder,
  DashboardBuilder,
  DashboardCursorSync,
  RowBuilder,
} from '@grafana/grafana-foundation-sdk/dashboard';
import type { Dashboard, VariableModel } from '@grafana/grafana-foundation-sdk/dashboard';
import type { DashboardConfig, DashboardKey } from './config.js';
import { dashboardLinks } from './links.js';
import type { Needs, PanelDef } from './panel-kit.js';
import { selectors } from './promql.js';
import { datasourceVariable, instanceVariable, namespaceVariable } from './variables.js';

export interface RowDef {
  readonly row: string;
}
export const row = (title: string): RowDef => ({ row: title });
export type LayoutItem = PanelDef | RowDef;

/** One target of one panel, with what it needs to return data. */
export interface DashboardTarget {
  readonly panelTitle: string;
  readonly refId: string;
  readonly expr: string;
  readonly needs: Needs;
  readonly reason?: string;
}

export interface DashboardDef {
  readonly uid: string;
  readonly title: string;
  /** File name of the generated JSON, also the key of the dashboard in its ConfigMap. */
  readonly file: string;
  /** The plain dashboard model (classic JSON, as the sidecar and Grafana's file provisioning load it). */
  readonly json: Record<string, unknown>;
  readonly targets: readonly DashboardTarget[];
}

export interface DashboardSpec {
  readonly description: string;
  /** Variables after datasource, namespace, instance (the Load test dashboard's `testid`). */
  readonly extraVariables?: readonly cog.Builder<VariableModel>[];
  readonly layout: readonly LayoutItem[];
}

const isRow = (item: LayoutItem): item is RowDef => 'row' in item;

/** Grafana's own "Annotations & Alerts" query, which every saved dashboard carries. */
const builtInAnnotations = (): AnnotationQueryBuilder =>
  new AnnotationQueryBuilder()
    .name('Annotations & Alerts')
    .datasource({ type: 'grafana', uid: '-- Grafana --' })
    .type('dashboard')
    .builtIn(1)
    .enable(true)
    .hide(true)
    .iconColor('rgba(0, 211, 255, 1)');

export function assembleDashboard(cfg: DashboardConfig, key: DashboardKey, spec: DashboardSpec): DashboardDef {
  const { uid, title } = cfg.dashboards[key];
  const sel = selectors(cfg);
  const builder = new DashboardBuilder(title)
    .uid(uid)
    .description(spec.description)
    .tags([cfg.tag])
    // Changed in TypeScript and regenerated, never in the UI: the sidecar would overwrite it anyway.
    .readonly()
    .tooltip(DashboardCursorSync.Crosshair)
    .timezone('browser')
    .time({ from: `now-${cfg.timeRange}`, to: 'now' })
    .refresh(cfg.refresh)
    .withVariable(datasourceVariable())
    .withVariable(namespaceVariable(sel.upAnyNamespace()))
    .withVariable(instanceVariable(sel.upInNamespace()))
    .annotation(builtInAnnotations())
    .links(dashboardLinks(cfg));
  for (const variable of spec.extraVariables ?? []) builder.withVariable(variable);

  const targets: DashboardTarget[] = [];
  const titles = new Set<string>();
  for (const item of spec.layout) {
    if (isRow(item)) {
      builder.withRow(new RowBuilder(item.row));
      continue;
    }
    if (titles.has(item.title)) throw new Error(`dashboard ${uid} has two panels titled "${item.title}"`);
    titles.add(item.title);
    builder.withPanel(item.builder);
    for (const t of item.targets) {
      targets.push({ panelTitle: item.title, refId: t.refId, expr: t.expr, needs: t.needs, ...('reason' in t ? { reason: t.reason } : {}) });
    }
  }
  return { uid, title, file: `${uid}.json`, json: toSidecarJson(builder.build()), targets };
}

type JsonObject = Record<string, unknown>;
const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The SDK's model as plain JSON, with two fixes for classic dashboards:
 * - panel ids: the builder leaves them unset (rows get 0); Grafana needs them unique for
 *   links, "view panel" and the sidecar's stable reload, so they are numbered in layout order;
 * - `placement` of links and annotations: the SDK fills in its only value, `inControlsMenu`,
 *   which tucks them away in the controls menu; without it Grafana shows them in the top bar.
 */
export function toSidecarJson(model: Dashboard): JsonObject {
  const json = JSON.parse(JSON.stringify(model)) as JsonObject;
  const panels = Array.isArray(json.panels) ? json.panels.filter(isObject) : [];
  panels.forEach((panel, i) => {
    panel.id = i + 1;
    if (Array.isArray(panel.links)) panel.links.filter(isObject).forEach((link) => delete link.placement);
  });
  if (Array.isArray(json.links)) json.links.filter(isObject).forEach((link) => delete link.placement);
  const annotations = isObject(json.annotations) && Array.isArray(json.annotations.list) ? json.annotations.list.filter(isObject) : [];
  annotations.forEach((annotation) => delete annotation.placement);
  return json;
}
