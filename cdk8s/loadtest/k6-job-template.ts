import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { k6Jobs } from '../../loadtest/cluster/objects.js';
import type { ProfileName } from '../../loadtest/k6/profiles.js';
import { ModelObject } from '../lib/model-object.js';

/** What the template runs; the Helm chart's `helm test` Job (charts/generate.ts) is the same Job. */
export const K6_JOB_TEMPLATE_DEFAULTS = { profile: 'smoke', testId: 'template' } as const satisfies { profile: ProfileName; testId: string };

export interface K6JobTemplateProps {
  /** @default K6_JOB_TEMPLATE_DEFAULTS.profile (`smoke`) */
  readonly profile?: ProfileName;
  /** The `testid` tag of the run and part of the Job name. @default K6_JOB_TEMPLATE_DEFAULTS.testId (`template`) */
  readonly testId?: string;
}

/**
 * The k6 Job as loadtest/cluster/objects.ts builds it for the launcher (`make load`), one
 * execution segment. Synthesized to dist/templates/, which `kubectl apply -f dist/` does not read
 * (it is not recursive): a Job applied with the stack would start a load test on every deploy.
 * Run it by hand with `kubectl create -f dist/templates/`.
 */
export class K6JobTemplate extends Construct {
  constructor(scope: Construct, id: string, props: K6JobTemplateProps = {}) {
    super(scope, id);
    const namespace = Chart.of(this).namespace;
    const d = K6_JOB_TEMPLATE_DEFAULTS;
    const jobs = k6Jobs({ profile: props.profile ?? d.profile, testId: props.testId ?? d.testId, parallelism: 1, ...(namespace ? { namespace } : {}) });
    jobs.forEach((job, i) => new ModelObject(this, `job-${i}`, job));
  }
}
