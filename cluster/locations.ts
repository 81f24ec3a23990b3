/**
 * Where things live in the kind cluster: the Grafana admin Secret, the cluster's name and
 * context, and the port-forward table. Derived from project/; nothing here is typed twice.
 */
import { APP_NAME, APP_NAMESPACE, KIND_CLUSTER, KUBE_PROMETHEUS_STACK, PORT_NAMES, LOCAL_PORTS } from '../project/constants.js';
import { STACK, WEB_PORT } from '../project/kube-prometheus-stack.js';

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
  { name: 'items-api', namespace: APP_NAMESPACE, service: APP_NAME, servicePort: PORT_NAMES.api, localPort: LOCAL_PORTS.api, path: '/docs' },
  { name: 'Prometheus', namespace: STACK.namespace, service: STACK.prometheus.service, servicePort: WEB_PORT, localPort: LOCAL_PORTS.prometheus, path: '/targets' },
  { name: 'Grafana', namespace: STACK.namespace, service: STACK.grafana.service, servicePort: WEB_PORT, localPort: LOCAL_PORTS.grafana, path: '/dashboards' },
  { name: 'Alertmanager', namespace: STACK.namespace, service: STACK.alertmanager.service, servicePort: WEB_PORT, localPort: LOCAL_PORTS.alertmanager, path: '/' },
];
