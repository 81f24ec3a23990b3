/**
 * Parity: `helm template` with default values renders the same objects as the cdk8s app, field
 * for field, except the deliberate differences listed below (and nothing else).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { TEST_PASSWORD, synthesize } from '../../cdk8s/test/support.js';
import { type K8sObject, cloneObjects } from '../../cdk8s/validation/manifests.js';
import { requireTools } from '../../testing/tools.js';
import { helmTemplate } from './helm.js';

const MANAGED_BY = 'app.kubernetes.io/managed-by';
const HELM_CHART = 'helm.sh/chart';
const HOOK_ANNOTATIONS = { 'helm.sh/hook': 'test', 'helm.sh/hook-delete-policy': 'before-hook-creation' };

/** Every difference between the two renders that is intended, with the reason. */
const DELIBERATE_DIFFERENCES = [
  { what: 'Namespace items', why: 'cdk8s creates the namespace (first object applied); a Helm chart does not own its release namespace (`helm install --create-namespace`)' },
  { what: `label ${MANAGED_BY}`, why: 'says which tool manages the object: `cdk8s` or `Helm`' },
  { what: `label ${HELM_CHART} on object metadata`, why: 'Helm convention (chart name and version); kept off pod templates so a chart release alone restarts nothing' },
  { what: 'annotations helm.sh/hook=test and hook-delete-policy on Job k6-template-0', why: 'the Helm chart runs the k6 Job with `helm test`; cdk8s writes it to dist/templates/, which is not applied' },
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
    if (side === 'helm' && o.kind === 'Job') {
      assert.deepEqual(o.metadata.annotations, HOOK_ANNOTATIONS, `helm ${key(o)}: a test hook`);
      delete o.metadata.annotations;
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
    const helm = await helmTemplate(tools.helm as string, { set: { 'database.password': TEST_PASSWORD, replicas: '3', 'serviceMonitor.interval': '30s' } });
    assert.deepEqual(parityProblems(all, helm).sort(), [
      'Deployment items/items-api /spec/replicas: cdk8s 2 vs helm 3',
      'ServiceMonitor items/items-api /spec/endpoints/0/interval: cdk8s "15s" vs helm "30s"',
      'ServiceMonitor items/items-api-postgres-exporter /spec/endpoints/0/interval: cdk8s "15s" vs helm "30s"',
    ]);
  });
});
