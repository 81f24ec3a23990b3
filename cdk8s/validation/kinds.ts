/**
 * The object kinds this project synthesizes (cdk8s) and renders (Helm), each with the
 * kubernetes-models class that validates it and the TypeScript interface its strict schema is
 * derived from. A kind missing here fails validation: add it here when a construct starts using it.
 */
import { PrometheusRule, ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Namespace, Pod, Secret, Service } from 'kubernetes-models/v1';

export interface KindSpec {
  readonly apiVersion: string;
  readonly kind: string;
  /** Runs the kubernetes-models validator (types, formats, required fields); throws on the first invalid object. */
  readonly validate: (data: object) => void;
  /** Module (package subpath) whose `.d.ts` declares the object's interface. */
  readonly typesModule: string;
  /** Exported interface describing the whole object. */
  readonly typeName: string;
}

/** A kubernetes-models class: construction from plain data, `validate()`, static apiVersion and kind. */
interface ModelClass<T> {
  new (data: T): { validate(): void };
  readonly apiVersion: string;
  readonly kind: string;
}

function entry<T>(model: ModelClass<T>, typesModule: string, typeName: string): KindSpec {
  // The data comes from parsed YAML: validate() is what checks it against T.
  return { apiVersion: model.apiVersion, kind: model.kind, validate: (data) => new model(data as T).validate(), typesModule, typeName };
}

const core = (kind: string) => `kubernetes-models/v1/${kind}`;

export const KINDS: readonly KindSpec[] = [
  entry(Namespace, core('Namespace'), 'INamespace'),
  entry(Secret, core('Secret'), 'ISecret'),
  entry(ConfigMap, core('ConfigMap'), 'IConfigMap'),
  entry(Service, core('Service'), 'IService'),
  entry(Deployment, 'kubernetes-models/apps/v1/Deployment', 'IDeployment'),
  entry(StatefulSet, 'kubernetes-models/apps/v1/StatefulSet', 'IStatefulSet'),
  entry(Job, 'kubernetes-models/batch/v1/Job', 'IJob'),
  entry(Pod, core('Pod'), 'IPod'),
  entry(HorizontalPodAutoscaler, 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler', 'IHorizontalPodAutoscaler'),
  entry(PodDisruptionBudget, 'kubernetes-models/policy/v1/PodDisruptionBudget', 'IPodDisruptionBudget'),
  entry(NetworkPolicy, 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy', 'INetworkPolicy'),
  entry(ServiceMonitor, '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor', 'IServiceMonitor'),
  entry(PrometheusRule, '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule', 'IPrometheusRule'),
];

/** `apps/v1/Deployment`: the key objects and schemas are looked up by. */
export const kindKey = (apiVersion: string, kind: string): string => `${apiVersion}/${kind}`;

const BY_KEY = new Map(KINDS.map((spec) => [kindKey(spec.apiVersion, spec.kind), spec]));

export function kindSpecOf(apiVersion: string, kind: string): KindSpec | undefined {
  return BY_KEY.get(kindKey(apiVersion, kind));
}
