/**
 * Whether NetworkPolicies let one pod reach another pod's port, evaluated as a conforming network
 * plugin would for pod-to-pod traffic (ipBlock peers are treated as not matching pods).
 */
import type { INetworkPolicy, INetworkPolicyPeer, INetworkPolicyPort } from 'kubernetes-models/networking.k8s.io/v1';
import type { K8sObject } from './manifests.js';
import { type PodTemplate, findContainerPort } from './pods.js';
import { type Labels, selectorMatches } from './selectors.js';

/** The label every namespace carries with its own name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** The source of a connection: a pod, by namespace and labels. */
export interface Peer {
  readonly namespace: string;
  readonly labels: Labels;
}

/** A namespace's labels: those its object declares, plus the name label every cluster sets. */
export function namespaceLabels(objects: readonly K8sObject[], namespace: string): Labels {
  const declared = objects.find((o) => o.kind === 'Namespace' && o.metadata.name === namespace)?.metadata.labels ?? {};
  return { ...declared, [NAMESPACE_NAME_LABEL]: namespace };
}

function peerMatches(objects: readonly K8sObject[], peer: INetworkPolicyPeer, policyNamespace: string, from: Peer): boolean {
  if (peer.ipBlock) return false;
  const namespaceOk = peer.namespaceSelector ? selectorMatches(peer.namespaceSelector, namespaceLabels(objects, from.namespace)) : from.namespace === policyNamespace;
  const podOk = peer.podSelector ? selectorMatches(peer.podSelector, from.labels) : true;
  return namespaceOk && podOk;
}

function portMatches(rulePort: INetworkPolicyPort, to: PodTemplate, port: number): boolean {
  if (rulePort.protocol && rulePort.protocol !== 'TCP') return false;
  if (rulePort.port === undefined) return true;
  const start = typeof rulePort.port === 'number' ? rulePort.port : findContainerPort(to, rulePort.port);
  if (start === undefined) return false;
  return rulePort.endPort === undefined ? port === start : port >= start && port <= rulePort.endPort;
}

/** Policies isolating `to` for ingress; with none, everything may connect. */
export function ingressPolicies(objects: readonly K8sObject[], to: PodTemplate): INetworkPolicy[] {
  return objects
    .filter((o) => o.kind === 'NetworkPolicy' && (o.metadata.namespace ?? to.namespace) === to.namespace)
    .map((o) => o as unknown as INetworkPolicy)
    .filter((p) => (p.spec?.policyTypes ?? ['Ingress']).includes('Ingress') && selectorMatches(p.spec?.podSelector, to.labels));
}

/** True when a TCP connection from `from` to port `port` of pods of `to` is allowed. */
export function ingressAllowed(objects: readonly K8sObject[], from: Peer, to: PodTemplate, port: number): boolean {
  const policies = ingressPolicies(objects, to);
  if (policies.length === 0) return true;
  return policies.some((policy) =>
    (policy.spec?.ingress ?? []).some((rule) => {
      const fromOk = !rule.from || rule.from.length === 0 || rule.from.some((peer) => peerMatches(objects, peer, to.namespace, from));
      const portOk = !rule.ports || rule.ports.length === 0 || rule.ports.some((p) => portMatches(p, to, port));
      return fromOk && portOk;
    }),
  );
}
