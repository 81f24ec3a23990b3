/**
 * Where things live in the kind cluster: names the kube-prometheus-stack chart gives its objects
 * for our release, the Grafana admin Secret, and the port-forward table.
 * Derived from project/constants.ts; nothing here is typed twice.
 */
import { APP_NAME, APP_NAMESPACE, KIND_CLUSTER, KUBE_PROMETHEUS_STACK, PORTS, PORT_NAMES } from '../project/constants.js';

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
const WEB_PORT = 'http-web';

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

/**
 * The Secret Grafana takes its admin credentials from (values.yaml `grafana.admin`), created once
 * by `make kind-up` with a random password and never overwritten.
 */
export const GRAFANA_ADMIN_SECRET = {
  namespace: KUBE_PROMETHEUS_STACK.namespace,
  name: 'grafana-admin',
  userKey: 'admin-user',
  passwordKey: 'admin-password',
  user: 'admin',
} as const;

export const KIND = {
  name: KIND_CLUSTER.name,
  context: KIND_CLUSTER.context,
  configFile: 'kind-config.yaml',
} as const;

export interface PortForward {
  readonly name: string;
  readonly namespace: string;
  readonly service: string;
  /** Service port, by name: kubectl then forwards to that port's targetPort. */
  readonly servicePort: string;
  readonly localPort: number;
  /** Path worth opening first. */
  readonly path: string;
}

/** What `make port-forward` opens, and the table `make kind-up` prints. */
export const PORT_FORWARDS: readonly PortForward[] = [
  { name: 'items-api', namespace: APP_NAMESPACE, service: APP_NAME, servicePort: PORT_NAMES.api, localPort: PORTS.api, path: '/docs' },
  { name: 'Prometheus', namespace: STACK.namespace, service: STACK.prometheus.service, servicePort: WEB_PORT, localPort: PORTS.prometheus, path: '/targets' },
  { name: 'Grafana', namespace: STACK.namespace, service: STACK.grafana.service, servicePort: WEB_PORT, localPort: PORTS.grafana, path: '/dashboards' },
  { name: 'Alertmanager', namespace: STACK.namespace, service: STACK.alertmanager.service, servicePort: WEB_PORT, localPort: PORTS.alertmanager, path: '/' },
];
