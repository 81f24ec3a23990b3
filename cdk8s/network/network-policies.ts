import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { K6_POD_LABELS } from '../../loadtest/cluster/objects.js';
import { KUBE_PROMETHEUS_STACK, CONTAINER_PORTS, STACK_PORTS } from '../../project/constants.js';
import { type Workload, WORKLOADS, selectorLabels, workloadLabels } from '../lib/labels.js';

export interface NetworkPoliciesProps {
  /** Namespace whose pods (Prometheus) may scrape the metrics ports. @default KUBE_PROMETHEUS_STACK.namespace */
  readonly monitoringNamespace?: string;
}

/** Namespace label every cluster sets (Kubernetes >= 1.22), so no labelling step is needed. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** The cluster DNS pods (CoreDNS keeps kube-dns' label and namespace, kind included). */
export const CLUSTER_DNS = { namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-dns' }, port: 53 } as const;

/**
 * The Prometheus pods k6 remote-writes to: the operator labels every Prometheus pod so, and serves
 * the remote-write receiver on the web port (the Service in DEFAULT_REMOTE_WRITE_URL targets it).
 */
export const PROMETHEUS_PODS = { podLabels: { 'app.kubernetes.io/name': 'prometheus' }, port: STACK_PORTS.prometheus } as const;

type Peer = k8s.NetworkPolicyPeer;
const port = (protocol: 'TCP' | 'UDP', number: number): k8s.NetworkPolicyPort => ({ protocol, port: k8s.IntOrString.fromNumber(number) });
const tcp = (number: number) => port('TCP', number);
const inNamespace = (namespace: string, podLabels?: Record<string, string>): Peer => ({
  namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } },
  ...(podLabels ? { podSelector: { matchLabels: { ...podLabels } } } : {}),
});

/**
 * Ingress rules per workload. Each selected pod accepts only what is listed: PostgreSQL from
 * items-api and the exporter; metrics ports from the monitoring namespace; the API from any pod
 * in the cluster (k6 Jobs, other services). Their egress stays open (DNS, the database).
 * Probes come from the kubelet on the node, which NetworkPolicies never block.
 *
 * The k6 pods (K6_POD_LABELS: `make load` Jobs and the chart's `helm test` pod) are locked both
 * ways: nothing connects to them, and they reach only the API port, the cluster DNS and
 * Prometheus' remote-write port, so a load script can hit nothing but the service under test.
 */
export class NetworkPolicies extends Construct {
  constructor(scope: Construct, id: string, props: NetworkPoliciesProps = {}) {
    super(scope, id);
    const monitoringNamespace = props.monitoringNamespace ?? KUBE_PROMETHEUS_STACK.namespace;
    const monitoring = inNamespace(monitoringNamespace);
    const pods = (workload: Workload): Peer => ({ podSelector: { matchLabels: selectorLabels(workload) } });
    const anyPodInCluster: Peer = { namespaceSelector: {} };

    const policy = (workload: Workload, ingress: k8s.NetworkPolicyIngressRule[]) =>
      new k8s.KubeNetworkPolicy(this, workload.name, {
        metadata: { name: workload.objectName, labels: workloadLabels(workload) },
        spec: { podSelector: { matchLabels: selectorLabels(workload) }, policyTypes: ['Ingress'], ingress },
      });

    policy(WORKLOADS.postgres, [{ from: [pods(WORKLOADS.api), pods(WORKLOADS.postgresExporter)], ports: [tcp(CONTAINER_PORTS.postgres)] }]);
    policy(WORKLOADS.postgresExporter, [{ from: [monitoring], ports: [tcp(CONTAINER_PORTS.postgresExporter)] }]);
    policy(WORKLOADS.api, [
      { from: [anyPodInCluster], ports: [tcp(CONTAINER_PORTS.api)] },
      { from: [monitoring], ports: [tcp(CONTAINER_PORTS.metrics)] },
    ]);

    const k6 = WORKLOADS.loadtest;
    new k8s.KubeNetworkPolicy(this, k6.name, {
      metadata: { name: k6.objectName, labels: workloadLabels(k6) },
      spec: {
        podSelector: { matchLabels: { ...K6_POD_LABELS } },
        // Ingress listed with no rule: default deny.
        policyTypes: ['Ingress', 'Egress'],
        egress: [
          { to: [pods(WORKLOADS.api)], ports: [tcp(CONTAINER_PORTS.api)] },
          { to: [inNamespace(CLUSTER_DNS.namespace, CLUSTER_DNS.podLabels)], ports: [port('UDP', CLUSTER_DNS.port), tcp(CLUSTER_DNS.port)] },
          { to: [inNamespace(monitoringNamespace, PROMETHEUS_PODS.podLabels)], ports: [tcp(PROMETHEUS_PODS.port)] },
        ],
      },
    });
  }
}
