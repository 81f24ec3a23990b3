import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { k6ScriptConfigMap } from '../../loadtest/cluster/objects.js';
import { readK6Scripts } from '../../loadtest/cluster/scripts.js';
import { ModelObject } from '../lib/model-object.js';

export interface K6ScriptsProps {
  /** k6 script files by name. @default readK6Scripts() (loadtest/k6/) */
  readonly scripts?: Readonly<Record<string, string>>;
}

/**
 * The ConfigMap with the k6 scripts, built by loadtest/cluster/objects.ts: the launcher upserts
 * the same object before each run, so the applied copy and the launcher's never differ.
 */
export class K6Scripts extends Construct {
  constructor(scope: Construct, id: string, props: K6ScriptsProps = {}) {
    super(scope, id);
    const namespace = Chart.of(this).namespace;
    new ModelObject(this, 'configmap', k6ScriptConfigMap({ scripts: props.scripts ?? readK6Scripts(), ...(namespace ? { namespace } : {}) }));
  }
}
