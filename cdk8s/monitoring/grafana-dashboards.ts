import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { DASHBOARDS, type DashboardEntry, dashboardText } from '../../k8s-dashboards/index.js';
import { GRAFANA_FOLDER_ANNOTATION, KUBE_PROMETHEUS_STACK } from '../../project/constants.js';
import { WORKLOADS, workloadLabels } from '../lib/labels.js';

export interface GrafanaDashboardsProps {
  /** @default DASHBOARDS from k8s-dashboards/ */
  readonly dashboards?: readonly DashboardEntry[];
  /** Grafana folder, in the sidecar's folder annotation. @default KUBE_PROMETHEUS_STACK.dashboardFolder */
  readonly folder?: string;
}

/** Name of the ConfigMap holding one dashboard; the Helm chart names it the same way. */
export const dashboardConfigMapName = (uid: string): string => `${uid}-dashboard`;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * One ConfigMap per dashboard, labelled for kube-prometheus-stack's Grafana sidecar (which
 * watches every namespace) and annotated with the folder it files the dashboard under.
 */
export class GrafanaDashboards extends Construct {
  constructor(scope: Construct, id: string, props: GrafanaDashboardsProps = {}) {
    super(scope, id);
    const { key, value } = KUBE_PROMETHEUS_STACK.dashboardLabel;
    for (const dashboard of props.dashboards ?? DASHBOARDS) {
      const name = dashboardConfigMapName(dashboard.uid);
      if (!DNS_LABEL.test(name) || name.length > 63) throw new Error(`dashboard uid "${dashboard.uid}" does not make a valid ConfigMap name (${name})`);
      new k8s.KubeConfigMap(this, dashboard.uid, {
        metadata: {
          name,
          labels: { ...workloadLabels(WORKLOADS.monitoring), [key]: value },
          annotations: { [GRAFANA_FOLDER_ANNOTATION]: props.folder ?? KUBE_PROMETHEUS_STACK.dashboardFolder },
        },
        data: { [dashboard.file]: dashboardText(dashboard) },
      });
    }
  }
}
