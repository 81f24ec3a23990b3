import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { APP_NAME, APP_NAMESPACE } from '../../project/constants.js';
import { LABEL, MANAGED_BY } from '../lib/labels.js';

export interface ItemsNamespaceProps {
  /** @default APP_NAMESPACE (`items`) */
  readonly name?: string;
  /**
   * Pod Security Standard the namespace enforces. Every pod of this app (and the k6 Jobs) meets
   * `restricted`; a pod that does not is refused at admission instead of running unhardened.
   * @default 'restricted'
   */
  readonly podSecurity?: 'restricted' | 'baseline' | 'privileged';
}

/** The namespace of items-api, PostgreSQL and the load-test Jobs. */
export class ItemsNamespace extends Construct {
  readonly name: string;

  constructor(scope: Construct, id: string, props: ItemsNamespaceProps = {}) {
    super(scope, id);
    this.name = props.name ?? APP_NAMESPACE;
    const level = props.podSecurity ?? 'restricted';
    new k8s.KubeNamespace(this, 'namespace', {
      metadata: {
        name: this.name,
        labels: {
          [LABEL.partOf]: APP_NAME,
          [LABEL.managedBy]: MANAGED_BY,
          'pod-security.kubernetes.io/enforce': level,
          'pod-security.kubernetes.io/warn': level,
        },
      },
    });
  }
}
