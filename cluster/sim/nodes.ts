/**
 * The simulated cluster's nodes, made as kind makes them from kind-config.yaml: one Node per entry
 * of `nodes`, named `<cluster>-control-plane`, `<cluster>-worker`, `<cluster>-worker2`, …, with
 * kind's role label and the control plane's NoSchedule taint, so scheduling (topology spread,
 * taints) behaves as it does in kind. kwok manages every node: it marks them Ready and plays
 * their pods. Capacity is generous on purpose: the simulation checks placement, not fit.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export type NodeRole = 'control-plane' | 'worker';

const CONTROL_PLANE_LABEL = 'node-role.kubernetes.io/control-plane';

/** The roles listed by a kind configuration, in order. */
export function kindNodeRoles(kindConfigYaml: string, file = 'kind-config.yaml'): NodeRole[] {
  const config = parse(kindConfigYaml) as { nodes?: Array<{ role?: unknown }> } | null;
  const nodes = config?.nodes ?? [];
  if (nodes.length === 0) throw new Error(`${file} lists no nodes: kind needs at least a control-plane node`);
  return nodes.map((node, i) => {
    if (node.role === 'control-plane' || node.role === 'worker') return node.role;
    throw new Error(`${file}: nodes[${i}].role is ${JSON.stringify(node.role)}, expected control-plane or worker`);
  });
}

/** kind's node names: the first of a role has no number, the next ones 2, 3, … */
export function kindNodeNames(cluster: string, roles: readonly NodeRole[]): string[] {
  const seen = new Map<NodeRole, number>();
  return roles.map((role) => {
    const n = (seen.get(role) ?? 0) + 1;
    seen.set(role, n);
    return `${cluster}-${role}${n === 1 ? '' : n}`;
  });
}

export function nodeManifest(name: string, role: NodeRole) {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'type': 'kwok',
        ...(role === 'control-plane' ? { [CONTROL_PLANE_LABEL]: '' } : {}),
      },
      // kwok plays the nodes that carry this annotation (and, with --manage-all-nodes, every node).
      annotations: { 'kwok.x-k8s.io/node': 'fake' },
    },
    spec: role === 'control-plane' ? { taints: [{ key: CONTROL_PLANE_LABEL, effect: 'NoSchedule' }] } : {},
    status: {
      allocatable: { cpu: '16', memory: '32Gi', pods: '110' },
      capacity: { cpu: '16', memory: '32Gi', pods: '110' },
    },
  };
}

/** The Node objects for `cluster` from the kind configuration file. */
export function simulatedNodes(cluster: string, kindConfigFile: string) {
  const roles = kindNodeRoles(readFileSync(kindConfigFile, 'utf8'), kindConfigFile);
  const names = kindNodeNames(cluster, roles);
  return names.map((name, i) => nodeManifest(name, roles[i] as NodeRole));
}
