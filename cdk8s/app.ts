/**
 * Assembles the charts of the project into a cdk8s App. One chart is one file in `dist/`;
 * `kubectl apply -f dist/` takes files in name order, so the prefixes order the apply: the
 * namespace first, NetworkPolicies before the pods they protect, monitoring objects last.
 */
import { App, Chart, YamlOutputType } from 'cdk8s';
import { APP_NAMESPACE } from '../project/constants.js';
import { ItemsApi, type ItemsApiProps } from './api/items-api.js';
import { Postgres, type PostgresProps } from './database/postgres.js';
import { PostgresCredentials } from './database/postgres-credentials.js';
import { PostgresExporter } from './database/postgres-exporter.js';
import { WORKLOADS } from './lib/labels.js';
import { K6JobTemplate } from './loadtest/k6-job-template.js';
import { K6Scripts } from './loadtest/k6-scripts.js';
import { GrafanaDashboards } from './monitoring/grafana-dashboards.js';
import { MetricsServiceMonitor } from './monitoring/metrics-service-monitor.js';
import { ItemsApiPrometheusRule } from './monitoring/prometheus-rule.js';
import { ItemsNamespace } from './namespace/items-namespace.js';
import { NetworkPolicies } from './network/network-policies.js';
import { MANIFEST_EXTENSION, SYNTH_OUTDIR, TEMPLATES_DIR } from './output.js';

export interface ItemsAppProps {
  /** Where `app.synth()` writes. @default SYNTH_OUTDIR */
  readonly outdir?: string;
  /** The PostgreSQL password (database/password-source.ts); never defaulted. */
  readonly databasePassword: string;
  /** @default APP_NAMESPACE */
  readonly namespace?: string;
  /** Overrides for items-api. @default ITEMS_API_DEFAULTS */
  readonly api?: Omit<ItemsApiProps, 'database'>;
  /** Overrides for PostgreSQL. @default the PostgresProps defaults */
  readonly postgres?: Omit<PostgresProps, 'credentials'>;
}

/** File names (without `.k8s.yaml`) of the charts, in apply order. */
export const CHART_IDS = {
  namespace: '00-namespace',
  networkPolicies: '10-network-policies',
  database: '20-database',
  api: '30-items-api',
  monitoring: '40-monitoring',
  loadtest: '50-loadtest',
} as const;

export function createItemsApp(props: ItemsAppProps): App {
  const app = new App({ outdir: props.outdir ?? SYNTH_OUTDIR, yamlOutputType: YamlOutputType.FILE_PER_CHART, outputFileExtension: MANIFEST_EXTENSION });
  const namespace = props.namespace ?? APP_NAMESPACE;
  const chart = (id: string) => new Chart(app, id, { namespace, disableResourceNameHashes: true });

  new ItemsNamespace(new Chart(app, CHART_IDS.namespace, { disableResourceNameHashes: true }), 'namespace', { name: namespace });
  new NetworkPolicies(chart(CHART_IDS.networkPolicies), 'network-policies');

  const databaseChart = chart(CHART_IDS.database);
  const credentials = new PostgresCredentials(databaseChart, 'credentials', { password: props.databasePassword });
  const postgres = new Postgres(databaseChart, 'postgres', { ...props.postgres, credentials });
  new PostgresExporter(databaseChart, 'exporter', { database: postgres });

  new ItemsApi(chart(CHART_IDS.api), 'items-api', { ...props.api, database: postgres });

  const monitoringChart = chart(CHART_IDS.monitoring);
  new MetricsServiceMonitor(monitoringChart, 'service-monitor', { workload: WORKLOADS.api });
  new ItemsApiPrometheusRule(monitoringChart, 'prometheus-rule');
  new GrafanaDashboards(monitoringChart, 'dashboards');

  new K6Scripts(chart(CHART_IDS.loadtest), 'k6-scripts');
  return app;
}

export interface TemplatesAppProps {
  /** @default `dist/templates` */
  readonly outdir?: string;
  /** @default APP_NAMESPACE */
  readonly namespace?: string;
}

/** Objects synthesized for running by hand, not applied with the stack: the k6 Job template. */
export function createTemplatesApp(props: TemplatesAppProps = {}): App {
  const app = new App({ outdir: props.outdir ?? `${SYNTH_OUTDIR}/${TEMPLATES_DIR}`, yamlOutputType: YamlOutputType.FILE_PER_CHART, outputFileExtension: MANIFEST_EXTENSION });
  const chart = new Chart(app, 'k6-job', { namespace: props.namespace ?? APP_NAMESPACE, disableResourceNameHashes: true });
  new K6JobTemplate(chart, 'k6-job');
  return app;
}
