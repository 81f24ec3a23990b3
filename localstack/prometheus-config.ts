/**
 * prometheus.yml for the local stack, from the same facts as the cluster's ServiceMonitor, so a
 * PromQL expression (rule, dashboard query) selects the same series on a laptop and in kind.
 */
import { stringify } from 'yaml';
import { APP_NAME, APP_NAMESPACE, PORT_NAMES, RULE_EVALUATION_INTERVAL, SCRAPE } from '../project/constants.js';
import { durationMs, shorterDuration } from './durations.js';

/** Pod name the local target pretends to have; in the cluster it is the real pod's name. */
export const LOCAL_POD_NAME = `${APP_NAME}-local`;

/**
 * The labels the Prometheus Operator puts on every series of a ServiceMonitor target (besides
 * `job` and `instance`): our Service is named after the app, its metrics port is named
 * PORT_NAMES.metrics, the container is named after the app.
 */
export const SERVICE_MONITOR_TARGET_LABELS = {
  namespace: APP_NAMESPACE,
  service: APP_NAME,
  endpoint: PORT_NAMES.metrics,
  pod: LOCAL_POD_NAME,
  container: APP_NAME,
} as const;

export interface PrometheusConfigOptions {
  /** `host:port` of the service's metrics endpoint; becomes the `instance` label. */
  readonly metricsTarget: string;
  /** `host:port` of the Alertmanager that receives alerts. */
  readonly alertmanagerTarget: string;
  /** Rule files to load (absolute paths: Prometheus resolves relative ones against its config file). */
  readonly ruleFiles: readonly string[];
  /** @default SCRAPE.interval (the ServiceMonitor's); tests use `1s`. */
  readonly scrapeInterval?: string;
  /** @default RULE_EVALUATION_INTERVAL (the cluster's); tests use `1s`. */
  readonly evaluationInterval?: string;
}

/** prometheus.yml as an object (what the YAML says), for tests and for `renderPrometheusConfig`. */
export function buildPrometheusConfig(opts: PrometheusConfigOptions) {
  const scrapeInterval = opts.scrapeInterval ?? SCRAPE.interval;
  const evaluationInterval = opts.evaluationInterval ?? RULE_EVALUATION_INTERVAL;
  durationMs(scrapeInterval, 'scrape interval');
  durationMs(evaluationInterval, 'evaluation interval');
  return {
    global: { scrape_interval: scrapeInterval, evaluation_interval: evaluationInterval },
    rule_files: [...opts.ruleFiles],
    alerting: { alertmanagers: [{ api_version: 'v2', static_configs: [{ targets: [opts.alertmanagerTarget] }] }] },
    scrape_configs: [
      {
        // `job` comes from the job name, as kube-prometheus-stack takes it from the Service name.
        job_name: SCRAPE.job,
        scrape_interval: scrapeInterval,
        // A shortened interval (tests) must not sit below the cluster's timeout: Prometheus refuses that.
        scrape_timeout: shorterDuration(SCRAPE.scrapeTimeout, scrapeInterval),
        metrics_path: SCRAPE.path,
        scheme: 'http',
        // The ServiceMonitor leaves honorLabels false: target labels win over exposed ones.
        honor_labels: false,
        static_configs: [{ targets: [opts.metricsTarget], labels: { ...SERVICE_MONITOR_TARGET_LABELS } }],
      },
    ],
  };
}

/** prometheus.yml text. */
export function renderPrometheusConfig(opts: PrometheusConfigOptions): string {
  return `# Written by localstack/prometheus-config.ts for the local stack; rewritten on every start.\n${stringify(buildPrometheusConfig(opts))}`;
}
