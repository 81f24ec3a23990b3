/**
 * What the installed kube-prometheus-stack picks up: which ServiceMonitors and PrometheusRules
 * Prometheus selects (labels, namespaces) and which ConfigMaps the Grafana sidecar loads as
 * dashboards. Derived from the chart's values (ours in charts/kube-prometheus-stack/, or the
 * chart defaults), so the invariants check our objects against the stack that is really installed.
 */
import type { ILabelSelector } from '@kubernetes-models/apimachinery/apis/meta/v1/LabelSelector';
import { KUBE_PROMETHEUS_STACK } from '../../project/constants.js';

export interface StackSelection {
  /** Namespace Prometheus runs in (scrapes come from there). */
  readonly prometheusNamespace: string;
  readonly serviceMonitorSelector: ILabelSelector;
  /** `null`: every namespace; otherwise a selector on namespace labels. */
  readonly serviceMonitorNamespaceSelector: ILabelSelector | null;
  readonly ruleSelector: ILabelSelector;
  readonly ruleNamespaceSelector: ILabelSelector | null;
  readonly dashboards: {
    readonly label: string;
    readonly labelValue: string;
    /** `ALL`, or the namespaces the sidecar searches. */
    readonly searchNamespaces: 'ALL' | readonly string[];
    /** Annotation naming the Grafana folder, when the sidecar is configured with one. */
    readonly folderAnnotation: string | undefined;
  };
}

/** Chart keys read here (a subset of kube-prometheus-stack's values). */
export interface StackValues {
  prometheus?: {
    prometheusSpec?: {
      serviceMonitorSelectorNilUsesHelmValues?: boolean;
      serviceMonitorSelector?: ILabelSelector | null;
      serviceMonitorNamespaceSelector?: ILabelSelector | null;
      ruleSelectorNilUsesHelmValues?: boolean;
      ruleSelector?: ILabelSelector | null;
      ruleNamespaceSelector?: ILabelSelector | null;
    };
  };
  grafana?: {
    sidecar?: {
      dashboards?: { label?: string; labelValue?: string; searchNamespace?: string | string[] | null; folderAnnotation?: string | null };
    };
  };
}

const isEmpty = (selector: ILabelSelector | null | undefined) =>
  !selector || (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0);

/**
 * The chart's rule: an empty selector with `*NilUsesHelmValues: true` (the default) becomes
 * `release: <release name>`; with `false` it selects everything.
 */
function effectiveSelector(selector: ILabelSelector | null | undefined, nilUsesHelmValues: boolean | undefined): ILabelSelector {
  if (!isEmpty(selector)) return selector as ILabelSelector;
  return nilUsesHelmValues === false ? {} : { matchLabels: { release: KUBE_PROMETHEUS_STACK.release } };
}

/** An empty namespace selector in the chart means "every namespace". */
const namespaceSelector = (selector: ILabelSelector | null | undefined) => (isEmpty(selector) ? null : (selector as ILabelSelector));

/** The selection kube-prometheus-stack makes with the given values (chart defaults for absent keys). */
export function stackSelection(values: StackValues = {}): StackSelection {
  const spec = values.prometheus?.prometheusSpec ?? {};
  const sidecar = values.grafana?.sidecar?.dashboards ?? {};
  const search = sidecar.searchNamespace ?? 'ALL';
  return {
    prometheusNamespace: KUBE_PROMETHEUS_STACK.namespace,
    serviceMonitorSelector: effectiveSelector(spec.serviceMonitorSelector, spec.serviceMonitorSelectorNilUsesHelmValues),
    serviceMonitorNamespaceSelector: namespaceSelector(spec.serviceMonitorNamespaceSelector),
    ruleSelector: effectiveSelector(spec.ruleSelector, spec.ruleSelectorNilUsesHelmValues),
    ruleNamespaceSelector: namespaceSelector(spec.ruleNamespaceSelector),
    dashboards: {
      label: sidecar.label ?? KUBE_PROMETHEUS_STACK.dashboardLabel.key,
      labelValue: sidecar.labelValue ?? KUBE_PROMETHEUS_STACK.dashboardLabel.value,
      searchNamespaces: search === 'ALL' ? 'ALL' : Array.isArray(search) ? search : search.split(','),
      folderAnnotation: sidecar.folderAnnotation ?? undefined,
    },
  };
}
