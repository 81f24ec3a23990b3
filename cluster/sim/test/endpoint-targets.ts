/**
 * Test support: the targets Prometheus' Kubernetes discovery (`role: endpoints`) would produce for
 * the Services of a namespace, with the same `__meta_kubernetes_*` labels, built from the real
 * Services and pods the simulated API server holds. The real Endpoints cannot be used: the API
 * server refuses loopback addresses in Endpoints and EndpointSlices ("may not be in the loopback
 * range"), and the simulated pods must have loopback IPs. Prometheus then applies the operator's
 * relabeling to these targets itself (they go in as `static_configs`), so the relabeling under
 * test is Prometheus' own.
 */
import type { CoreV1Api, V1Pod, V1Service } from '@kubernetes/client-node';

/** Prometheus' label-name sanitising of Kubernetes label keys. */
const sanitize = (key: string): string => key.replace(/[^a-zA-Z0-9_]/g, '_');

const ready = (pod: V1Pod): boolean => pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

function labelsFor(service: V1Service, pod: V1Pod, port: { name: string; protocol: string; number: number; container?: string }): Record<string, string> {
  const labels: Record<string, string> = {
    __address__: `${pod.status?.podIP}:${port.number}`,
    __meta_kubernetes_namespace: service.metadata?.namespace ?? '',
    __meta_kubernetes_service_name: service.metadata?.name ?? '',
    __meta_kubernetes_endpoints_name: service.metadata?.name ?? '',
    __meta_kubernetes_endpoint_port_name: port.name,
    __meta_kubernetes_endpoint_port_protocol: port.protocol,
    __meta_kubernetes_endpoint_ready: 'true',
    __meta_kubernetes_endpoint_address_target_kind: 'Pod',
    __meta_kubernetes_endpoint_address_target_name: pod.metadata?.name ?? '',
    __meta_kubernetes_endpoint_node_name: pod.spec?.nodeName ?? '',
    __meta_kubernetes_pod_name: pod.metadata?.name ?? '',
    __meta_kubernetes_pod_ip: pod.status?.podIP ?? '',
    __meta_kubernetes_pod_node_name: pod.spec?.nodeName ?? '',
    __meta_kubernetes_pod_host_ip: pod.status?.hostIP ?? '',
    __meta_kubernetes_pod_phase: pod.status?.phase ?? '',
    __meta_kubernetes_pod_ready: 'true',
  };
  if (port.container) labels.__meta_kubernetes_pod_container_name = port.container;
  for (const [key, value] of Object.entries(service.metadata?.labels ?? {})) {
    labels[`__meta_kubernetes_service_label_${sanitize(key)}`] = value;
    labels[`__meta_kubernetes_service_labelpresent_${sanitize(key)}`] = 'true';
  }
  for (const [key, value] of Object.entries(pod.metadata?.labels ?? {})) {
    labels[`__meta_kubernetes_pod_label_${sanitize(key)}`] = value;
    labels[`__meta_kubernetes_pod_labelpresent_${sanitize(key)}`] = 'true';
  }
  return labels;
}

/**
 * One target per (ready pod selected by a Service) × (Service port), as the Endpoints controller
 * and `role: endpoints` discovery make them: named target ports resolved against the pod's
 * container ports, each target labelled like Kubernetes discovery labels it.
 */
export async function endpointTargets(core: CoreV1Api, namespace: string): Promise<Array<Record<string, string>>> {
  const services = (await core.listNamespacedService({ namespace })).items;
  const pods = (await core.listNamespacedPod({ namespace })).items.filter((p) => ready(p) && p.status?.podIP);
  const targets: Array<Record<string, string>> = [];
  for (const service of services) {
    const selector = service.spec?.selector;
    if (!selector) continue;
    const selected = pods.filter((pod) => Object.entries(selector).every(([k, v]) => pod.metadata?.labels?.[k] === v));
    for (const pod of selected) {
      for (const port of service.spec?.ports ?? []) {
        const wanted = port.targetPort ?? port.port;
        const containers = pod.spec?.containers ?? [];
        const match = containers.flatMap((c) => (c.ports ?? []).map((p) => ({ container: c.name, port: p }))).find(({ port: p }) => (typeof wanted === 'number' ? p.containerPort === wanted : p.name === wanted));
        const number = typeof wanted === 'number' ? wanted : match?.port.containerPort;
        if (number === undefined) continue; // a named port the pod does not declare: no endpoint, as in Kubernetes
        targets.push(labelsFor(service, pod, { name: port.name ?? '', protocol: port.protocol ?? 'TCP', number, ...(match ? { container: match.container } : {}) }));
      }
    }
  }
  return targets;
}
