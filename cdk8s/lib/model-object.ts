/**
 * A cdk8s ApiObject made from a kubernetes-models object: the typed route for kinds cdk8s-plus-28
 * has no class for (prometheus-operator CRDs) and for objects another module already builds as
 * kubernetes-models (the k6 Job and ConfigMap). The model is validated when the construct is made.
 */
import { ApiObject } from 'cdk8s';
import type { ApiObjectMetadata } from 'cdk8s';
import type { Construct } from 'constructs';

/** What kubernetes-models classes offer (they extend `Model` from @kubernetes-models/base). */
export interface KubernetesModel {
  readonly apiVersion: string;
  readonly kind: string;
  validate(): void;
  toJSON(): unknown;
}

export class ModelObject extends ApiObject {
  constructor(scope: Construct, id: string, model: KubernetesModel) {
    model.validate();
    // A plain-data copy: cdk8s refuses class instances when it serializes.
    const { apiVersion, kind, metadata, ...rest } = JSON.parse(JSON.stringify(model.toJSON())) as {
      apiVersion: string;
      kind: string;
      metadata?: ApiObjectMetadata;
      [field: string]: unknown;
    };
    super(scope, id, { apiVersion, kind, metadata: metadata ?? {}, ...rest });
  }
}
