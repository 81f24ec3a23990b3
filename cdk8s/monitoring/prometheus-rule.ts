import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import type { IPrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { Construct } from 'constructs';
import { ruleGroups } from '../../monitoring/index.js';
import type { RuleGroup } from '../../monitoring/types.js';
import { WORKLOADS, prometheusDiscoveryLabels, workloadLabels } from '../lib/labels.js';
import { ModelObject } from '../lib/model-object.js';

export interface ItemsApiPrometheusRuleProps {
  /** @default ruleGroups() from monitoring/ (the one source of the rules) */
  readonly groups?: readonly RuleGroup[];
}

/** Recording rules and alerts of items-api, loaded by the Prometheus Operator. */
export class ItemsApiPrometheusRule extends Construct {
  constructor(scope: Construct, id: string, props: ItemsApiPrometheusRuleProps = {}) {
    super(scope, id);
    const workload = WORKLOADS.monitoring;
    // The rule types are readonly; the model wants mutable arrays of the same shapes.
    const groups = structuredClone(props.groups ?? ruleGroups()) as IPrometheusRule['spec']['groups'];
    new ModelObject(
      this,
      'prometheusrule',
      new PrometheusRule({
        metadata: { name: workload.objectName, labels: { ...workloadLabels(workload), ...prometheusDiscoveryLabels() } },
        spec: { groups },
      }),
    );
  }
}
