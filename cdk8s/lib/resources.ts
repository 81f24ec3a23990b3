import { k8s } from 'cdk8s-plus-28';

/** CPU and memory of one container, as Kubernetes quantities (`100m`, `128Mi`). */
export interface Resources {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}

export function toResourceRequirements(resources: Resources): k8s.ResourceRequirements {
  const quantities = (r: { readonly cpu: string; readonly memory: string }) => ({
    cpu: k8s.Quantity.fromString(r.cpu),
    memory: k8s.Quantity.fromString(r.memory),
  });
  return { requests: quantities(resources.requests), limits: quantities(resources.limits) };
}
