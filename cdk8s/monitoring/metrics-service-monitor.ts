import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { PORT_NAMES, SCRAPE } from '../../project/constants.js';
import { JOB_LABEL, type Workload, prometheusDiscoveryLabels, selectorLabels, workloadLabels } from '../lib/labels.js';
import { ModelObject } from '../lib/model-object.js';

export interface MetricsServiceMonitorProps {
  /** The workload whose Service is scraped; the Service carries `selectorLabels(workload)`. */
  readonly workload: Workload;
  /** Name of the Service port serving metrics. @default PORT_NAMES.metrics */
  readonly port?: string;
  /** @default SCRAPE.path */
  readonly path?: string;
  /** @default SCRAPE.interval */
  readonly interval?: string;
  /** @default SCRAPE.scrapeTimeout */
  readonly scrapeTimeout?: string;
}

/**
 * A ServiceMonitor scraping one workload's Service by port name. The target's `job` label is the
 * Service's JOB_LABEL (`app.kubernetes.io/name`), not the operator's default, the Service name: a
 * Helm release name prefixes Service names, and the rules and dashboards select a fixed job.
 */
export class MetricsServiceMonitor extends Construct {
  constructor(scope: Construct, id: string, props: MetricsServiceMonitorProps) {
    super(scope, id);
    const namespace = Chart.of(this).namespace;
    if (!namespace) throw new Error(`MetricsServiceMonitor ${this.node.path}: its chart must set a namespace (the selector names it)`);
    new ModelObject(
      this,
      'servicemonitor',
      new ServiceMonitor({
        metadata: {
          name: props.workload.objectName,
          labels: { ...workloadLabels(props.workload), ...prometheusDiscoveryLabels() },
        },
        spec: {
          jobLabel: JOB_LABEL,
          selector: { matchLabels: selectorLabels(props.workload) },
          namespaceSelector: { matchNames: [namespace] },
          endpoints: [
            {
              port: props.port ?? PORT_NAMES.metrics,
              path: props.path ?? SCRAPE.path,
              interval: props.interval ?? SCRAPE.interval,
              scrapeTimeout: props.scrapeTimeout ?? SCRAPE.scrapeTimeout,
            },
          ],
        },
      }),
    );
  }
}
