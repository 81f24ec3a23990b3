/**
 * Whether NetworkPolicies let one pod reach another pod's port, evaluated as a conforming network
 * plugin would for pod-to-pod traffic (ipBlock peers are treated as not matching pods): the
 * source's egress policies and the destination's ingress policies must both allow it.
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

export type Protocol = 'TCP' | 'UDP' | 'SCTP';

type PolicyType = 'Ingress' | 'Egress';

/** A namespace's labels: those its object declares, plus the name label every cluster sets. */
export function namespaceLabels(objects: readonly K8sObject[], namespace: string): Labels {
  const declared = objects.find((o) => o.kind === 'Namespace' && o.metadata.name === namespace)?.metadata.labels ?? {};
  return { ...declared, [NAMESPACE_NAME_LABEL]: namespace };
}

/** Whether a policy's peer (in a rule of a policy in `policyNamespace`) matches the pod `pod`. */
function peerMatches(objects: readonly K8sObject[], peer: INetworkPolicyPeer, policyNamespace: string, pod: Peer): boolean {
  if (peer.ipBlock) return false;
  const namespaceOk = peer.namespaceSelector ? selectorMatches(peer.namespaceSelector, namespaceLabels(objects, pod.namespace)) : pod.namespace === policyNamespace;
  const podOk = peer.podSelector ? selectorMatches(peer.podSelector, pod.labels) : true;
  return namespaceOk && podOk;
}

/**
 * A named rule port is a container port name of the destination: known only when the destination
 * is one of the objects' pod templates (`to`); for pods outside them only numbers can match.
 */
function portMatches(rulePort: INetworkPolicyPort, to: PodTemplate | undefined, port: number, protocol: Protocol): boolean {
  if ((rulePort.protocol ?? 'TCP') !== protocol) return false;
  if (rulePort.port === undefined) return true;
  const start = typeof rulePort.port === 'number' ? rulePort.port : to ? findContainerPort(to, rulePort.port) : undefined;
  if (start === undefined) return false;
  return rulePort.endPort === undefined ? port === start : port >= start && port <= rulePort.endPort;
}

/** The policy types in force: an unset `policyTypes` means Ingress, plus Egress when egress rules exist (the API server's defaulting). */
function policyTypes(p: INetworkPolicy): readonly string[] {
  return p.spec?.policyTypes ?? ['Ingress', ...(p.spec?.egress ? ['Egress'] : [])];
}

function policiesSelecting(objects: readonly K8sObject[], pod: Peer, type: PolicyType): INetworkPolicy[] {
  return objects
    .filter((o) => o.kind === 'NetworkPolicy' && (o.metadata.namespace ?? pod.namespace) === pod.namespace)
    .map((o) => o as unknown as INetworkPolicy)
    .filter((p) => policyTypes(p).includes(type) && selectorMatches(p.spec?.podSelector, pod.labels));
}

/** Policies isolating `to` for ingress; with none, everything may connect. */
export function ingressPolicies(objects: readonly K8sObject[], to: PodTemplate): INetworkPolicy[] {
  return policiesSelecting(objects, to, 'Ingress');
}

/** Policies isolating `from` for egress; with none, it may connect anywhere. */
export function egressPolicies(objects: readonly K8sObject[], from: Peer): INetworkPolicy[] {
  return policiesSelecting(objects, from, 'Egress');
}

/** One ingress or egress rule allows a connection when its peers and its ports both match; an empty list matches all. */
function ruleAllows(
  peers: readonly INetworkPolicyPeer[] | undefined,
  ports: readonly INetworkPolicyPort[] | undefined,
  peerOk: (peer: INetworkPolicyPeer) => boolean,
  portOk: (port: INetworkPolicyPort) => boolean,
): boolean {
  return (!peers || peers.length === 0 || peers.some(peerOk)) && (!ports || ports.length === 0 || ports.some(portOk));
}

/** True when a connection from `from` to port `port` of pods of `to` is allowed in by `to`'s policies. */
export function ingressAllowed(objects: readonly K8sObject[], from: Peer, to: PodTemplate, port: number, protocol: Protocol = 'TCP'): boolean {
  const policies = ingressPolicies(objects, to);
  if (policies.length === 0) return true;
  return policies.some((policy) =>
    (policy.spec?.ingress ?? []).some((rule) =>
      ruleAllows(rule.from, rule.ports, (peer) => peerMatches(objects, peer, to.namespace, from), (p) => portMatches(p, to, port, protocol)),
    ),
  );
}

/**
 * True when `from`'s policies let it open a connection to port `port` of the pod `to` (its
 * template when it is among the objects, which resolves named ports).
 */
export function egressAllowed(objects: readonly K8sObject[], from: Peer, to: Peer | PodTemplate, port: number, protocol: Protocol = 'TCP'): boolean {
  const policies = egressPolicies(objects, from);
  if (policies.length === 0) return true;
  const template = 'spec' in to ? to : undefined;
  return policies.some((policy) =>
    (policy.spec?.egress ?? []).some((rule) =>
      ruleAllows(rule.to, rule.ports, (peer) => peerMatches(objects, peer, from.namespace, to), (p) => portMatches(p, template, port, protocol)),
    ),
  );
}

/** True when both ends' policies allow the connection. */
export function connectionAllowed(objects: readonly K8sObject[], from: Peer, to: Peer | PodTemplate, port: number, protocol: Protocol = 'TCP'): boolean {
  const inward = 'spec' in to ? ingressAllowed(objects, from, to, port, protocol) : true;
  return egressAllowed(objects, from, to, port, protocol) && inward;
}
