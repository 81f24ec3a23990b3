import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { KUBE_PROMETHEUS_STACK, PORTS } from '../../project/constants.js';
import { type Workload, WORKLOADS, selectorLabels, workloadLabels } from '../lib/labels.js';

export interface NetworkPoliciesProps {
  /** Namespace whose pods (Prometheus) may scrape the metrics ports. @default KUBE_PROMETHEUS_STACK.namespace */
  readonly monitoringNamespace?: string;
}

/** Namespace label every cluster sets (Kubernetes >= 1.22), so no labelling step is needed. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

type Peer = k8s.NetworkPolicyPeer;
const tcp = (port: number): k8s.NetworkPolicyPort => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) });

/**
 * Ingress rules per workload. Each selected pod accepts only what is listed: PostgreSQL from
 * items-api and the exporter; metrics ports from the monitoring namespace; the API from any pod
 * in the cluster (k6 Jobs, other services). Egress stays open (DNS, the database, remote write).
 * Probes come from the kubelet on the node, which NetworkPolicies never block.
 */
export class NetworkPolicies extends Construct {
  constructor(scope: Construct, id: string, props: NetworkPoliciesProps = {}) {
    super(scope, id);
    const monitoring: Peer = { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: props.monitoringNamespace ?? KUBE_PROMETHEUS_STACK.namespace } } };
    const pods = (workload: Workload): Peer => ({ podSelector: { matchLabels: selectorLabels(workload) } });
    const anyPodInCluster: Peer = { namespaceSelector: {} };

    const policy = (workload: Workload, ingress: k8s.NetworkPolicyIngressRule[]) =>
      new k8s.KubeNetworkPolicy(this, workload.name, {
        metadata: { name: workload.objectName, labels: workloadLabels(workload) },
        spec: { podSelector: { matchLabels: selectorLabels(workload) }, policyTypes: ['Ingress'], ingress },
      });

    policy(WORKLOADS.postgres, [{ from: [pods(WORKLOADS.api), pods(WORKLOADS.postgresExporter)], ports: [tcp(PORTS.postgres)] }]);
    policy(WORKLOADS.postgresExporter, [{ from: [monitoring], ports: [tcp(PORTS.postgresExporter)] }]);
    policy(WORKLOADS.api, [
      { from: [anyPodInCluster], ports: [tcp(PORTS.api)] },
      { from: [monitoring], ports: [tcp(PORTS.metrics)] },
    ]);
  }
}
