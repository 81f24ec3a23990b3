/**
 * kube-prometheus-stack as this project installs it: the names the chart gives its objects for our
 * release. A project fact (the deploy, the k6 Job's egress, the tests all need it), derived from
 * constants.ts; nothing here is typed twice.
 */
import { KUBE_PROMETHEUS_STACK } from './constants.js';

/**
 * The chart's `kube-prometheus-stack.fullname` helper: the release name when it contains the chart
 * name, else `<release>-<chart>`, cut to 26 characters (the chart leaves room for its suffixes).
 */
export function chartFullname(release: string, chart: string): string {
  const name = release.includes(chart) ? release : `${release}-${chart}`;
  return name.slice(0, 26).replace(/-+$/, '');
}

const FULLNAME = chartFullname(KUBE_PROMETHEUS_STACK.release, KUBE_PROMETHEUS_STACK.chart);
/** kube-prometheus-stack names every Service port of Prometheus, Alertmanager and Grafana so. */
export const WEB_PORT = 'http-web';

/** kube-prometheus-stack as installed by `make kind-up`. */
export const STACK = {
  namespace: KUBE_PROMETHEUS_STACK.namespace,
  release: KUBE_PROMETHEUS_STACK.release,
  archive: KUBE_PROMETHEUS_STACK.archive,
  archiveSha256: KUBE_PROMETHEUS_STACK.archiveSha256,
  valuesFile: 'charts/kube-prometheus-stack/values.yaml',
  /** Overrides for the simulated cluster, applied after valuesFile (why each: in the file). */
  simulatedValuesFile: 'charts/kube-prometheus-stack/values-simulated.yaml',
  operatorDeployment: `${FULLNAME}-operator`,
  prometheus: { service: `${FULLNAME}-prometheus`, port: WEB_PORT, statefulSet: `prometheus-${FULLNAME}-prometheus` },
  alertmanager: { service: `${FULLNAME}-alertmanager`, port: WEB_PORT, statefulSet: `alertmanager-${FULLNAME}-alertmanager` },
  /** The Grafana sub-chart names its objects `<release>-grafana` (the release does not contain "grafana"). */
  grafana: { service: `${KUBE_PROMETHEUS_STACK.release}-grafana`, port: WEB_PORT, deployment: `${KUBE_PROMETHEUS_STACK.release}-grafana` },
  /** CRDs the project's manifests use; they must be Established before `kubectl apply`. */
  crds: [
    'prometheuses.monitoring.coreos.com',
    'servicemonitors.monitoring.coreos.com',
    'podmonitors.monitoring.coreos.com',
    'prometheusrules.monitoring.coreos.com',
  ],
} as const;
