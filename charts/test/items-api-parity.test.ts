/**
 * Parity: `helm template` with default values renders the same objects as the cdk8s app, field
 * for field, except the deliberate differences listed below (and nothing else).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import type { Job } from 'kubernetes-models/batch/v1';
import { INSTANCE } from '../../cdk8s/lib/labels.js';
import { K6_JOB_TEMPLATE_DEFAULTS } from '../../cdk8s/loadtest/k6-job-template.js';
import { TEST_PASSWORD, synthesize } from '../../cdk8s/test/support.js';
import { type K8sObject, cloneObjects } from '../../cdk8s/validation/manifests.js';
import { requireTools } from '../../testing/tools.js';
import { TEST_HOOK_ANNOTATIONS, k6TestPod } from '../generate.js';
import { helmTemplate } from './helm.js';

const MANAGED_BY = 'app.kubernetes.io/managed-by';
const HELM_CHART = 'helm.sh/chart';
const K6_JOB = 'k6-template-0';
/** The chart's `helm test` pod for release `items-api` (fullname = release name). */
const K6_TEST_POD = `${INSTANCE}-k6-${K6_JOB_TEMPLATE_DEFAULTS.profile}`;

/** Every difference between the two renders that is intended, with the reason. */
const DELIBERATE_DIFFERENCES = [
  { what: 'Namespace items', why: 'cdk8s creates the namespace (first object applied); a Helm chart does not own its release namespace (`helm install --create-namespace`)' },
  { what: `label ${MANAGED_BY}`, why: 'says which tool manages the object: `cdk8s` or `Helm`' },
  { what: `label ${HELM_CHART} on object metadata`, why: 'Helm convention (chart name and version); kept off pod templates so a chart release alone restarts nothing' },
  {
    what: `Job ${K6_JOB} (cdk8s) is Pod ${K6_TEST_POD} with helm.sh/hook=test and hook-delete-policy=before-hook-creation (Helm): the Job's pod template as a Pod, its deadline in the pod spec`,
    why: 'cdk8s writes the Job to dist/templates/ (not applied) for `kubectl create`; `helm test --logs` reads the logs of the pod named like the hook, which a Job\'s pod never is',
  },
] as const;

const key = (o: K8sObject) => `${o.kind} ${o.metadata.namespace ?? '-'}/${o.metadata.name}`;

/** Every `labels` map in an object (metadata, pod template, claim templates). */
function labelMaps(value: unknown, found: Record<string, string>[] = []): Record<string, string>[] {
  if (Array.isArray(value)) value.forEach((v) => labelMaps(v, found));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'labels' && v && typeof v === 'object' && !Array.isArray(v)) found.push(v as Record<string, string>);
      else labelMaps(v, found);
    }
  }
  return found;
}

/** Removes exactly the deliberate differences, checking each is present where it should be. */
function normalize(objects: readonly K8sObject[], side: 'cdk8s' | 'helm'): Map<string, K8sObject> {
  const out = new Map<string, K8sObject>();
  for (const o of cloneObjects(objects)) {
    if (side === 'cdk8s' && o.kind === 'Namespace') continue;
    if (side === 'cdk8s' && o.kind === 'Job' && o.metadata.name === K6_JOB) {
      const pod = JSON.parse(JSON.stringify(k6TestPod(o as unknown as Job, K6_TEST_POD, TEST_HOOK_ANNOTATIONS))) as K8sObject;
      out.set(key(pod), pod);
      continue;
    }
    for (const labels of labelMaps(o)) {
      if (labels[MANAGED_BY] !== undefined) {
        assert.equal(labels[MANAGED_BY], side === 'cdk8s' ? 'cdk8s' : 'Helm', `${side} ${key(o)}: ${MANAGED_BY}`);
        labels[MANAGED_BY] = '<tool>';
      }
    }
    const labels = o.metadata.labels ?? {};
    if (side === 'helm' && labels[MANAGED_BY] !== undefined) {
      assert.match(labels[HELM_CHART] ?? '', /^items-api-\d+\.\d+\.\d+$/, `helm ${key(o)}: ${HELM_CHART}`);
      delete labels[HELM_CHART];
    }
    if (side === 'helm' && o.metadata.annotations?.['helm.sh/hook'] !== undefined) {
      assert.equal(key(o), `Pod items/${K6_TEST_POD}`, 'the one test hook');
      assert.deepEqual(o.metadata.annotations, TEST_HOOK_ANNOTATIONS, `helm ${key(o)}: a test hook`);
    }
    out.set(key(o), o);
  }
  return out;
}

/** JSON-pointer paths where two values differ, for a readable failure. */
function differences(a: unknown, b: unknown, at = ''): string[] {
  if (isDeepStrictEqual(a, b)) return [];
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((k) => differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}/${k}`));
  }
  return [`${at || '/'}: cdk8s ${JSON.stringify(a)?.slice(0, 120)} vs helm ${JSON.stringify(b)?.slice(0, 120)}`];
}

function parityProblems(cdk8s: readonly K8sObject[], helm: readonly K8sObject[]): string[] {
  const left = normalize(cdk8s, 'cdk8s');
  const right = normalize(helm, 'helm');
  return [
    ...[...left.keys()].filter((k) => !right.has(k)).map((k) => `${k}: only in cdk8s`),
    ...[...right.keys()].filter((k) => !left.has(k)).map((k) => `${k}: only in helm`),
    ...[...left].flatMap(([k, o]) => (right.has(k) ? differences(o, right.get(k)).map((d) => `${k} ${d}`) : [])),
  ];
}

describe('helm template (default values) = cdk8s synth', () => {
  const { all } = synthesize();

  test(`same kinds, names, namespaces and fields, apart from ${DELIBERATE_DIFFERENCES.length} listed differences`, async (t) => {
    const tools = requireTools(t, ['helm']);
    if (!tools) return;
    const helm = await helmTemplate(tools.helm as string, { release: 'items-api', namespace: 'items', set: { 'database.password': TEST_PASSWORD } });
    assert.deepEqual(parityProblems(all, helm), []);
    // Sanity: the comparison covered every object of both sides (Namespace is the one cdk8s-only object).
    assert.equal(helm.length, all.length - 1);
  });

  test('the comparison is not blind: a changed field on either side is reported with its path', async (t) => {
    const tools = requireTools(t, ['helm']);
    if (!tools) return;
    const helm = await helmTemplate(tools.helm as string, { set: { 'database.password': TEST_PASSWORD, 'autoscaling.maxReplicas': '8', 'serviceMonitor.interval': '30s' } });
    assert.deepEqual(parityProblems(all, helm).sort(), [
      'HorizontalPodAutoscaler items/items-api /spec/maxReplicas: cdk8s 6 vs helm 8',
      'ServiceMonitor items/items-api /spec/endpoints/0/interval: cdk8s "15s" vs helm "30s"',
      'ServiceMonitor items/items-api-postgres-exporter /spec/endpoints/0/interval: cdk8s "15s" vs helm "30s"',
    ]);
  });
});
